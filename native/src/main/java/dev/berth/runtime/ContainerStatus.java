package dev.berth.runtime;

import java.util.Locale;

/** The runtime-spec container statuses (plus runc's "paused"). */
public enum ContainerStatus {
  CREATING,
  CREATED,
  RUNNING,
  PAUSED,
  STOPPED;

  /** The lower-case name the state document uses. */
  public String specName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
