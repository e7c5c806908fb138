/*
 * berth-init: the part of the Berth runtime that cannot be Java.
 *
 * No JVM can run between clone() and execve(), so this helper does only that part.
 * Java plans everything (namespaces, resolved mount targets and flags, capability
 * masks, ids) and sends the plan over a unix socket as NUL-terminated tokens:
 *
 *   berth-init <control-socket-path>
 *   <- "<length>\n" then <length> bytes of plan tokens
 *   -> "pid <host pid of the container process>\n"
 *   <- "go\n"            (Java has placed the pid in its cgroup and written id maps)
 *   -> "ready\n" | "error <message>\n"
 *
 * In create mode the container process then blocks reading the exec fifo until
 * `start` writes to it, and execs the user program. In exec mode it execs at once.
 * The parent either exits (runc semantics: the caller's subreaper adopts the
 * container) or stays as a monitor that records the exit status.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <net/if.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <poll.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "berth-plan.h"

enum {
#define TAG(name, code, schema, max) R_##name = code,
  BERTH_PLAN_RECORDS(TAG)
#undef TAG
};

struct record_def { const char *name, *schema; unsigned max; };
static const struct record_def DEFS[BERTH_PLAN_TAGS] = {
#define DEF(name, code, schema, max) [code] = {#name, schema, max},
  BERTH_PLAN_RECORDS(DEF)
#undef DEF
};

struct field { unsigned long long n; const char *s; };
struct record { struct field f[BERTH_PLAN_MAX_FIELDS]; };
struct list { struct record *items; unsigned n, cap; };

/* The parsed plan: every record, grouped by tag, in the order it came. */
static struct list L[BERTH_PLAN_TAGS];
static const char **ENV, **ARGS;

#define HAS(tag) (L[tag].n > 0)
static const char *STR(int tag) { return L[tag].n ? L[tag].items[0].f[0].s : NULL; }
static unsigned long long NUM(int tag, int i) { return L[tag].n ? L[tag].items[0].f[i].n : 0; }

static int ctl = -1;
static int root_fd = -1; /* the rootfs, while mounts are made inside it */
/* With a user namespace of its own the container's root may not search the host directories that hold the rootfs
   and the bundle (0700, the host's root): those are opened while the process still has the host's uid. */
static int rootfs_src = -1, new_root = -1;
static int *bind_src; /* per MOUNT record: its bind source, or -1 */

static void say(const char *fmt, ...) {
  char buf[4096];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (n > (int)sizeof buf - 2) n = sizeof buf - 2;
  buf[n++] = '\n';
  if (ctl >= 0) {
    ssize_t w = write(ctl, buf, n);
    (void)w;
  } else {
    ssize_t w = write(2, buf, n);
    (void)w;
  }
}

static const char *errname(int e) {
  const char *n = strerrorname_np(e);
  return n ? n : "EUNKNOWN";
}

/* Reports what failed, on what and why, then dies: Java turns this into an exception. */
static void __attribute__((noreturn)) fail(const char *call, const char *what) {
  int e = errno;
  say("error %s %s: %s (%s)", call, what ? what : "", errname(e), strerror(e));
  _exit(1);
}

/* A malformed plan: Java never sends one, so this names the record and the reason. */
static void __attribute__((noreturn)) bad_plan(const char *record, const char *why) {
  say("error plan: record %s: %s (EINVAL)", record, why);
  _exit(1);
}

static int read_full(int fd, char *buf, size_t len) {
  size_t got = 0;
  while (got < len) {
    ssize_t r = read(fd, buf + got, len - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    got += r;
  }
  return 0;
}

static int read_line(int fd, char *buf, size_t cap) {
  size_t i = 0;
  while (i + 1 < cap) {
    ssize_t r = read(fd, buf + i, 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    if (buf[i] == '\n') break;
    i++;
  }
  buf[i] = 0;
  return 0;
}

static uint32_t u32_at(const char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return le32toh(v);
}

static uint64_t u64_at(const char *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return le64toh(v);
}

static void append(unsigned tag, const struct record *r) {
  struct list *l = &L[tag];
  if (l->n >= DEFS[tag].max) bad_plan(DEFS[tag].name, "more records than the protocol allows");
  if (l->n == l->cap) {
    unsigned cap = l->cap ? l->cap * 2 : 8;
    if (cap > DEFS[tag].max) cap = DEFS[tag].max;
    struct record *items = realloc(l->items, (size_t)cap * sizeof *items);
    if (!items) fail("malloc", DEFS[tag].name);
    l->items = items;
    l->cap = cap;
  }
  l->items[l->n++] = *r;
}

/* Reads framed records; every length is checked against what is left, every string for its NUL. */
static void parse_plan(char *buf, size_t len) {
  if (len < 4 || u32_at(buf) != BERTH_PLAN_MAGIC) bad_plan("header", "not a Berth plan (magic)");
  char *p = buf + 4, *end = buf + len;
  for (;;) {
    if (end - p < 8) bad_plan("?", "truncated before the END record");
    uint32_t tag = u32_at(p), size = u32_at(p + 4);
    p += 8;
    if (tag >= BERTH_PLAN_TAGS || !DEFS[tag].name) bad_plan("?", "unknown tag");
    const struct record_def *d = &DEFS[tag];
    if (size > (size_t)(end - p)) bad_plan(d->name, "longer than the plan");
    char *q = p, *rend = p + size;
    struct record r;
    memset(&r, 0, sizeof r);
    for (int i = 0; d->schema[i]; i++) {
      if (d->schema[i] == 'n') {
        if (rend - q < 8) bad_plan(d->name, "number field truncated");
        r.f[i].n = u64_at(q);
        q += 8;
      } else {
        if (rend - q < 4) bad_plan(d->name, "string length truncated");
        uint32_t sl = u32_at(q);
        q += 4;
        if (sl == 0 || sl > (size_t)(rend - q)) bad_plan(d->name, "string longer than its record");
        if (q[sl - 1] != 0 || memchr(q, 0, sl - 1)) bad_plan(d->name, "string not NUL-terminated once");
        r.f[i].s = q;
        q += sl;
      }
    }
    if (q != rend) bad_plan(d->name, "fields do not fill the record");
    p = rend;
    if (tag == R_END) break;
    append(tag, &r);
  }
  if (p != end) bad_plan("END", "bytes after the end of the plan");
  ENV = calloc(L[R_ENV].n + 1, sizeof *ENV);
  ARGS = calloc(L[R_ARG].n + 1, sizeof *ARGS);
  if (!ENV || !ARGS) fail("malloc", "args");
  for (unsigned i = 0; i < L[R_ENV].n; i++) ENV[i] = L[R_ENV].items[i].f[0].s;
  for (unsigned i = 0; i < L[R_ARG].n; i++) ARGS[i] = L[R_ARG].items[i].f[0].s;
}

/*
 * Paths inside the container are resolved at the moment they are used, inside the rootfs as it is then:
 * openat2 with RESOLVE_IN_ROOT treats the rootfs as "/" for every symlink and "..", and
 * RESOLVE_NO_MAGICLINKS refuses /proc/PID/root-style links, so neither an image's symlinks nor what an
 * earlier mount exposed can point a mount, a device node or a directory we create at the host.
 * The result is used through /proc/self/fd/N, as runc and crun do.
 */
static int open_in_root(const char *path, int flags) {
  struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC),
                         .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
  const char *rel = path;
  while (*rel == '/') rel++;
  return (int)syscall(SYS_openat2, root_fd, *rel ? rel : ".", &how, sizeof how);
}

/*
 * Opens (O_PATH) what is at path inside the rootfs, creating what is missing (directories, and the last
 * component as a file when is_file): as runc's securejoin does, symlinks are followed by hand with "/" and
 * ".." clamped at the rootfs, so even a dangling link leads to a place inside it. Each step opens its
 * parent with RESOLVE_IN_ROOT again, so nothing here can leave the rootfs whatever changes underneath.
 */
static int create_in_root(const char *path, int is_file) {
  int fd = open_in_root(path, is_file ? O_PATH : O_PATH | O_DIRECTORY);
  if (fd >= 0) return fd;
  if (errno != ENOENT) fail("open in rootfs", path);
  char todo[PATH_MAX], resolved[PATH_MAX] = "", link[PATH_MAX], next[PATH_MAX];
  if (strlen(path) >= sizeof todo) { errno = ENAMETOOLONG; fail("open in rootfs", path); }
  strcpy(todo, path);
  int links = 0;
  char *rest = todo;
  for (;;) {
    while (*rest == '/') rest++;
    if (!*rest) break;
    size_t len = strcspn(rest, "/");
    char comp[NAME_MAX + 1];
    if (len > NAME_MAX) { errno = ENAMETOOLONG; fail("open in rootfs", path); }
    memcpy(comp, rest, len);
    comp[len] = 0;
    rest += len;
    int last = rest[strspn(rest, "/")] == 0;
    if (!strcmp(comp, ".")) continue;
    if (!strcmp(comp, "..")) {
      char *up = strrchr(resolved, '/');
      if (up) *up = 0; else resolved[0] = 0;
      continue;
    }
    int parent = open_in_root(resolved[0] ? resolved : "/", O_PATH | O_DIRECTORY);
    if (parent < 0) fail("open in rootfs", path);
    struct stat st;
    int exists = fstatat(parent, comp, &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (!exists && errno != ENOENT) fail("stat in rootfs", path);
    if (exists && S_ISLNK(st.st_mode)) {
      ssize_t n = readlinkat(parent, comp, link, sizeof link - 1);
      close(parent);
      if (n < 0) fail("readlink in rootfs", path);
      link[n] = 0;
      if (++links > 40) { errno = ELOOP; fail("open in rootfs", path); }
      if ((size_t)n + strlen(rest) + 2 > sizeof next) { errno = ENAMETOOLONG; fail("open in rootfs", path); }
      if (link[0] == '/') resolved[0] = 0;
      /* The rest of the path now follows the link's target. */
      size_t ln = (size_t)n, rn = strlen(rest);
      memcpy(next, link, ln);
      next[ln] = '/';
      memcpy(next + ln + 1, rest, rn + 1);
      memcpy(todo, next, ln + rn + 2);
      rest = todo;
      continue;
    }
    if (!exists) {
      if (last && is_file) {
        int created = openat(parent, comp, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (created < 0 && errno != EEXIST) fail("create", path);
        if (created >= 0) close(created);
      } else if (mkdirat(parent, comp, 0755) < 0 && errno != EEXIST) {
        fail("mkdir", path);
      }
    }
    close(parent);
    if (strlen(resolved) + len + 2 > sizeof resolved) { errno = ENAMETOOLONG; fail("open in rootfs", path); }
    strcat(resolved, "/");
    strcat(resolved, comp);
  }
  fd = open_in_root(resolved[0] ? resolved : "/", is_file ? O_PATH : O_PATH | O_DIRECTORY);
  if (fd < 0) fail("open in rootfs", path);
  return fd;
}

/* Splits path into its parent (opened, created if missing) and its last name; refuses "", "." and "..". */
static int parent_in_root(const char *path, char *base, size_t cap) {
  char buf[PATH_MAX];
  if (strlen(path) >= sizeof buf) { errno = ENAMETOOLONG; fail("open in rootfs", path); }
  strcpy(buf, path);
  size_t n = strlen(buf);
  while (n > 1 && buf[n - 1] == '/') buf[--n] = 0;
  char *slash = strrchr(buf, '/');
  const char *name = slash ? slash + 1 : buf;
  if (!*name || !strcmp(name, ".") || !strcmp(name, "..") || strlen(name) >= cap) {
    errno = EINVAL;
    fail("open in rootfs", path);
  }
  strcpy(base, name);
  if (slash) *slash = 0;
  return create_in_root(slash && buf[0] ? buf : "/", 0);
}

static void fd_path(int fd, char *buf, size_t cap) { snprintf(buf, cap, "/proc/self/fd/%d", fd); }

/* Flags a remount must keep, or the kernel refuses it inside a user namespace. */
static unsigned long locked_flags(const char *path) {
  struct statvfs s;
  unsigned long f = 0;
  if (statvfs(path, &s) < 0) return 0;
  if (s.f_flag & ST_NOSUID) f |= MS_NOSUID;
  if (s.f_flag & ST_NODEV) f |= MS_NODEV;
  if (s.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
  if (s.f_flag & ST_NOATIME) f |= MS_NOATIME;
  if (s.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
  if (s.f_flag & ST_RELATIME) f |= MS_RELATIME;
  return f;
}

/* The destination of a mount, resolved inside the rootfs now; a kernel filesystem only where allowed. */
static int mount_target(const char *dest, unsigned long kind) {
  int fd = create_in_root(dest, (kind & BERTH_MOUNT_FILE) != 0);
  if (!(kind & BERTH_MOUNT_ON_KERNEL_FS)) {
    struct statfs fs;
    if (fstatfs(fd, &fs) < 0) fail("statfs", dest);
    if (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC) {
      errno = EPERM;
      fail("mount (the destination is on procfs or sysfs: only proc, sysfs and cgroup mounts may go there)", dest);
    }
  }
  return fd;
}

static void do_mount(unsigned index) {
  const struct record *r = &L[R_MOUNT].items[index];
  const char *source = r->f[0].s, *dest = r->f[1].s, *fstype = r->f[2].s, *data = r->f[5].s;
  unsigned long flags = r->f[3].n, propagation = r->f[4].n, kind = r->f[6].n;
  char at[64], src[64];
  if (bind_src && bind_src[index] >= 0) {
    fd_path(bind_src[index], src, sizeof src);
    source = src;
  }
  int fd = mount_target(dest, kind);
  fd_path(fd, at, sizeof at);
  if (flags & MS_BIND) {
    if (mount(source, at, NULL, flags & (MS_BIND | MS_REC), NULL) < 0) fail("mount bind", dest);
  } else if (flags & MS_REMOUNT) {
    if (mount(NULL, at, NULL, flags, data[0] ? data : NULL) < 0) fail("mount remount", dest);
  } else if (mount(source, at, fstype, flags, data[0] ? data : NULL) < 0) {
    /* As runc: sysfs is its network namespace owner's to mount; a container with a user namespace of its own in a
       network namespace it joined gets the host's /sys bound instead (read-only, as the spec's sysfs). */
    if (!(errno == EPERM && !strcmp(fstype, "sysfs") && (NUM(R_CLONE, 0) & CLONE_NEWUSER))) fail("mount", dest);
    if (mount("/sys", at, NULL, MS_BIND | MS_REC, NULL) < 0) fail("mount bind /sys", dest);
    flags = MS_BIND | (flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC));
  }
  close(fd);
  unsigned long extra = (flags & MS_BIND) ? flags & ~(MS_BIND | MS_REC) : 0;
  if (!extra && !propagation) return;
  /* What is at dest now is the new mount: resolve it again, as runc does for each step. */
  fd = open_in_root(dest, O_PATH);
  if (fd < 0) fail("open in rootfs", dest);
  fd_path(fd, at, sizeof at);
  if (extra && mount(NULL, at, NULL, MS_BIND | MS_REMOUNT | extra | locked_flags(at), NULL) < 0)
    fail("mount remount", dest);
  if (propagation && mount(NULL, at, NULL, propagation, NULL) < 0) fail("mount propagation", dest);
  close(fd);
}

static void do_mknod(const struct record *r) {
  const char *path = r->f[0].s;
  char base[NAME_MAX + 1];
  int parent = parent_in_root(path, base, sizeof base);
  if (unlinkat(parent, base, 0) < 0 && errno != ENOENT) fail("unlink", path);
  mode_t old = umask(0);
  int rc = mknodat(parent, base, (mode_t)(r->f[1].n | (r->f[4].n & 07777)), makedev(r->f[2].n, r->f[3].n));
  umask(old);
  if (rc < 0) fail("mknod", path);
  if (fchownat(parent, base, (uid_t)r->f[5].n, (gid_t)r->f[6].n, AT_SYMLINK_NOFOLLOW) < 0) fail("chown", path);
  close(parent);
}

static void do_bind_node(const struct record *r) {
  char at[64];
  int fd = create_in_root(r->f[1].s, 1);
  fd_path(fd, at, sizeof at);
  if (mount(r->f[0].s, at, NULL, MS_BIND, NULL) < 0) fail("mount bind", r->f[1].s);
  close(fd);
}

static void do_symlink(const struct record *r) {
  char base[NAME_MAX + 1];
  int parent = parent_in_root(r->f[1].s, base, sizeof base);
  if (symlinkat(r->f[0].s, parent, base) < 0 && errno != EEXIST) fail("symlink", r->f[1].s);
  close(parent);
}

static void write_file(const char *path, const char *value) {
  int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) fail("open", path);
  if (write(fd, value, strlen(value)) < 0) fail("write", path);
  close(fd);
}

/* A net.* sysctl of a network namespace the container joins but does not make, while it makes a user namespace:
   only the network namespace's owner (the host) may write it, so the parent writes it, still host root. */
static int sysctl_by_parent(const char *key) {
  unsigned long long clone = NUM(R_CLONE, 0);
  return !strncmp(key, "net/", 4) && (clone & CLONE_NEWUSER) && !(clone & CLONE_NEWNET);
}

static void write_sysctls(int parent) {
  for (unsigned i = 0; i < L[R_SYSCTL].n; i++) {
    const char *key = L[R_SYSCTL].items[i].f[0].s;
    if (sysctl_by_parent(key) != parent) continue;
    /* Java allows only namespaced keys of plain names; O_NOFOLLOW keeps even those inside /proc/sys. */
    char path[PATH_MAX];
    snprintf(path, sizeof path, "/proc/sys/%s", key);
    write_file(path, L[R_SYSCTL].items[i].f[1].s);
  }
}

static void enter_root(void) {
  const char *rootfs = STR(R_ROOTFS);
  if (HAS(R_PIVOT)) {
    int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (oldroot < 0) fail("open", "/");
    int newroot = new_root >= 0 ? new_root : open(rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    new_root = -1;
    if (newroot < 0) fail("open", rootfs);
    if (fchdir(newroot) < 0) fail("fchdir", rootfs);
    /* pivot_root(".", ".") stacks the old root on the new one; no put_old directory needed. */
    if (syscall(SYS_pivot_root, ".", ".") < 0) fail("pivot_root", rootfs);
    if (fchdir(oldroot) < 0) fail("fchdir", "old root");
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) fail("mount rslave", "old root");
    if (umount2(".", MNT_DETACH) < 0) fail("umount2", "old root");
    close(oldroot);
    close(newroot);
  } else {
    if (chdir(rootfs) < 0) fail("chdir", rootfs);
    if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0) fail("mount move", rootfs);
    if (chroot(".") < 0) fail("chroot", rootfs);
  }
  if (chdir("/") < 0) fail("chdir", "/");
}

/* After pivot_root "/" is the container's own root, so plain paths cannot reach the host any more. */
static void mask_path(const char *path) {
  struct stat st;
  if (stat(path, &st) < 0) {
    if (errno == ENOENT) return;
    fail("stat", path);
  }
  if (S_ISDIR(st.st_mode)) {
    if (mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL) < 0) fail("mount tmpfs", path);
  } else if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0) {
    fail("mount bind /dev/null", path);
  }
}

static void readonly_path(const char *path) {
  if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
    if (errno == ENOENT) return;
    fail("mount bind", path);
  }
  unsigned long f = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | locked_flags(path);
  if (mount(NULL, path, NULL, f, NULL) < 0) fail("mount remount ro", path);
}

static int send_fd(int sock, int fd) {
  char dummy = 'x';
  struct iovec iov = {.iov_base = &dummy, .iov_len = 1};
  char cbuf[CMSG_SPACE(sizeof(int))];
  memset(cbuf, 0, sizeof cbuf);
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof(int));
  return sendmsg(sock, &msg, 0) < 0 ? -1 : 0;
}

/* Makes a pty in the container's devpts, hands the master to the console socket, keeps the slave as stdio. */
static void setup_console(int console_sock) {
  int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) fail("open", "/dev/ptmx");
  int unlock = 0;
  if (ioctl(master, TIOCSPTLCK, &unlock) < 0) fail("ioctl TIOCSPTLCK", "/dev/ptmx");
  int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
  if (slave < 0) fail("ioctl TIOCGPTPEER", "/dev/ptmx");
  if (HAS(R_CONSOLE_SIZE)) {
    struct winsize ws = {.ws_row = (unsigned short)NUM(R_CONSOLE_SIZE, 0),
                         .ws_col = (unsigned short)NUM(R_CONSOLE_SIZE, 1)};
    if ((ws.ws_row || ws.ws_col) && ioctl(slave, TIOCSWINSZ, &ws) < 0) fail("ioctl TIOCSWINSZ", "pty");
  }
  if (send_fd(console_sock, master) < 0) fail("sendmsg", STR(R_CONSOLE));
  close(master);
  close(console_sock);
  if (setsid() < 0) fail("setsid", "console");
  if (ioctl(slave, TIOCSCTTY, 0) < 0) fail("ioctl TIOCSCTTY", "pty");
  for (int i = 0; i < 3; i++)
    if (dup2(slave, i) < 0) fail("dup2", "pty");
  if (slave > 2) close(slave);
}

static int connect_console(const char *path) {
  int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) fail("socket", path);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  int dir = -1;
  if (strlen(path) >= sizeof addr.sun_path) {
    /* Past sun_path's 108 bytes: through a descriptor of its directory, /proc/self/fd/N/NAME. */
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path || strlen(slash + 1) > NAME_MAX) { errno = ENAMETOOLONG; fail("connect", path); }
    char parent[PATH_MAX];
    if ((size_t)(slash - path) >= sizeof parent) { errno = ENAMETOOLONG; fail("connect", path); }
    memcpy(parent, path, (size_t)(slash - path));
    parent[slash - path] = 0;
    dir = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) fail("open", parent);
    snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s", dir, slash + 1);
    if (strlen(addr.sun_path) + 1 >= sizeof addr.sun_path) { errno = ENAMETOOLONG; fail("connect", path); }
  } else {
    strcpy(addr.sun_path, path);
  }
  if (connect(s, (struct sockaddr *)&addr, sizeof addr) < 0) fail("connect", path);
  if (dir >= 0) close(dir);
  return s;
}

static int capset_all(unsigned long long eff, unsigned long long perm, unsigned long long inh) {
  struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct d[2];
  d[0].effective = (uint32_t)eff; d[1].effective = (uint32_t)(eff >> 32);
  d[0].permitted = (uint32_t)perm; d[1].permitted = (uint32_t)(perm >> 32);
  d[0].inheritable = (uint32_t)inh; d[1].inheritable = (uint32_t)(inh >> 32);
  return (int)syscall(SYS_capset, &h, d);
}

static int last_cap(void) {
  int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
  char buf[16] = {0};
  if (fd < 0) return CAP_LAST_CAP;
  ssize_t r = read(fd, buf, sizeof buf - 1);
  close(fd);
  return r > 0 ? atoi(buf) : CAP_LAST_CAP;
}

/* Finds the program the way execvp would, but in the container's PATH, before reporting ready. */
static const char *find_program(const char *name, char *buf, size_t cap) {
  if (strchr(name, '/')) return access(name, X_OK) == 0 ? name : NULL;
  const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  for (unsigned i = 0; ENV[i]; i++)
    if (!strncmp(ENV[i], "PATH=", 5)) path = ENV[i] + 5;
  while (*path) {
    const char *colon = strchr(path, ':');
    size_t len = colon ? (size_t)(colon - path) : strlen(path);
    snprintf(buf, cap, "%.*s/%s", (int)len, len ? path : ".", name);
    struct stat st;
    if (access(buf, X_OK) == 0 && stat(buf, &st) == 0 && S_ISREG(st.st_mode)) return buf;
    if (!colon) break;
    path = colon + 1;
  }
  errno = ENOENT;
  return NULL;
}

/*
 * execve refuses (E2BIG) args and env larger than a quarter of RLIMIT_STACK, capped at 6 MiB (the
 * kernel's bprm_stack_limits). Checked before "ready" so that create fails with the reason, not the
 * start with a line on the container's stderr.
 */
static void check_exec_size(void) {
  size_t need = 0;
  for (unsigned i = 0; ARGS[i]; i++) need += strlen(ARGS[i]) + 1 + sizeof(char *);
  for (unsigned i = 0; ENV[i]; i++) need += strlen(ENV[i]) + 1 + sizeof(char *);
  need += 2 * sizeof(char *);
  struct rlimit stack;
  size_t limit = 8u << 20;
  if (getrlimit(RLIMIT_STACK, &stack) == 0 && stack.rlim_cur != RLIM_INFINITY) limit = stack.rlim_cur;
  limit /= 4;
  if (limit > (6u << 20)) limit = 6u << 20;
  if (limit < (128u << 10)) limit = 128u << 10;
  if (need > limit) {
    say("error exec process.args and process.env: %zu bytes with their pointers, more than the %zu bytes the kernel "
        "passes to a program (a quarter of RLIMIT_STACK): E2BIG (Argument list too long)", need, limit);
    _exit(1);
  }
}

static int setgroups_denied(void) {
  char buf[16] = "";
  int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  return n > 0 && !strncmp(buf, "deny", 4);
}

static void set_identity(int cap_last) {
  const struct record *caps = HAS(R_CAPS) ? &L[R_CAPS].items[0] : NULL; /* bounding effective inheritable permitted ambient */
  if (caps) {
    for (int c = 0; c <= cap_last; c++)
      if (!(caps->f[0].n & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
        fail("prctl PR_CAPBSET_DROP", "bounding set");
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) fail("prctl PR_SET_KEEPCAPS", "");
  }
  if (HAS(R_USER)) {
    unsigned n = L[R_GROUP].n;
    gid_t *groups = calloc(n ? n : 1, sizeof *groups);
    if (!groups) fail("malloc", "groups");
    for (unsigned i = 0; i < n; i++) groups[i] = (gid_t)L[R_GROUP].items[i].f[0].n;
    gid_t gid = (gid_t)NUM(R_USER, 1);
    uid_t uid = (uid_t)NUM(R_USER, 0);
    /* A rootless runtime maps its gid with setgroups denied (as runc): then only an empty list may be asked. */
    if (setgroups(n, groups) < 0 && !(errno == EPERM && n == 0 && setgroups_denied()))
      fail("setgroups", "process.user.additionalGids");
    if (setresgid(gid, gid, gid) < 0) fail("setresgid", "process.user.gid");
    if (setresuid(uid, uid, uid) < 0) fail("setresuid", "process.user.uid");
    free(groups);
  }
  if (caps) {
    if (capset_all(caps->f[1].n, caps->f[3].n, caps->f[2].n) < 0) fail("capset", "process.capabilities");
    /* As runc: an ambient capability missing from the inheritable set cannot be raised; skip it, do not fail. */
    for (int c = 0; c <= cap_last; c++)
      if ((caps->f[4].n & (1ULL << c)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0 && errno != EPERM)
        fail("prctl PR_CAP_AMBIENT_RAISE", "process.capabilities.ambient");
  }
}

/* Makes the mount that holds path private (not recursive), as runc's rootfsParentMountPrivate: the rootfs bound
   under it is then private too, which pivot_root requires (it refuses shared mounts with EINVAL) whatever
   rootfsPropagation made of "/", and a bind under an unbindable mount becomes possible. */
static void parent_mount_private(const char *path) {
  char real[PATH_MAX], via_fd[64];
  if (rootfs_src >= 0) {
    /* The namespace's root may not traverse the host's 0700 directories: the descriptor opened before it
       became that root names the rootfs instead. */
    fd_path(rootfs_src, via_fd, sizeof via_fd);
    ssize_t n = readlink(via_fd, real, sizeof real - 1);
    if (n < 0) fail("readlink", path);
    real[n] = 0;
  } else if (!realpath(path, real)) {
    fail("realpath", path);
  }
  FILE *f = fopen("/proc/self/mountinfo", "re");
  if (!f) fail("open", "/proc/self/mountinfo");
  char *line = NULL, best[PATH_MAX] = "/";
  size_t cap = 0, best_len = 1;
  while (getline(&line, &cap, f) > 0) {
    /* id parent major:minor root mountpoint ...: the fifth field, octal escapes undone */
    char *p = line;
    for (int field = 0; field < 4 && p; field++) p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL;
    if (!p) continue;
    char point[PATH_MAX];
    size_t n = 0;
    for (; *p && *p != ' ' && n + 1 < sizeof point; p++) {
      if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] && p[3]) {
        point[n++] = (char)(((p[1] - '0') << 6) | ((p[2] - '0') << 3) | (p[3] - '0'));
        p += 3;
      } else {
        point[n++] = *p;
      }
    }
    point[n] = 0;
    size_t len = strlen(point);
    int under = !strcmp(point, "/") || (!strncmp(real, point, len) && (real[len] == '/' || real[len] == 0));
    if (under && len >= best_len) {
      strcpy(best, point);
      best_len = len;
    }
  }
  free(line);
  fclose(f);
  const char *target = best;
  if (rootfs_src >= 0 && !strcmp(best, real)) target = via_fd; /* the rootfs is that mount: by its descriptor */
  if (mount(NULL, target, NULL, MS_PRIVATE, NULL) < 0) {
    /* an ancestor the namespace's root cannot reach: its clone below is what pivot_root sees */
    if (errno == EACCES && rootfs_src >= 0) return;
    fail("mount private", best);
  }
}

static void setup_rootfs(void) {
  const char *rootfs = STR(R_ROOTFS);
  char line[64];
  unsigned long propagation = HAS(R_PROPAGATION) ? NUM(R_PROPAGATION, 0) : (MS_SLAVE | MS_REC);
  if (mount(NULL, "/", NULL, propagation, NULL) < 0) fail("mount propagation", "/");
  parent_mount_private(rootfs);
  if (rootfs_src >= 0) {
    /* The same bind as below, through the descriptor opened as the host's uid; the clone's root is the new root. */
    new_root = (int)syscall(SYS_open_tree, rootfs_src, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
    if (new_root < 0) fail("open_tree", rootfs);
    if (syscall(SYS_move_mount, new_root, "", rootfs_src, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
      fail("move_mount", rootfs);
    close(rootfs_src);
    rootfs_src = -1;
    root_fd = fcntl(new_root, F_DUPFD_CLOEXEC, 0);
  } else {
    if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) fail("mount bind", rootfs);
    root_fd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  }
  if (root_fd < 0) fail("open", rootfs);
  for (unsigned i = 0; i < L[R_MOUNT].n; i++) do_mount(i);
  if (bind_src) {
    for (unsigned i = 0; i < L[R_MOUNT].n; i++)
      if (bind_src[i] >= 0) close(bind_src[i]);
    free(bind_src);
    bind_src = NULL;
  }
  for (unsigned i = 0; i < L[R_MKNOD].n; i++) do_mknod(&L[R_MKNOD].items[i]);
  for (unsigned i = 0; i < L[R_BIND_NODE].n; i++) do_bind_node(&L[R_BIND_NODE].items[i]);
  for (unsigned i = 0; i < L[R_SYMLINK].n; i++) do_symlink(&L[R_SYMLINK].items[i]);
  close(root_fd);
  root_fd = -1;
  if (HAS(R_HOOKPOINT)) {
    /* Java runs prestart, createRuntime and createContainer hooks here: mounts done, root not yet pivoted. */
    say("hooks");
    if (read_line(ctl, line, sizeof line) < 0 || strcmp(line, "resume")) { errno = ECONNABORTED; fail("read", "control socket"); }
  }
  enter_root();
  /* As runc: the propagation asked for is the new root's too, set once it is "/" (set before, on the bind, a
     shared one would have made pivot_root fail); private is what the bind already is. */
  if (!(propagation & MS_PRIVATE) && mount(NULL, "/", NULL, propagation, NULL) < 0) fail("mount propagation", "/ (new root)");
  for (unsigned i = 0; i < L[R_MASK].n; i++) mask_path(L[R_MASK].items[i].f[0].s);
  for (unsigned i = 0; i < L[R_READONLY].n; i++) readonly_path(L[R_READONLY].items[i].f[0].s);
  if (HAS(R_ROOT_READONLY) && mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | locked_flags("/"), NULL) < 0)
    fail("mount remount ro", "/");
}

static void __attribute__((noreturn)) seccomp_fail(const char *call, const char *what, int r) {
  errno = -r;
  fail(call, what);
}

/* The filter of linux.seccomp as libseccomp builds it. */
static scmp_filter_ctx seccomp_filter(void) {
  uint32_t fallback = (uint32_t)NUM(R_SECCOMP, 0);
  unsigned long long flags = NUM(R_SECCOMP, 1);
  scmp_filter_ctx ctx = seccomp_init(fallback);
  if (!ctx) seccomp_fail("seccomp_init", "linux.seccomp.defaultAction", -EINVAL);
  int r;
  /* no_new_privs is process.noNewPrivileges' to set, not libseccomp's: without it the filter is loaded while
     CAP_SYS_ADMIN is still held. */
  if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0) seccomp_fail("seccomp_attr_set", "no_new_privs", r);
  /* A binary tree of syscall numbers rather than a list: each call walks a few instructions instead of up to
     a thousand, and the kernel's per-syscall action cache, computed by running the filter for every syscall
     when it is attached, is built in a fraction of the time. Slower to compile, but compiled once a profile. */
  if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2)) < 0) seccomp_fail("seccomp_attr_set", "optimize", r);
  if ((flags & BERTH_SECCOMP_TSYNC) && (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) < 0)
    seccomp_fail("seccomp_attr_set", "SECCOMP_FILTER_FLAG_TSYNC", r);
  if ((flags & BERTH_SECCOMP_LOG) && (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1)) < 0)
    seccomp_fail("seccomp_attr_set", "SECCOMP_FILTER_FLAG_LOG", r);
  if ((flags & BERTH_SECCOMP_SPEC_ALLOW) && (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1)) < 0)
    seccomp_fail("seccomp_attr_set", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", r);
  for (unsigned i = 0; i < L[R_SECCOMP_ARCH].n; i++) {
    const char *name = L[R_SECCOMP_ARCH].items[i].f[0].s;
    uint32_t arch = seccomp_arch_resolve_name(name);
    if (!arch) bad_plan("SECCOMP_ARCH", "an architecture libseccomp does not know");
    if ((r = seccomp_arch_add(ctx, arch)) < 0 && r != -EEXIST) seccomp_fail("seccomp_arch_add", name, r);
  }
  unsigned nargs = L[R_SECCOMP_ARG].n;
  for (unsigned i = 0; i < L[R_SECCOMP_RULE].n; i++) {
    const struct record *rule = &L[R_SECCOMP_RULE].items[i];
    const char *name = rule->f[0].s;
    uint32_t action = (uint32_t)rule->f[1].n;
    unsigned long long first = rule->f[2].n, count = rule->f[3].n;
    if (first > nargs || count > nargs - first || count > 6) bad_plan("SECCOMP_RULE", "arguments out of range");
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR || action == fallback) continue; /* unknown here, or what the default does anyway */
    struct scmp_arg_cmp cmp[6];
    int repeated = 0;
    for (unsigned j = 0; j < count; j++) {
      const struct record *a = &L[R_SECCOMP_ARG].items[first + j];
      if (a->f[0].n > 5 || a->f[1].n < SCMP_CMP_NE || a->f[1].n > SCMP_CMP_MASKED_EQ)
        bad_plan("SECCOMP_ARG", "bad index or comparison");
      cmp[j] = (struct scmp_arg_cmp){.arg = (unsigned)a->f[0].n, .op = (enum scmp_compare)a->f[1].n,
                                     .datum_a = a->f[2].n, .datum_b = a->f[3].n};
      for (unsigned k = 0; k < j; k++) repeated |= cmp[k].arg == cmp[j].arg;
    }
    if (repeated) {
      /* Conditions on one argument would all have to hold at once: as runc, each is a rule of its own. */
      for (unsigned j = 0; j < count; j++)
        if ((r = seccomp_rule_add_array(ctx, action, nr, 1, &cmp[j])) < 0) seccomp_fail("seccomp_rule_add", name, r);
    } else if ((r = seccomp_rule_add_array(ctx, action, nr, (unsigned)count, cmp)) < 0) {
      seccomp_fail("seccomp_rule_add", name, r);
    }
  }
  return ctx;
}

/* The compiled filter, loaded just before execve; filter == NULL when linux.seccomp is absent. */
static struct sock_fprog seccomp_prog;

/* A classic BPF program from fd: whole instructions, no more than the kernel takes. */
static int read_bpf(int fd, struct sock_fprog *prog) {
  struct stat st;
  if (fstat(fd, &st) < 0) return -1;
  if (!S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) ||
      st.st_size > (off_t)(BPF_MAXINSNS * sizeof(struct sock_filter))) {
    errno = EINVAL;
    return -1;
  }
  struct sock_filter *f = malloc((size_t)st.st_size);
  if (!f) return -1;
  size_t done = 0;
  while (done < (size_t)st.st_size) {
    ssize_t n = pread(fd, (char *)f + done, (size_t)st.st_size - done, (off_t)done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) { free(f); errno = n == 0 ? EIO : errno; return -1; }
    done += (size_t)n;
  }
  prog->len = (unsigned short)(st.st_size / sizeof *f);
  prog->filter = f;
  return 0;
}

/* Writes the compiled filter where the next container with this profile finds it; a failure only costs the
   next one a compile. Written aside and renamed, so a reader never sees half of it. */
static void store_bpf(const char *path, const struct sock_fprog *prog) {
  char tmp[PATH_MAX];
  if (snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, (int)getpid()) >= (int)sizeof tmp) return;
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return;
  size_t len = prog->len * sizeof *prog->filter, done = 0;
  while (done < len) {
    ssize_t n = write(fd, (const char *)prog->filter + done, len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += (size_t)n;
  }
  if (close(fd) < 0 || done < len || rename(tmp, path) < 0) unlink(tmp);
}

/* Compiles linux.seccomp (or reads what an earlier container compiled from the same records) while this
   process is still on the host: the cache is a host path, and compiling three architectures costs
   milliseconds that a read does not. */
static void seccomp_prepare(void) {
  if (!HAS(R_SECCOMP)) return;
  const char *cache = STR(R_SECCOMP_CACHE);
  int cached = (NUM(R_SECCOMP, 1) & BERTH_SECCOMP_CACHED) != 0;
  if (cached && !cache) bad_plan("SECCOMP", "rules left out without a SECCOMP_CACHE");
  if (cache) {
    int fd = open(cache, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) {
      int ok = read_bpf(fd, &seccomp_prog) == 0;
      /* In use: the runtime prunes only filters unused for ten minutes. Touched at most once a minute, as
         an inode update on every create costs the journal a write. */
      struct stat st;
      if (ok && fstat(fd, &st) == 0 && time(NULL) - st.st_mtime > 60) futimens(fd, NULL);
      close(fd);
      if (ok) return;
    }
    if (cached) fail("read the compiled filter", cache);
  }
  scmp_filter_ctx ctx = seccomp_filter();
  int mfd = memfd_create("berth-seccomp", MFD_CLOEXEC);
  if (mfd < 0) fail("memfd_create", "linux.seccomp");
  int r = seccomp_export_bpf(ctx, mfd);
  if (r < 0) seccomp_fail("seccomp_export_bpf", "linux.seccomp", r);
  seccomp_release(ctx);
  if (read_bpf(mfd, &seccomp_prog) < 0) fail("read", "compiled linux.seccomp");
  close(mfd);
  if (cache) store_bpf(cache, &seccomp_prog);
}

/* What seccomp_load would do with the same program: libseccomp's filter attributes are the kernel's flags. */
static void seccomp_apply(void) {
  unsigned long long flags = NUM(R_SECCOMP, 1), kflags = 0;
  if (flags & BERTH_SECCOMP_TSYNC) kflags |= SECCOMP_FILTER_FLAG_TSYNC;
  if (flags & BERTH_SECCOMP_LOG) kflags |= SECCOMP_FILTER_FLAG_LOG;
  if (flags & BERTH_SECCOMP_SPEC_ALLOW) kflags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned)kflags, &seccomp_prog) < 0)
    fail("seccomp SECCOMP_SET_MODE_FILTER", "linux.seccomp");
  free(seccomp_prog.filter);
  seccomp_prog.filter = NULL;
}

/* A new network namespace's loopback starts down: up, as runc and crun bring it (127.0.0.1 then answers). */
static void loopback_up(void) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) fail("socket", "loopback");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strcpy(ifr.ifr_name, "lo");
  if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) fail("ioctl SIOCGIFFLAGS", "lo");
  if (!(ifr.ifr_flags & IFF_UP)) {
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) fail("ioctl SIOCSIFFLAGS", "lo");
  }
  close(s);
}

static int container_main(int is_create, int console_sock) {
  char line[64];
  if (read_line(ctl, line, sizeof line) < 0 || strcmp(line, "go")) { errno = ECONNABORTED; fail("read", "control socket"); }
  /* Host paths are opened while still host root: the namespace's root may not be allowed to. */
  int fifo = -1;
  if (is_create) {
    /* O_RDWR never blocks on a fifo, and keeps a writer so read() waits for `start`. */
    fifo = open(STR(R_FIFO), O_RDWR | O_CLOEXEC);
    if (fifo < 0) fail("open", STR(R_FIFO));
  }
  if (is_create && (NUM(R_CLONE, 0) & CLONE_NEWUSER) && HAS(R_ROOTFS)) {
    rootfs_src = open(STR(R_ROOTFS), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfs_src < 0) fail("open", STR(R_ROOTFS));
    bind_src = malloc((L[R_MOUNT].n + 1) * sizeof *bind_src);
    if (!bind_src) fail("malloc", "mounts");
    for (unsigned i = 0; i < L[R_MOUNT].n; i++) {
      const struct record *m = &L[R_MOUNT].items[i];
      bind_src[i] = -1;
      if ((m->f[3].n & MS_BIND) && (bind_src[i] = open(m->f[0].s, O_PATH | O_CLOEXEC)) < 0) fail("open", m->f[0].s);
    }
  }
  if (NUM(R_CLONE, 0) & CLONE_NEWUSER) {
    /* The maps are written now: become the namespace's root, or new files would belong to an unmapped id. */
    if (setresgid(0, 0, 0) < 0) fail("setresgid", "user namespace root");
    if (setresuid(0, 0, 0) < 0) fail("setresuid", "user namespace root");
  }
  if (HAS(R_CGROUPNS) && unshare(CLONE_NEWCGROUP) < 0) fail("unshare", "cgroup namespace");
  if (is_create && (NUM(R_CLONE, 0) & CLONE_NEWNET)) loopback_up();
  int cap_last = last_cap();
  if (is_create) {
    const char *hostname = STR(R_HOSTNAME), *domainname = STR(R_DOMAINNAME);
    if (hostname && sethostname(hostname, strlen(hostname)) < 0) fail("sethostname", hostname);
    if (domainname && setdomainname(domainname, strlen(domainname)) < 0) fail("setdomainname", domainname);
    write_sysctls(0);
    if (HAS(R_ROOTFS)) setup_rootfs();
  }
  if (console_sock >= 0) setup_console(console_sock);
  for (unsigned i = 0; i < L[R_RLIMIT].n; i++) {
    const struct record *r = &L[R_RLIMIT].items[i];
    struct rlimit rl = {.rlim_cur = r->f[1].n, .rlim_max = r->f[2].n};
    if (setrlimit((int)r->f[0].n, &rl) < 0) fail("setrlimit", "process.rlimits");
  }
  if (HAS(R_UMASK)) umask((mode_t)NUM(R_UMASK, 0));
  /* Without no_new_privs the kernel takes a filter only from a holder of CAP_SYS_ADMIN: load it before the
     capabilities go (the profile then has to allow what follows, as with runc). */
  if (seccomp_prog.filter && !HAS(R_NO_NEW_PRIVS)) seccomp_apply();
  set_identity(cap_last);
  const char *cwd = STR(R_CWD);
  if (cwd && chdir(cwd) < 0) fail("chdir", cwd);
  if (HAS(R_NO_NEW_PRIVS) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail("prctl PR_SET_NO_NEW_PRIVS", "");
  check_exec_size();
  char progbuf[PATH_MAX];
  const char *prog = find_program(ARGS[0], progbuf, sizeof progbuf);
  if (!prog) fail("exec", ARGS[0]);
  /* An exec's filter goes on as close to execve as it can while a failure still reaches the runtime. */
  if (seccomp_prog.filter && !is_create) seccomp_apply();
  say("ready");
  close(ctl);
  ctl = -1;
  if (is_create) {
    /* A create's goes on after "ready", while the runtime returns and its caller starts the container: the
       kernel's attach (it JIT-compiles the filter and runs it once per syscall number to build its action
       cache, ~0.3 ms for Docker's profile) overlaps their work instead of lengthening create, as runc 1.0
       loaded it after the handshake. A failure here ends this process on its stderr: the program never runs
       unfiltered, and a start that comes after finds the init gone. */
    if (seccomp_prog.filter) seccomp_apply();
    char b;
    ssize_t r;
    do r = read(fifo, &b, 1); while (r < 0 && errno == EINTR);
    if (r <= 0) fail("read", "exec fifo");
    close(fifo);
  }
  /* The program starts with every signal at its default and none blocked, whatever its parents did. */
  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  execve(prog, (char *const *)ARGS, (char *const *)ENV);
  fail("execve", prog);
}

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* The watchdog's deadline file, as a directory opened before any namespace is joined and a name in it. */
static int watchdog_dir = -1;
static char watchdog_name[NAME_MAX + 1];

static void open_watchdog(void) {
  const char *path = STR(R_WATCHDOG);
  if (!path) return;
  const char *slash = strrchr(path, '/');
  if (path[0] != '/' || !slash[1] || strlen(slash + 1) > NAME_MAX || (size_t)(slash - path) >= PATH_MAX)
    bad_plan("WATCHDOG", "needs an absolute path to a file");
  char dir[PATH_MAX];
  size_t n = slash == path ? 1 : (size_t)(slash - path);
  memcpy(dir, path, n);
  dir[n] = 0;
  watchdog_dir = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (watchdog_dir < 0) fail("open", dir);
  strcpy(watchdog_name, slash + 1);
}

/* True while the file's deadline is ahead of CLOCK_MONOTONIC; a missing or unreadable file has none. */
static int watchdog_holds(void) {
  int fd = openat(watchdog_dir, watchdog_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return 0;
  char buf[32];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  char *end;
  errno = 0;
  long long deadline = strtoll(buf, &end, 10);
  if (end == buf || errno) return 0;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000 < deadline;
}

/* Until the child exits, kills it once the watchdog's deadline has passed: the node stops a unique replica
   when its agent can no longer renew the node's lease, whether the agent is cut off, paused or dead. */
static void watch(pid_t child) {
  int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
  for (;;) {
    if (!watchdog_holds()) {
      kill(child, SIGKILL);
      break;
    }
    if (pidfd >= 0) {
      struct pollfd p = {.fd = pidfd, .events = POLLIN};
      if (poll(&p, 1, BERTH_WATCHDOG_POLL_MS) > 0) break; /* it exited */
    } else {
      siginfo_t info = {0};
      struct timespec pause = {0, BERTH_WATCHDOG_POLL_MS * 1000000L};
      nanosleep(&pause, NULL);
      if (waitid(P_PID, child, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid) break;
    }
  }
  if (pidfd >= 0) close(pidfd);
}

static void record_exit(pid_t child) {
  int status;
  pid_t r;
  do r = waitpid(child, &status, 0); while (r < 0 && errno == EINTR);
  int code = r < 0 ? 255 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  const char *exitfile = STR(R_EXITFILE);
  if (exitfile) {
    char tmp[PATH_MAX], buf[32];
    snprintf(tmp, sizeof tmp, "%s.tmp", exitfile);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
      int n = snprintf(buf, sizeof buf, "%d\n", code);
      /* No fsync: the state root is a tmpfs (/run), and no container outlives a crash of the host. */
      if (write(fd, buf, n) != n) unlink(tmp);
      close(fd);
      rename(tmp, exitfile);
    }
  }
  _exit(code);
}

/* Whether the plan joins a user namespace (so an EPERM may be one that its privileges cure). */
static int userfd_pending(unsigned njoins) {
  for (unsigned i = 0; i < njoins; i++)
    if ((int)L[R_JOIN].items[i].f[0].n == CLONE_NEWUSER) return 1;
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: berth-init <control-socket>\n(run by the Berth runtime, not by hand)\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  /* Not dumpable until the container's program is exec'd (execve makes it dumpable again): a process in
     the container sees this one (an exec's helper joins its pid namespace) but may neither open its
     /proc/PID/exe, this binary on the host (CVE-2019-5736), nor its fds or memory. */
  /* (A rootless runtime keeps it dumpable: its binary is root's, which a container of an ordinary user cannot
     write anyway, and it writes the id maps of the child through /proc, which non-dumpable would make root's.) */
  if (geteuid() == 0 && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) fail("prctl PR_SET_DUMPABLE", "");
  /* A session of its own, as a shim's: Ctrl-C in the terminal that started `berth up` goes to that
     terminal's foreground process group and must reach neither this monitor nor the container. */
  setsid();
  ctl = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (ctl < 0) fail("socket", argv[1]);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(argv[1]) >= sizeof addr.sun_path) { errno = ENAMETOOLONG; fail("connect", argv[1]); }
  strcpy(addr.sun_path, argv[1]);
  if (connect(ctl, (struct sockaddr *)&addr, sizeof addr) < 0) {
    int e = errno;
    close(ctl);
    ctl = -1; /* errors go to stderr when Java cannot be reached */
    errno = e;
    fail("connect", argv[1]);
  }

  char line[64];
  if (read_line(ctl, line, sizeof line) < 0) { errno = EPROTO; fail("read", "plan length"); }
  char *endp;
  unsigned long long len = strtoull(line, &endp, 10);
  if (endp == line || *endp || len < 4 || len > BERTH_PLAN_MAX_BYTES) bad_plan("header", "bad plan length");
  char *buf = malloc(len);
  if (!buf) fail("malloc", "plan");
  if (read_full(ctl, buf, len) < 0) { errno = EPROTO; fail("read", "plan"); }
  parse_plan(buf, len);
  const char *mode = STR(R_MODE);
  if (!mode || !L[R_ARG].n) bad_plan("MODE", "mode and at least one ARG are required");
  int is_create = !strcmp(mode, "create");
  /* A create without ROOTFS has no mount namespace of its own: it stays in the runtime's root, as runc's. */
  if (is_create && !HAS(R_FIFO)) bad_plan("FIFO", "create needs FIFO");

  seccomp_prepare(); /* its cache is a host path too */
  /* The console socket is a host path: connected before an exec joins the container's mount namespace. */
  int console_sock = HAS(R_CONSOLE) ? connect_console(STR(R_CONSOLE)) : -1;
  if (HAS(R_WATCHDOG) && !HAS(R_MONITOR)) bad_plan("WATCHDOG", "needs MONITOR");
  open_watchdog(); /* before joining a mount namespace, like the namespaces below */
  /* Open every namespace first: after joining a mount namespace, /proc/PID paths mean something else. */
  unsigned njoins = L[R_JOIN].n;
  int nsfds[16];
  for (unsigned i = 0; i < njoins; i++) {
    nsfds[i] = open(L[R_JOIN].items[i].f[1].s, O_RDONLY | O_CLOEXEC);
    if (nsfds[i] < 0) fail("open", L[R_JOIN].items[i].f[1].s);
  }
  /* The user namespace (planned first) is joined last by a privileged runtime: joining it gives up the host's
     privileges, and a namespace the host owns (a network namespace the node pinned) needs them. One that needs the
     user namespace's privileges instead (an unprivileged runtime) is retried after it. */
  int deferred[16], ndeferred = 0, userfd = -1;
  for (unsigned i = 0; i < njoins; i++) {
    int type = (int)L[R_JOIN].items[i].f[0].n;
    if (type == CLONE_NEWUSER) {
      userfd = nsfds[i];
      continue;
    }
    if (setns(nsfds[i], type) < 0) {
      if (errno != EPERM || !userfd_pending(njoins)) fail("setns", L[R_JOIN].items[i].f[1].s);
      deferred[ndeferred++] = (int)i;
      continue;
    }
    close(nsfds[i]);
  }
  if (userfd >= 0) {
    if (setns(userfd, CLONE_NEWUSER) < 0) fail("setns", "user namespace");
    close(userfd);
  }
  for (int d = 0; d < ndeferred; d++) {
    unsigned i = (unsigned)deferred[d];
    if (setns(nsfds[i], (int)L[R_JOIN].items[i].f[0].n) < 0) fail("setns", L[R_JOIN].items[i].f[1].s);
    close(nsfds[i]);
  }
  if (is_create) write_sysctls(1); /* in the network namespace joined above */
  /* A deadline already past: the container would be killed as it starts. */
  if (watchdog_dir >= 0 && !watchdog_holds()) { errno = ETIME; fail("watchdog deadline passed", STR(R_WATCHDOG)); }
  /* fork-like clone: the child gets fresh namespaces; a new pid namespace applies to it alone. */
  pid_t child = (pid_t)syscall(SYS_clone, SIGCHLD | NUM(R_CLONE, 0), NULL, NULL, NULL, 0);
  if (child < 0) fail("clone", "container process");
  if (child == 0) {
    if (watchdog_dir >= 0) close(watchdog_dir); /* a host directory: nothing the container may hold */
    return container_main(is_create, console_sock);
  }
  if (console_sock >= 0) close(console_sock);
  say("pid %d", (int)child);
  if (!HAS(R_MONITOR)) _exit(0);
  close(ctl);
  ctl = -1;
  if (watchdog_dir >= 0) watch(child);
  record_exit(child);
}
