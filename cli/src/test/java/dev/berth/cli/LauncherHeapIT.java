package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * bin/berth gives the JVM a heap bound from the machine, an eighth of its memory between 512 MiB
 * and 4 GiB, instead of the JVM's quarter (one runaway spec once grew the fleet to 6.6 GB).
 */
class LauncherHeapIT {
  @Test
  void theHeapIsAnEighthOfTheMachineBetween512MiBAnd4GiB() throws Exception {
    Path berth = Path.of(System.getProperty("berth.home", "..")).resolve("bin/berth");
    Process p =
        new ProcessBuilder(berth.toAbsolutePath().toString(), "--version")
            .redirectInput(new File("/dev/null"))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    Matcher m = Pattern.compile("heap up to (\\d+) MiB").matcher(out);
    assertTrue(m.find(), out);
    long memKib =
        Files.readAllLines(Path.of("/proc/meminfo")).stream()
            .filter(l -> l.startsWith("MemTotal:"))
            .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
            .findFirst()
            .orElseThrow();
    long memMib = memKib / 1024;
    long expected = Math.max(512, Math.min(4096, memKib / 8 / 1024));
    long heap = Long.parseLong(m.group(1));
    // the JVM reports the bound less a survivor space, a few percent at most
    assertTrue(
        heap <= expected + 1 && heap > expected * 0.9,
        "heap " + heap + " MiB, expected about " + expected + " MiB on " + memMib + " MiB");
  }
}
