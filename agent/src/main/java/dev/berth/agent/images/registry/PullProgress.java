package dev.berth.agent.images.registry;

import dev.berth.model.image.Digest;

/** Receives byte counts per blob while an image moves, for progress bars. */
@FunctionalInterface
public interface PullProgress {
  void update(Digest blob, long done, long total);

  PullProgress NONE = (blob, done, total) -> {};
}
