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
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define MAX_ITEMS 1024

struct mount_op {
  const char *source, *target, *fstype, *data, *kind;
  unsigned long flags, propagation;
};

struct node_op {  /* mknod, bind of a host node, or symlink */
  char op;        /* 'n' mknod, 'b' bind, 's' symlink */
  const char *a, *b;
  unsigned long type, major, minor, mode, uid, gid;
};

struct plan {
  const char *mode;        /* create | exec */
  unsigned long clone_flags;
  int cgroupns, monitor, pivot, rootro, nonewprivs, has_user, has_caps, has_umask, hookpoint;
  const char *joins[16]; unsigned long join_types[16]; int njoins;
  const char *exitfile, *fifo, *rootfs, *hostname, *domainname, *cwd, *console;
  unsigned long propagation;
  struct mount_op mounts[MAX_ITEMS]; int nmounts;
  struct node_op nodes[MAX_ITEMS]; int nnodes;
  const char *sysctl_keys[MAX_ITEMS], *sysctl_values[MAX_ITEMS]; int nsysctls;
  const char *masked[MAX_ITEMS]; int nmasked;
  const char *readonly[MAX_ITEMS]; int nreadonly;
  int rlimit_res[64]; unsigned long long rlimit_soft[64], rlimit_hard[64]; int nrlimits;
  unsigned long uid, gid, umask_value;
  gid_t groups[256]; int ngroups;
  unsigned long long caps[5]; /* bounding effective inheritable permitted ambient */
  unsigned short console_h, console_w;
  const char *env[MAX_ITEMS + 1]; int nenv;
  const char *args[MAX_ITEMS + 1]; int nargs;
};

static struct plan P;
static int ctl = -1;

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

static unsigned long num(const char *s) { return strtoul(s, NULL, 10); }
static unsigned long long num64(const char *s) { return strtoull(s, NULL, 10); }

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

static void parse_plan(char *buf, size_t len) {
  char *tok[16];
  char *p = buf, *end = buf + len;
#define NEXT() (p < end ? (tok[0] = p, p += strlen(p) + 1, tok[0]) : (errno = EINVAL, fail("plan", "truncated"), (char *)0))
  P.propagation = MS_SLAVE | MS_REC;
  while (p < end) {
    char *t = NEXT();
    if (!strcmp(t, "end")) break;
    else if (!strcmp(t, "mode")) P.mode = NEXT();
    else if (!strcmp(t, "clone")) P.clone_flags = num(NEXT());
    else if (!strcmp(t, "cgroupns")) P.cgroupns = 1;
    else if (!strcmp(t, "join")) {
      if (P.njoins >= 16) { errno = E2BIG; fail("plan", "joins"); }
      P.join_types[P.njoins] = num(NEXT());
      P.joins[P.njoins++] = NEXT();
    }
    else if (!strcmp(t, "monitor")) P.monitor = 1;
    else if (!strcmp(t, "hookpoint")) P.hookpoint = 1;
    else if (!strcmp(t, "exitfile")) P.exitfile = NEXT();
    else if (!strcmp(t, "fifo")) P.fifo = NEXT();
    else if (!strcmp(t, "rootfs")) P.rootfs = NEXT();
    else if (!strcmp(t, "propagation")) P.propagation = num(NEXT());
    else if (!strcmp(t, "pivot")) P.pivot = 1;
    else if (!strcmp(t, "rootro")) P.rootro = 1;
    else if (!strcmp(t, "mount")) {
      if (P.nmounts >= MAX_ITEMS) { errno = E2BIG; fail("plan", "mounts"); }
      struct mount_op *m = &P.mounts[P.nmounts++];
      m->source = NEXT(); m->target = NEXT(); m->fstype = NEXT();
      m->flags = num(NEXT()); m->propagation = num(NEXT()); m->data = NEXT(); m->kind = NEXT();
    }
    else if (!strcmp(t, "mknod") || !strcmp(t, "bindnode") || !strcmp(t, "symlink")) {
      if (P.nnodes >= MAX_ITEMS) { errno = E2BIG; fail("plan", "nodes"); }
      struct node_op *n = &P.nodes[P.nnodes++];
      n->op = t[0] == 'm' ? 'n' : t[0];
      n->a = NEXT(); n->b = NEXT();
      if (n->op == 'n') {
        n->type = num(NEXT()); n->major = num(NEXT()); n->minor = num(NEXT());
        n->mode = num(NEXT()); n->uid = num(NEXT()); n->gid = num(NEXT());
      }
    }
    else if (!strcmp(t, "sysctl")) {
      if (P.nsysctls >= MAX_ITEMS) { errno = E2BIG; fail("plan", "sysctl"); }
      P.sysctl_keys[P.nsysctls] = NEXT(); P.sysctl_values[P.nsysctls++] = NEXT();
    }
    else if (!strcmp(t, "mask")) { if (P.nmasked < MAX_ITEMS) P.masked[P.nmasked++] = NEXT(); }
    else if (!strcmp(t, "readonly")) { if (P.nreadonly < MAX_ITEMS) P.readonly[P.nreadonly++] = NEXT(); }
    else if (!strcmp(t, "hostname")) P.hostname = NEXT();
    else if (!strcmp(t, "domainname")) P.domainname = NEXT();
    else if (!strcmp(t, "rlimit")) {
      if (P.nrlimits >= 64) { errno = E2BIG; fail("plan", "rlimits"); }
      P.rlimit_res[P.nrlimits] = (int)num(NEXT());
      P.rlimit_soft[P.nrlimits] = num64(NEXT());
      P.rlimit_hard[P.nrlimits++] = num64(NEXT());
    }
    else if (!strcmp(t, "user")) { P.has_user = 1; P.uid = num(NEXT()); P.gid = num(NEXT()); }
    else if (!strcmp(t, "group")) { if (P.ngroups < 256) P.groups[P.ngroups++] = (gid_t)num(NEXT()); }
    else if (!strcmp(t, "umask")) { P.has_umask = 1; P.umask_value = num(NEXT()); }
    else if (!strcmp(t, "caps")) {
      P.has_caps = 1;
      for (int i = 0; i < 5; i++) P.caps[i] = num64(NEXT());
    }
    else if (!strcmp(t, "nonewprivs")) P.nonewprivs = 1;
    else if (!strcmp(t, "cwd")) P.cwd = NEXT();
    else if (!strcmp(t, "console")) P.console = NEXT();
    else if (!strcmp(t, "consolesize")) { P.console_h = num(NEXT()); P.console_w = num(NEXT()); }
    else if (!strcmp(t, "env")) { if (P.nenv < MAX_ITEMS) P.env[P.nenv++] = NEXT(); }
    else if (!strcmp(t, "arg")) { if (P.nargs < MAX_ITEMS) P.args[P.nargs++] = NEXT(); }
    else { errno = EINVAL; fail("plan", t); }
  }
#undef NEXT
  P.env[P.nenv] = NULL;
  P.args[P.nargs] = NULL;
}

static void mkdir_p(const char *path, mode_t mode) {
  char buf[4096];
  size_t len = strlen(path);
  if (len >= sizeof buf) { errno = ENAMETOOLONG; fail("mkdir", path); }
  memcpy(buf, path, len + 1);
  for (char *s = buf + 1; *s; s++) {
    if (*s == '/') {
      *s = 0;
      if (mkdir(buf, mode) < 0 && errno != EEXIST) fail("mkdir", buf);
      *s = '/';
    }
  }
  if (mkdir(buf, mode) < 0 && errno != EEXIST) fail("mkdir", buf);
}

static void ensure_file(const char *path) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash && slash != dir) { *slash = 0; mkdir_p(dir, 0755); }
  int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0 && errno != EISDIR) fail("create", path);
  if (fd >= 0) close(fd);
}

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

static void do_mount(struct mount_op *m) {
  int is_bind = (m->flags & MS_BIND) != 0;
  if (!strcmp(m->kind, "file")) ensure_file(m->target);
  else mkdir_p(m->target, 0755);
  if (is_bind) {
    if (mount(m->source, m->target, NULL, m->flags & (MS_BIND | MS_REC), NULL) < 0) fail("mount bind", m->target);
    unsigned long extra = m->flags & ~(MS_BIND | MS_REC);
    if (extra) {
      unsigned long f = MS_BIND | MS_REMOUNT | extra | locked_flags(m->target);
      if (mount(NULL, m->target, NULL, f, NULL) < 0) fail("mount remount", m->target);
    }
  } else {
    const char *data = m->data[0] ? m->data : NULL;
    if (mount(m->source, m->target, m->fstype, m->flags, data) < 0) fail("mount", m->target);
  }
  if (m->propagation && mount(NULL, m->target, NULL, m->propagation, NULL) < 0) fail("mount propagation", m->target);
}

static void do_node(struct node_op *n) {
  if (n->op == 's') {
    if (symlink(n->a, n->b) < 0 && errno != EEXIST) fail("symlink", n->b);
  } else if (n->op == 'b') {
    ensure_file(n->b);
    if (mount(n->a, n->b, NULL, MS_BIND, NULL) < 0) fail("mount bind", n->b);
  } else {
    unlink(n->a);
    if (mknod(n->a, (mode_t)(n->type | (n->mode & 07777)), makedev(n->major, n->minor)) < 0) fail("mknod", n->a);
    if (chmod(n->a, n->mode & 07777) < 0) fail("chmod", n->a);
    if (chown(n->a, n->uid, n->gid) < 0) fail("chown", n->a);
  }
}

static void write_file(const char *path, const char *value) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail("open", path);
  if (write(fd, value, strlen(value)) < 0) fail("write", path);
  close(fd);
}

static void enter_root(void) {
  if (P.pivot) {
    int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (oldroot < 0) fail("open", "/");
    int newroot = open(P.rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (newroot < 0) fail("open", P.rootfs);
    if (fchdir(newroot) < 0) fail("fchdir", P.rootfs);
    /* pivot_root(".", ".") stacks the old root on the new one; no put_old directory needed. */
    if (syscall(SYS_pivot_root, ".", ".") < 0) fail("pivot_root", P.rootfs);
    if (fchdir(oldroot) < 0) fail("fchdir", "old root");
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) fail("mount rslave", "old root");
    if (umount2(".", MNT_DETACH) < 0) fail("umount2", "old root");
    close(oldroot);
    close(newroot);
  } else {
    if (chdir(P.rootfs) < 0) fail("chdir", P.rootfs);
    if (mount(P.rootfs, "/", NULL, MS_MOVE, NULL) < 0) fail("mount move", P.rootfs);
    if (chroot(".") < 0) fail("chroot", P.rootfs);
  }
  if (chdir("/") < 0) fail("chdir", "/");
}

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
  if (P.console_h || P.console_w) {
    struct winsize ws = {.ws_row = P.console_h, .ws_col = P.console_w};
    if (ioctl(slave, TIOCSWINSZ, &ws) < 0) fail("ioctl TIOCSWINSZ", "pty");
  }
  if (send_fd(console_sock, master) < 0) fail("sendmsg", P.console);
  close(master);
  close(console_sock);
  if (setsid() < 0) fail("setsid", "console");
  if (ioctl(slave, TIOCSCTTY, 0) < 0) fail("ioctl TIOCSCTTY", "pty");
  for (int i = 0; i < 3; i++)
    if (dup2(slave, i) < 0) fail("dup2", "pty");
  if (slave > 2) close(slave);
}

static int connect_console(void) {
  int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) fail("socket", P.console);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(P.console) >= sizeof addr.sun_path) { errno = ENAMETOOLONG; fail("connect", P.console); }
  strcpy(addr.sun_path, P.console);
  if (connect(s, (struct sockaddr *)&addr, sizeof addr) < 0) fail("connect", P.console);
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
  for (int i = 0; i < P.nenv; i++)
    if (!strncmp(P.env[i], "PATH=", 5)) path = P.env[i] + 5;
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

static void set_identity(int cap_last) {
  if (P.has_caps) {
    for (int c = 0; c <= cap_last; c++)
      if (!(P.caps[0] & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
        fail("prctl PR_CAPBSET_DROP", "bounding set");
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) fail("prctl PR_SET_KEEPCAPS", "");
  }
  if (P.has_user) {
    if (setgroups(P.ngroups, P.groups) < 0) fail("setgroups", "process.user.additionalGids");
    if (setresgid(P.gid, P.gid, P.gid) < 0) fail("setresgid", "process.user.gid");
    if (setresuid(P.uid, P.uid, P.uid) < 0) fail("setresuid", "process.user.uid");
  }
  if (P.has_caps) {
    if (capset_all(P.caps[1], P.caps[3], P.caps[2]) < 0) fail("capset", "process.capabilities");
    /* As runc: an ambient capability missing from the inheritable set cannot be raised; skip it, do not fail. */
    for (int c = 0; c <= cap_last; c++)
      if ((P.caps[4] & (1ULL << c)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0 && errno != EPERM)
        fail("prctl PR_CAP_AMBIENT_RAISE", "process.capabilities.ambient");
  }
}

static int container_main(int is_create) {
  char line[64];
  if (read_line(ctl, line, sizeof line) < 0 || strcmp(line, "go")) { errno = ECONNABORTED; fail("read", "control socket"); }
  /* Host paths are opened while still host root: the namespace's root may not be allowed to. */
  int console_sock = P.console ? connect_console() : -1;
  int fifo = -1;
  if (is_create) {
    /* O_RDWR never blocks on a fifo, and keeps a writer so read() waits for `start`. */
    fifo = open(P.fifo, O_RDWR | O_CLOEXEC);
    if (fifo < 0) fail("open", P.fifo);
  }
  if (P.clone_flags & CLONE_NEWUSER) {
    /* The maps are written now: become the namespace's root, or new files would belong to an unmapped id. */
    if (setresgid(0, 0, 0) < 0) fail("setresgid", "user namespace root");
    if (setresuid(0, 0, 0) < 0) fail("setresuid", "user namespace root");
  }
  if (P.cgroupns && unshare(CLONE_NEWCGROUP) < 0) fail("unshare", "cgroup namespace");
  int cap_last = last_cap();
  if (is_create) {
    if (P.hostname && sethostname(P.hostname, strlen(P.hostname)) < 0) fail("sethostname", P.hostname);
    if (P.domainname && setdomainname(P.domainname, strlen(P.domainname)) < 0) fail("setdomainname", P.domainname);
    for (int i = 0; i < P.nsysctls; i++) {
      char path[512];
      snprintf(path, sizeof path, "/proc/sys/%s", P.sysctl_keys[i]);
      write_file(path, P.sysctl_values[i]);
    }
    if (mount(NULL, "/", NULL, P.propagation, NULL) < 0) fail("mount propagation", "/");
    if (mount(P.rootfs, P.rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) fail("mount bind", P.rootfs);
    for (int i = 0; i < P.nmounts; i++) do_mount(&P.mounts[i]);
    for (int i = 0; i < P.nnodes; i++) do_node(&P.nodes[i]);
    if (P.hookpoint) {
      /* Java runs prestart, createRuntime and createContainer hooks here: mounts done, root not yet pivoted. */
      say("hooks");
      if (read_line(ctl, line, sizeof line) < 0 || strcmp(line, "resume")) { errno = ECONNABORTED; fail("read", "control socket"); }
    }
    enter_root();
    for (int i = 0; i < P.nmasked; i++) mask_path(P.masked[i]);
    for (int i = 0; i < P.nreadonly; i++) readonly_path(P.readonly[i]);
    if (P.rootro && mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | locked_flags("/"), NULL) < 0)
      fail("mount remount ro", "/");
  }
  if (console_sock >= 0) setup_console(console_sock);
  for (int i = 0; i < P.nrlimits; i++) {
    struct rlimit rl = {.rlim_cur = P.rlimit_soft[i], .rlim_max = P.rlimit_hard[i]};
    if (setrlimit(P.rlimit_res[i], &rl) < 0) fail("setrlimit", "process.rlimits");
  }
  if (P.has_umask) umask((mode_t)P.umask_value);
  set_identity(cap_last);
  if (P.cwd && chdir(P.cwd) < 0) fail("chdir", P.cwd);
  if (P.nonewprivs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail("prctl PR_SET_NO_NEW_PRIVS", "");
  char progbuf[4096];
  const char *prog = find_program(P.args[0], progbuf, sizeof progbuf);
  if (!prog) fail("exec", P.args[0]);
  say("ready");
  close(ctl);
  ctl = -1;
  if (is_create) {
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
  execve(prog, (char *const *)P.args, (char *const *)P.env);
  fail("execve", prog);
}

static void record_exit(pid_t child) {
  int status;
  pid_t r;
  do r = waitpid(child, &status, 0); while (r < 0 && errno == EINTR);
  int code = r < 0 ? 255 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (P.exitfile) {
    char tmp[4096], buf[32];
    snprintf(tmp, sizeof tmp, "%s.tmp", P.exitfile);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
      int n = snprintf(buf, sizeof buf, "%d\n", code);
      /* No fsync: the state root is a tmpfs (/run), and no container outlives a crash of the host. */
      if (write(fd, buf, n) != n) unlink(tmp);
      close(fd);
      rename(tmp, P.exitfile);
    }
  }
  _exit(code);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: berth-init <control-socket>\n(run by the Berth runtime, not by hand)\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
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
  size_t len = strtoul(line, NULL, 10);
  if (len == 0 || len > (64u << 20)) { errno = EINVAL; fail("plan", "length"); }
  char *buf = malloc(len);
  if (!buf) fail("malloc", "plan");
  if (read_full(ctl, buf, len) < 0) { errno = EPROTO; fail("read", "plan"); }
  parse_plan(buf, len);
  if (!P.mode || !P.nargs) { errno = EINVAL; fail("plan", "mode and args are required"); }
  int is_create = !strcmp(P.mode, "create");

  /* Open every namespace first: after joining a mount namespace, /proc/PID paths mean something else. */
  int nsfds[16];
  for (int i = 0; i < P.njoins; i++) {
    nsfds[i] = open(P.joins[i], O_RDONLY | O_CLOEXEC);
    if (nsfds[i] < 0) fail("open", P.joins[i]);
  }
  for (int i = 0; i < P.njoins; i++) {
    if (setns(nsfds[i], (int)P.join_types[i]) < 0) fail("setns", P.joins[i]);
    close(nsfds[i]);
  }
  /* fork-like clone: the child gets fresh namespaces; a new pid namespace applies to it alone. */
  pid_t child = (pid_t)syscall(SYS_clone, SIGCHLD | P.clone_flags, NULL, NULL, NULL, 0);
  if (child < 0) fail("clone", "container process");
  if (child == 0) return container_main(is_create);
  say("pid %d", (int)child);
  if (!P.monitor) _exit(0);
  close(ctl);
  ctl = -1;
  record_exit(child);
}
