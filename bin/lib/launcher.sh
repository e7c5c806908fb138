# Shared by bin/berth and bin/berth-runc: find the build (build it on first use) and start the JVM lean.
berth_self="${BASH_SOURCE[0]}"
[ -L "$berth_self" ] && berth_self="$(readlink -f "$berth_self")"
case "$berth_self" in */*) ;; *) berth_self="./$berth_self" ;; esac
BERTH_HOME="$(cd "${berth_self%/*}/../.." && pwd)"
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
# file each JDK carries (running java -version would cost what the cache saves), read with bash alone.
berth_aot_java() {
  local release line v
  for release in /usr/lib/jvm/*/release; do
    [ -f "$release" ] || continue
    v=
    while IFS= read -r line; do
      case "$line" in JAVA_VERSION=\"*) v="${line#JAVA_VERSION=\"}"; v="${v%%[!0-9]*}"; break ;; esac
    done < "$release"
    if [ -n "$v" ] && [ "$v" -ge 25 ] && [ -x "${release%/release}/bin/java" ]; then
      echo "${release%/release}/bin/java"
      return 0
    fi
  done
  return 1
}

# berth_classpath MAIN: the class path for MAIN. berth-runc's (RuncMain) is the runtime's own jars only, as
# the native module lists them (target/runtime-classpath.txt), found in cli/target/lib: a JVM that has 110
# jars to check against its class archive starts ~50 ms later. Everything else gets all the jars.
berth_classpath() {
  local list="$BERTH_HOME/native/target/runtime-classpath.txt" entries cp jar
  if [ "$1" = dev.berth.cli.runc.RuncMain ] && [ -f "$list" ]; then
    IFS= read -r entries < "$list" || true
    cp="$BERTH_JAR:$BERTH_LIB/berth-native-0.1.0-SNAPSHOT.jar"
    for jar in "$BERTH_LIB"/picocli-*.jar; do cp="$cp:$jar"; done
    IFS=: read -r -a entries <<< "$entries"
    for jar in "${entries[@]}"; do
      jar="$BERTH_LIB/${jar#lib/}"
      if [ ! -f "$jar" ]; then # not the jars this build copied: all of them, then
        echo "$BERTH_JAR:$BERTH_LIB/*:$BERTH_CHAOS_JAR"
        return 0
      fi
      cp="$cp:$jar"
    done
    echo "$cp"
  else
    echo "$BERTH_JAR:$BERTH_LIB/*:$BERTH_CHAOS_JAR"
  fi
}

# berth_stale FILE CP [MORE...]: whether FILE (a class archive or AOT cache) is missing or older than a jar of
# CP (a wildcard entry: each jar in it, and the directory for a jar removed) or than MORE. Tests only, no
# processes.
berth_stale() {
  local file="$1" cp="$2" entry jar
  shift 2
  [ -f "$file" ] || return 0
  local IFS=:
  for entry in $cp "$@"; do
    if [ "${entry%/\*}" != "$entry" ]; then
      [ "${entry%/\*}" -nt "$file" ] && return 0
      for jar in "${entry%/\*}"/*.jar; do [ "$jar" -nt "$file" ] && return 0; done
    elif [ "$entry" -nt "$file" ]; then
      return 0
    fi
  done
  return 1
}

# berth_training MAIN: the training run for MAIN's archive: berth-runc's lifecycle, or that and the local
# commands for berth.
berth_training() {
  if [ "$1" = dev.berth.cli.runc.RuncMain ]; then echo dev.berth.cli.runc.RuncTraining; else echo dev.berth.cli.runc.CdsTraining; fi
}

# berth_aot_exec MAIN ARGS...: runs a one-shot command on that JDK with its AOT cache (made on first use by the
# training run, as root); returns only when there is no such JDK or cache.
berth_aot_exec() {
  local main="$1" java cp name
  shift
  [ -z "${BERTH_NO_AOT:-}" ] && java=$(berth_aot_java) || return 0
  cp=$(berth_classpath "$main")
  name=berth; [ "$main" = dev.berth.cli.runc.RuncMain ] && name=berth-runc
  local jdk="${java%/bin/java}"
  local aot="$BERTH_HOME/cli/target/$name-${jdk##*/}.aot"
  # the cache holds what the same flags load: they must match at use (native access, unsafe, compilers)
  local flags=(-Xlog:disable -Xlog:all=error:stderr -XX:-UsePerfData -Djnr.ffi.asm.enabled=false
    --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
    -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dberth.init="$BERTH_INIT" -Dberth.home="$BERTH_HOME")
  if berth_stale "$aot" "$cp" "$java"; then
    rm -f "$aot" 2>/dev/null || return 0
    if [ "$EUID" = 0 ] && [ -x /bin/busybox ]; then
      "$java" "${flags[@]}" -XX:AOTCacheOutput="$aot" -cp "$cp" "$(berth_training "$main")" >/dev/null 2>&1 ||
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
  local cp
  cp=$(berth_classpath "$main")
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
  # The archive is only valid for the jars it was made from: remade when any of them changed (by root; an
  # ordinary user runs without it).
  local jsa="$BERTH_JSA"
  [ "$main" = dev.berth.cli.runc.RuncMain ] && jsa="$BERTH_HOME/cli/target/berth-runc-cds.jsa"
  if berth_stale "$jsa" "$cp"; then
    if rm -f "$jsa" 2>/dev/null && [ "$EUID" = 0 ] && [ -x /bin/busybox ]; then
      java "${flags[@]}" -XX:ArchiveClassesAtExit="$jsa" -cp "$cp" "$(berth_training "$main")" >/dev/null 2>&1 ||
        rm -f "$jsa"
    fi
  fi
  if [ -f "$jsa" ] && ! berth_stale "$jsa" "$cp"; then
    flags+=(-XX:SharedArchiveFile="$jsa")
  fi
  exec java "${flags[@]}" -cp "$cp" "$main" "$@"
}
