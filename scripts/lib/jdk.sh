# Sourced by the scripts: picks a JDK >= 21 and exports JAVA_HOME and JAVA.
# Order: $JAVA_HOME if it is new enough, else the newest JDK >= 21 under /usr/lib/jvm
# (or $SHAMMAH_JVM_DIR), else fail with a clear message.

_jdk_major() {
    # Prints the major version of the JDK in $1, or nothing.
    local home=$1 v=""
    [ -x "$home/bin/java" ] || return 0
    if [ -f "$home/release" ]; then
        v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
    fi
    if [ -z "$v" ]; then
        v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
    fi
    v=${v#1.}
    printf '%s\n' "${v%%[.+-]*}"
}

# A command that installs a JDK >= 21 on this system (Debian 12 and Ubuntu 22.04 have none in their own
# archives: Eclipse Temurin's apt repository does), or a pointer to where to get one.
_jdk_hint() {
    local id="" version=""
    if [ -r /etc/os-release ]; then
        id=$(. /etc/os-release && echo "${ID:-}")
        version=$(. /etc/os-release && echo "${VERSION_ID:-}")
    fi
    case "$id:$version" in
        debian:1[3-9]*|ubuntu:24.*|ubuntu:2[5-9].*)
            echo "shammah: install one with:  sudo apt-get install -y openjdk-21-jdk-headless   (or set JAVA_HOME)" ;;
        debian:*|ubuntu:*)
            echo "shammah: $id $version has no JDK 21 in its archive; install Eclipse Temurin 21 from Adoptium's apt repository:"
            echo "  sudo apt-get install -y wget gpg apt-transport-https"
            echo "  wget -qO - https://packages.adoptium.net/artifactory/api/gpg/key/public | sudo gpg --dearmor -o /usr/share/keyrings/adoptium.gpg"
            echo "  echo \"deb [signed-by=/usr/share/keyrings/adoptium.gpg] https://packages.adoptium.net/artifactory/deb \$(. /etc/os-release && echo \$VERSION_CODENAME) main\" | sudo tee /etc/apt/sources.list.d/adoptium.list"
            echo "  sudo apt-get update && sudo apt-get install -y temurin-21-jdk"
            echo "(or set JAVA_HOME to any JDK >= 21)" ;;
        fedora:*|rhel:*|centos:*|rocky:*|almalinux:*)
            echo "shammah: install one with:  sudo dnf install -y java-21-openjdk-devel   (or set JAVA_HOME)" ;;
        *)
            echo "shammah: install a JDK 21 or newer (https://adoptium.net) and set JAVA_HOME to it." ;;
    esac
}

pick_jdk() {
    local major best="" best_major=0 dir
    if [ -n "${JAVA_HOME:-}" ]; then
        major=$(_jdk_major "$JAVA_HOME")
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            best=$JAVA_HOME
            best_major=$major
        fi
    fi
    if [ -z "$best" ]; then
        for dir in "${SHAMMAH_JVM_DIR:-/usr/lib/jvm}"/*; do
            [ -d "$dir" ] && [ ! -L "$dir" ] || continue
            major=$(_jdk_major "$dir")
            if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
                best=$dir
                best_major=$major
            fi
        done
    fi
    if [ -z "$best" ]; then
        echo "shammah: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}; looked in ${SHAMMAH_JVM_DIR:-/usr/lib/jvm})." >&2
        _jdk_hint >&2
        return 1
    fi
    export JAVA_HOME=$best
    export JAVA="$best/bin/java"
    export SHAMMAH_JDK_MAJOR=$best_major
    if [ "$best_major" -ge 24 ]; then
        # Maven 3.8's own libraries use sun.misc.Unsafe; JDK 24+ warns about it on every build.
        export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
    fi
}
