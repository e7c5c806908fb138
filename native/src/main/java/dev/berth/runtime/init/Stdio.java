package dev.berth.runtime.init;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;

/** Where the container process's stdin, stdout and stderr go. */
public record Stdio(Redirect in, Redirect out, Redirect err) {
  /** The caller's own stdio, as runc passes it through. */
  public static Stdio inherit() {
    return new Stdio(Redirect.INHERIT, Redirect.INHERIT, Redirect.INHERIT);
  }

  /** Nothing in, everything out discarded. */
  public static Stdio discard() {
    return new Stdio(Redirect.from(new File("/dev/null")), Redirect.DISCARD, Redirect.DISCARD);
  }
}
