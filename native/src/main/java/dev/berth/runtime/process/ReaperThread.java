package dev.berth.runtime.process;

/**
 * Whether the child reaper's thread exists: from then on it waits in epoll_wait, a native call, and
 * HotSpot's exit waits up to 300 ms for such a thread (a short command may spare itself that). A
 * class of its own, so asking loads nothing else.
 */
public final class ReaperThread {
  static volatile boolean started;

  private ReaperThread() {}

  public static boolean started() {
    return started;
  }
}
