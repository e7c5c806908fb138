/* Tries, from inside a container, the syscalls container escapes start with, and prints for each
   "NAME ok" or "NAME ERRNO" (errno's symbolic name). Built by the agent's tests into a test image. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *name(int e) {
  switch (e) {
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case ENOSYS: return "ENOSYS";
    case EINVAL: return "EINVAL";
    case ESRCH: return "ESRCH";
    default: return strerror(e);
  }
}

static void report(const char *what, long r) { printf("%s %s\n", what, r < 0 ? name(errno) : "ok"); }

int main(void) {
  report("unshare", unshare(CLONE_NEWUSER | CLONE_NEWNS));
  report("mount", mount("tmpfs", "/mnt", "tmpfs", 0, NULL));
  report("keyctl", syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, "probe"));
  report("bpf", syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, NULL, 0));
  pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  report("ptrace", ptrace(PTRACE_ATTACH, child, NULL, NULL));
  kill(child, SIGKILL);
  waitpid(child, NULL, 0);
  report("getpid", syscall(SYS_getpid));
  fflush(stdout);
  return 0;
}
