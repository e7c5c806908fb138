/*
 * The plan berth-init receives from the Berth runtime: the one definition of its records, read by the
 * C helper (#include) and checked against the Java side (dev.berth.runtime.init.PlanRecord) by a test.
 *
 * Wire format, every number little-endian:
 *   "<length>\n"                        the plan's size in bytes, at most BERTH_PLAN_MAX_BYTES
 *   u32 BERTH_PLAN_MAGIC
 *   records: u32 tag, u32 payload length, payload
 *   payload: the record's fields in the order its schema gives them
 *     'n' a u64 number
 *     's' a u32 length (the string's bytes plus its terminating NUL), the bytes, a NUL; no NUL inside
 *   a record with tag END closes the plan.
 *
 * Every record is framed by its length, so no value (an argument, an env entry, a path) can ever be read
 * as a record: the confusion that token streams allow is impossible by construction. Each tag has a
 * maximum count; the Java side refuses a plan over it with a clear error before sending, and berth-init
 * refuses it again.
 *
 * BERTH_PLAN_RECORDS(X) lists X(NAME, tag, "schema", maximum count) for every record.
 */
#ifndef BERTH_PLAN_H
#define BERTH_PLAN_H

#define BERTH_PLAN_MAGIC 0x314c5042u /* "BPL1" read as a little-endian u32 */
#define BERTH_PLAN_MAX_BYTES (256u << 20)
#define BERTH_PLAN_MAX_FIELDS 8

#define BERTH_PLAN_RECORDS(X)               \
  X(END, 0, "", 1)                          \
  X(MODE, 1, "s", 1)                        \
  X(CLONE, 2, "n", 1)                       \
  X(CGROUPNS, 3, "", 1)                     \
  X(JOIN, 4, "ns", 16)                      \
  X(MONITOR, 5, "", 1)                      \
  X(HOOKPOINT, 6, "", 1)                    \
  X(EXITFILE, 7, "s", 1)                    \
  X(FIFO, 8, "s", 1)                        \
  X(ROOTFS, 9, "s", 1)                      \
  X(PROPAGATION, 10, "n", 1)                \
  X(PIVOT, 11, "", 1)                       \
  X(ROOT_READONLY, 12, "", 1)               \
  X(HOSTNAME, 13, "s", 1)                   \
  X(DOMAINNAME, 14, "s", 1)                 \
  X(SYSCTL, 15, "ss", 4096)                 \
  X(MOUNT, 16, "sssnnsn", 16384)            \
  X(MKNOD, 17, "snnnnnn", 4096)             \
  X(BIND_NODE, 18, "ss", 4096)              \
  X(SYMLINK, 19, "ss", 4096)                \
  X(MASK, 20, "s", 4096)                    \
  X(READONLY, 21, "s", 4096)                \
  X(RLIMIT, 22, "nnn", 64)                  \
  X(USER, 23, "nn", 1)                      \
  X(GROUP, 24, "n", 65536)                  \
  X(UMASK, 25, "n", 1)                      \
  X(CAPS, 26, "nnnnn", 1)                   \
  X(NO_NEW_PRIVS, 27, "", 1)                \
  X(CWD, 28, "s", 1)                        \
  X(CONSOLE, 29, "s", 1)                    \
  X(CONSOLE_SIZE, 30, "nn", 1)              \
  X(ENV, 31, "s", 1048576)                  \
  X(ARG, 32, "s", 1048576)                  \
  X(WATCHDOG, 33, "s", 1)                   \
  X(SECCOMP, 34, "nn", 1)                   \
  X(SECCOMP_ARCH, 35, "s", 32)              \
  X(SECCOMP_RULE, 36, "snnn", 16384)        \
  X(SECCOMP_ARG, 37, "nnnn", 98304)        \
  X(SECCOMP_CACHE, 38, "s", 1)

#define BERTH_PLAN_TAGS 39

/* SECCOMP: the filter's default action (the kernel's SECCOMP_RET_* value, as libseccomp's SCMP_ACT_*) and its
 * flags (BERTH_SECCOMP_*). SECCOMP_ARCH: an architecture by libseccomp's name ("x86_64"). SECCOMP_RULE: a
 * syscall name, its action, and which SECCOMP_ARGs are its conditions (first index, count). SECCOMP_ARG: an
 * argument index, libseccomp's comparison (SCMP_CMP_*), the value and the second value (the mask of
 * MASKED_EQ). A syscall this kernel's architectures do not know is skipped, as runc does. */
/* SECCOMP_CACHE: where the compiled filter of exactly these SECCOMP records is kept (the runtime names it by
 * their digest): read instead of compiling when it is there, written when it is not. */
#define BERTH_SECCOMP_TSYNC 1u
#define BERTH_SECCOMP_LOG 2u
#define BERTH_SECCOMP_SPEC_ALLOW 4u
#define BERTH_SECCOMP_CACHED 8u /* no rules sent: the SECCOMP_CACHE file is the filter */

/* WATCHDOG names a file holding a deadline, decimal milliseconds of CLOCK_MONOTONIC: the monitor reads it
 * every BERTH_WATCHDOG_POLL_MS and SIGKILLs the container once the deadline has passed or the file is gone
 * (the node agent writes it after each renewal of its lease; a paused or dead agent stops writing). */
#define BERTH_WATCHDOG_POLL_MS 100

/* MOUNT's last field, bits: the destination is created as a file (else a directory), and the mount may
 * cover a path on procfs or sysfs (proc and sysfs mounts, cgroup mounts, the host's own /sys, the few /proc
 * files lxcfs overlays); any other mount that would land on procfs or sysfs is refused. */
#define BERTH_MOUNT_FILE 1u
#define BERTH_MOUNT_ON_KERNEL_FS 2u

#endif
