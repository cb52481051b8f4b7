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

# mvn_locked_if STALE ARGS…: runs ./mvnw ARGS under the lock only if the command STALE, asked again once the lock
# is held, still says a build is needed. A script that waited for another's build then finds it done and goes on
# at once: the README's fake upstream used to build again after the daemon's build, and so answered seconds after
# the daemon was listening (the first requests got 529).
mvn_locked_if() {
    local stale="$1"
    shift
    mkdir -p "$ROOT/target"
    (
        flock 9
        if "$stale"; then
            cd "$ROOT" && ./mvnw "$@"
        fi
    ) 9>"$ROOT/target/.build.lock"
}

# jar_stale: whether target/shammah.jar is missing or older than the main sources.
jar_stale() {
    local jar="$ROOT/target/shammah.jar"
    [ ! -f "$jar" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$jar" -print -quit)" ]
}

# build_progress: Maven's output as one short line per step, and errors in full: a first build on a fresh machine
# takes a minute or two (Maven itself and ~800 MB of libraries are downloaded), which silence makes look hung.
build_progress() {
    awk '/^\[INFO\] --- /{ s = $0; sub(/^\[INFO\] --- /, "", s); sub(/ ---$/, "", s); print "  build: " s; fflush(); next }
         /^\[ERROR\]|BUILD FAILURE/{ print; fflush() }'
}

# ensure_built: builds target/shammah.jar when it is missing or older than the sources (tests skipped).
ensure_built() {
    if jar_stale; then
        echo "shammah: building $ROOT/target/shammah.jar (JDK $SHAMMAH_JDK_MAJOR) …" >&2
        if [ ! -d "$HOME/.m2/repository/io/helidon" ]; then
            echo "shammah: first build on this machine: downloading Maven and the libraries (~800 MB), a minute or two" >&2
        fi
        mvn_locked_if jar_stale -B -ntp -DskipTests package 2>&1 | build_progress >&2
    fi
}
