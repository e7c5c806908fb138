package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.runtime.testing.RuntimeTestSupport;
import org.junit.jupiter.api.Test;

class SmokeTest extends RuntimeTestSupport {
  @Test
  void echo() throws Exception {
    Result r = run(bundle("echo hello; exit 3"));
    assertEquals("hello\n", r.stdout(), r.stderr());
    assertEquals(3, r.exitCode());
  }
}
