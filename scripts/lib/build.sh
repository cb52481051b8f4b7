# Sourced by the scripts: one Maven build at a time into target/ (two scripts started together — the README's
# fake upstream and daemon — used to build into the same folder at once and break each other), through the
# project's Maven wrapper (./mvnw: only a JDK is needed).

# mvn_locked ARGS…: runs ./mvnw ARGS under an exclusive lock on target/.build.lock.
mvn_locked() {
    mkdir -p "$ROOT/target"
    (
        flock 9
        cd "$ROOT" && ./mvnw "$@"
    ) 9>"$ROOT/target/.build.lock"
}

# ensure_built: builds target/shammah.jar when it is missing or older than the sources (tests skipped).
ensure_built() {
    local jar="$ROOT/target/shammah.jar"
    if [ ! -f "$jar" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$jar" -print -quit)" ]; then
        echo "shammah: building $jar (JDK $SHAMMAH_JDK_MAJOR) …" >&2
        mvn_locked -B -ntp -q -DskipTests package >&2
    fi
}
