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
        echo "shammah: install one (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME." >&2
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
