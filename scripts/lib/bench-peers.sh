# Sourced by scripts/bench: installs the peers `scripts/bench side-by-side` measures Shammah against, into a folder
# the bench owns ($SHAMMAH_BENCH_PEERS, else target/bench-peers): no root, nothing system-wide, the user's home
# untouched. A peer that cannot be had is written to $PEERS/install-notes.txt ("name: why") and skipped later.
#   nginx, wrk   the system's binaries when installed (SHAMMAH_BENCH_SYSTEM_TOOLS=0: never); else Debian's
#                packages, fetched with `apt-get download` and unpacked with `dpkg -x` (run with LD_LIBRARY_PATH
#                pointing into the unpacked tree).
#   portkey, ccr npm packages in $PEERS/npm, at the versions below.

PORTKEY_VERSION=1.15.2
CCR_VERSION=2.0.0
# A plain install of Portkey 1.15.2 resolves @hono/node-server 1.19.x, with which every streamed answer fails
# (500, "TypeError: immutable": Portkey-AI/gateway#1389, #1550). Portkey's own lockfile ships 1.13.5.
PORTKEY_HONO_NODE_SERVER=1.13.5

# peers_note NAME WHY: records why a peer is missing, for the report.
peers_note() {
    echo "$1: $2" >>"$PEERS/install-notes.txt"
    echo "bench: $1: $2" >&2
}

# _deb_libs: the unpacked tree's library folders, for LD_LIBRARY_PATH.
_deb_libs() {
    echo "$PEERS/deb/root/usr/lib/x86_64-linux-gnu:$PEERS/deb/root/lib/x86_64-linux-gnu:$PEERS/deb/root/usr/lib"
}

# _deb_unpack PKG…: downloads the packages (once) and unpacks them into $PEERS/deb/root.
_deb_unpack() {
    local pkg deb
    mkdir -p "$PEERS/deb/root"
    command -v apt-get >/dev/null && command -v dpkg >/dev/null || return 1
    for pkg in "$@"; do
        deb=$(ls "$PEERS/deb/${pkg}"_*.deb 2>/dev/null | head -n 1)
        if [ -z "$deb" ]; then
            (cd "$PEERS/deb" && apt-get download "$pkg") >>"$PEERS/deb/download.log" 2>&1 || return 1
            deb=$(ls "$PEERS/deb/${pkg}"_*.deb | head -n 1)
        fi
        dpkg -x "$deb" "$PEERS/deb/root" || return 1
    done
}

# _runs BINARY ARGS…: true when the binary starts (all its libraries found) with the unpacked libraries.
_runs() {
    local rc=0
    LD_LIBRARY_PATH=$(_deb_libs) "$@" >/dev/null 2>&1 || rc=$?
    [ "$rc" -ne 127 ] && ! LD_LIBRARY_PATH=$(_deb_libs) ldd "$1" 2>/dev/null | grep -q 'not found'
}

# install_bench_tools: sets NGINX and WRK (paths, empty when unavailable) and BENCH_LIB_PATH.
install_bench_tools() {
    BENCH_LIB_PATH=""
    NGINX=""
    WRK=""
    if [ "${SHAMMAH_BENCH_SYSTEM_TOOLS:-1}" != 0 ]; then
        NGINX=$(command -v nginx || true)
        [ -n "$NGINX" ] || [ ! -x /usr/sbin/nginx ] || NGINX=/usr/sbin/nginx
        WRK=$(command -v wrk || true)
    fi
    if [ -z "$NGINX" ]; then
        # The nginx package needs only libraries every Debian system has (libc, libcrypt, libpcre2, libssl, zlib);
        # its other dependencies (nginx-common, iproute2) are for the system service, which we do not use.
        if _deb_unpack nginx && _runs "$PEERS/deb/root/usr/sbin/nginx" -v; then
            NGINX=$PEERS/deb/root/usr/sbin/nginx
        else
            peers_note nginx "not installed and could not be fetched (apt-get download nginx; see $PEERS/deb/download.log)"
        fi
    fi
    if [ -z "$WRK" ]; then
        # wrk links LuaJIT (Debian: libluajit2-5.1-2, or the older libluajit-5.1-2) besides libc and libssl.
        if _deb_unpack wrk && { _runs "$PEERS/deb/root/usr/bin/wrk" -v \
                || _deb_unpack libluajit2-5.1-2 || _deb_unpack libluajit-5.1-2; } \
                && _runs "$PEERS/deb/root/usr/bin/wrk" -v; then
            WRK=$PEERS/deb/root/usr/bin/wrk
        else
            peers_note wrk "not installed and could not be fetched (apt-get download wrk libluajit2-5.1-2; see $PEERS/deb/download.log)"
        fi
    fi
    case "$NGINX$WRK" in
        *"$PEERS/deb/root"*) BENCH_LIB_PATH=$(_deb_libs) ;;
    esac
}

# _npm_has DIR VERSION: true when the npm package in DIR is installed at VERSION.
_npm_has() {
    [ -f "$1/package.json" ] && grep -q "\"version\": *\"$2\"" "$1/package.json"
}

# install_npm_peers: Portkey's gateway and claude-code-router into $PEERS/npm (each on its own, so one failing
# does not keep the other out).
install_npm_peers() {
    local dir=$PEERS/npm
    mkdir -p "$dir"
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        peers_note portkey "node/npm not found"
        peers_note ccr "node/npm not found"
        return 0
    fi
    if [ ! -f "$dir/package.json" ]; then
        printf '{\n  "name": "shammah-bench-peers",\n  "private": true,\n  "overrides": {"@hono/node-server": "%s"}\n}\n' \
            "$PORTKEY_HONO_NODE_SERVER" >"$dir/package.json"
    fi
    if ! _npm_has "$dir/node_modules/@portkey-ai/gateway" "$PORTKEY_VERSION"; then
        echo "bench: installing @portkey-ai/gateway@$PORTKEY_VERSION into $dir" >&2
        npm install --prefix "$dir" --no-audit --no-fund --save-exact "@portkey-ai/gateway@$PORTKEY_VERSION" \
            >>"$dir/install.log" 2>&1 \
            || peers_note portkey "npm install @portkey-ai/gateway@$PORTKEY_VERSION failed (see $dir/install.log)"
    fi
    if ! _npm_has "$dir/node_modules/@musistudio/claude-code-router" "$CCR_VERSION"; then
        echo "bench: installing @musistudio/claude-code-router@$CCR_VERSION into $dir" >&2
        npm install --prefix "$dir" --no-audit --no-fund --save-exact "@musistudio/claude-code-router@$CCR_VERSION" \
            >>"$dir/install.log" 2>&1 \
            || peers_note ccr "npm install @musistudio/claude-code-router@$CCR_VERSION failed (see $dir/install.log)"
    fi
}
