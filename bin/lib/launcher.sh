# Shared by bin/berth and bin/berth-runc: find the build (build it on first use) and start the JVM lean.
BERTH_HOME="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
BERTH_LIB="$BERTH_HOME/cli/target/lib"
BERTH_JAR="$BERTH_HOME/cli/target/berth-cli-0.1.0-SNAPSHOT.jar"
BERTH_INIT="$BERTH_HOME/native/target/berth-init"
BERTH_JSA="$BERTH_HOME/cli/target/berth-cds.jsa"
# `berth chaos` lives in its own module, built after the command line (its lab runs berth's processes).
BERTH_CHAOS_JAR="$BERTH_HOME/chaos-tests/target/berth-chaos-tests-0.1.0-SNAPSHOT.jar"

berth_build_if_needed() {
  if [ ! -f "$BERTH_JAR" ] || [ ! -x "$BERTH_INIT" ] || [ ! -d "$BERTH_LIB" ] || [ ! -f "$BERTH_CHAOS_JAR" ]; then
    if ! command -v npm >/dev/null && [ "$(id -u)" = 0 ]; then
      # The dashboard's scripts are bundled with the machine's own node and npm.
      echo "berth: installing nodejs npm (to build the dashboard)..." >&2
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >&2
    fi
    if ! dpkg -s libseccomp-dev >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      # berth-init links libseccomp to build containers' syscall filters.
      echo "berth: installing libseccomp-dev (to build berth-init)..." >&2
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libseccomp-dev >&2
    fi
    echo "berth: building (first run: mvn install -DskipTests)..." >&2
    (cd "$BERTH_HOME" && mvn -q -B -DskipTests install) >&2
  fi
}

# A JDK with the AOT cache (JEP 483 and 514: -XX:AOTCacheOutput, JDK 25 and later) if the machine has one,
# as its second JDK: classes loaded and linked ahead of time for the one-shot commands. Found by the release
# file each JDK carries (running java -version would cost what the cache saves).
berth_aot_java() {
  local release v
  for release in /usr/lib/jvm/*/release; do
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" 2>/dev/null)
    if [ -n "$v" ] && [ "$v" -ge 25 ] && [ -x "${release%/release}/bin/java" ]; then
      echo "${release%/release}/bin/java"
      return 0
    fi
  done
  return 1
}

# berth_aot_exec MAIN ARGS...: runs a one-shot command on that JDK with its AOT cache (made on first use by the
# same training run as the class archive); returns only when there is no such JDK or cache.
berth_aot_exec() {
  local main="$1" java cp="$BERTH_JAR:$BERTH_LIB/*:$BERTH_CHAOS_JAR"
  shift
  [ -z "${BERTH_NO_AOT:-}" ] && java=$(berth_aot_java) || return 0
  local aot="$BERTH_HOME/cli/target/berth-$(basename "${java%/bin/java}").aot"
  # the cache holds what the same flags load: they must match at use (native access, unsafe, compilers)
  local flags=(-Xlog:disable -Xlog:all=error:stderr -XX:-UsePerfData -Djnr.ffi.asm.enabled=false
    --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
    -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dberth.init="$BERTH_INIT" -Dberth.home="$BERTH_HOME")
  local key
  key=$(ls -l --time-style=+%s "$BERTH_JAR" "$BERTH_LIB" "$BERTH_CHAOS_JAR" "$java" | sha1sum | cut -c1-40)
  if [ -f "$aot" ] && [ "$(cat "$aot.key" 2>/dev/null)" != "$key" ]; then
    rm -f "$aot" 2>/dev/null || return 0
  fi
  if [ ! -f "$aot" ] && [ "$(id -u)" = 0 ] && [ -x /bin/busybox ]; then
    if "$java" "${flags[@]}" -XX:AOTCacheOutput="$aot" -cp "$cp" dev.berth.cli.runc.CdsTraining >/dev/null 2>&1; then
      echo "$key" > "$aot.key"
    else
      rm -f "$aot"
    fi
  fi
  [ -f "$aot" ] || return 0
  exec "$java" "${flags[@]}" -XX:AOTCache="$aot" -cp "$cp" "$main" "$@"
}

# berth_java short|long MAIN ARGS...: "short" for one-shot commands (berth-runc), "long" for those that run
# for a while (berth up, bench, image transfers), which need the optimising compiler.
berth_java() {
  local kind="$1" main="$2"
  shift 2
  berth_build_if_needed
  local cp="$BERTH_JAR:$BERTH_LIB/*:$BERTH_CHAOS_JAR"
  # Class data sharing for the start-up path, and jnr-ffi's reflection loader (generating bindings with
  # ASM at every start costs more than the calls).
  # JVM messages go to stderr, errors only: stdout is the command's (runc's state JSON, for one).
  local flags=(-Xlog:disable -Xlog:all=error:stderr -XX:-UsePerfData -Xshare:auto -Djdk.lang.Process.launchMechanism=VFORK -Djnr.ffi.asm.enabled=false
    -Dberth.init="$BERTH_INIT" -Dberth.home="$BERTH_HOME")
  if [ "$kind" = short ]; then
    berth_aot_exec "$main" "$@" # no return where a JDK 25 and its cache are there
    flags+=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC) # C1 only: a run is over before C2 would pay off
  else
    # A heap bound from the machine: an eighth of its memory, between 512 MiB and 4 GiB (the JVM's own
    # default, a quarter, let one runaway spec grow the fleet to 6.6 GB on a 24 GiB host).
    local mem_kib heap_mib
    mem_kib=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
    heap_mib=$(( mem_kib / 8 / 1024 ))
    [ "$heap_mib" -lt 512 ] && heap_mib=512
    [ "$heap_mib" -gt 4096 ] && heap_mib=4096
    flags+=(-Xmx"${heap_mib}m")
    # What Hazelcast asks for to use the JDK's internals (it warns without them).
    flags+=(--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
      --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
      --add-opens java.management/sun.management=ALL-UNNAMED
      --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED)
  fi
  # The archive is only valid for the jars it was made from: remake it when any of them changed.
  local key
  key=$(ls -l --time-style=+%s "$BERTH_JAR" "$BERTH_LIB" "$BERTH_CHAOS_JAR" | sha1sum | cut -c1-40)
  local stale=
  if [ -f "$BERTH_JSA" ] && [ "$(cat "$BERTH_JSA.key" 2>/dev/null)" != "$key" ]; then
    # an ordinary user may not remake it: runs without it
    rm -f "$BERTH_JSA" 2>/dev/null || stale=1
  fi
  if [ ! -f "$BERTH_JSA" ] && [ "$(id -u)" = 0 ] && [ -x /bin/busybox ]; then
    if java "${flags[@]}" -XX:ArchiveClassesAtExit="$BERTH_JSA" -cp "$cp" dev.berth.cli.runc.CdsTraining \
      >/dev/null 2>&1; then
      echo "$key" > "$BERTH_JSA.key"
    else
      rm -f "$BERTH_JSA"
    fi
  fi
  if [ -f "$BERTH_JSA" ] && [ -z "$stale" ]; then
    flags+=(-XX:SharedArchiveFile="$BERTH_JSA")
  fi
  exec java "${flags[@]}" -cp "$cp" "$main" "$@"
}
