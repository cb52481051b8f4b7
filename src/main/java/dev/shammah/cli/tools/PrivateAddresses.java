package dev.shammah.cli.tools;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Addresses a fetch does not reach unless its host was approved by name: this machine (loopback, unspecified)
 * and the networks around it (link-local, RFC 1918 and other private ranges, IPv6 unique local fc00::/7,
 * multicast). A URL prefix approved for a public site must not become a way to read a local admin port or a
 * cloud metadata address; the check is on the addresses the host resolves to, so a public-looking name that
 * resolves to 127.0.0.1 counts as loopback.
 */
final class PrivateAddresses {
    private PrivateAddresses() {
    }

    /** What kind of non-public address this is ("loopback", "private", …), or null for a public one. */
    static String kind(InetAddress a) {
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local";
        }
        if (a.isSiteLocalAddress()) {
            return "private";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "unspecified";
            }
            if (first == 100 && second >= 64 && second < 128) {
                return "private"; // shared address space (RFC 6598), carrier-grade NAT
            }
            return Arrays.equals(b, new byte[] {-1, -1, -1, -1}) ? "broadcast" : null;
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return "private"; // unique local fc00::/7
        }
        Inet4Address embedded = embeddedIpv4((Inet6Address) a);
        return embedded == null ? null : kind(embedded);
    }

    /**
     * The first non-public address {@code host} resolves to, in words ("127.0.0.1 is a loopback address"), or null
     * when all are public — or when the name does not resolve, in which case the fetch itself fails.
     */
    static String of(String host) {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host);
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
        for (InetAddress a : all) {
            String kind = kind(a);
            if (kind != null) {
                String address = a.getHostAddress();
                return (host.equalsIgnoreCase(address) || host.equals("[" + address + "]") ? address
                        : host + " (" + address + ")") + " is a " + kind + " address";
            }
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) one. */
    private static Inet4Address embeddedIpv4(Inet6Address a) {
        byte[] b = a.getAddress();
        byte[] v4;
        if (a.isIPv4CompatibleAddress()
                || (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && allZero(b, 4, 12))) {
            v4 = Arrays.copyOfRange(b, 12, 16);
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            v4 = Arrays.copyOfRange(b, 2, 6);
        } else {
            return null;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
