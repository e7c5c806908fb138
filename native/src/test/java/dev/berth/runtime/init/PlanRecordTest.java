package dev.berth.runtime.init;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Java records and the C header berth-init is built from define the same protocol. */
class PlanRecordTest {
  private static String header() throws Exception {
    return Files.readString(Path.of("src/main/c/berth-plan.h"));
  }

  @Test
  void everyRecordHasTheHeadersTagSchemaAndLimit() throws Exception {
    Matcher m = Pattern.compile("X\\((\\w+), (\\d+), \"(\\w*)\", (\\d+)\\)").matcher(header());
    List<String> fromHeader = new ArrayList<>();
    while (m.find()) {
      fromHeader.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4));
    }
    List<String> fromJava = new ArrayList<>();
    for (PlanRecord r : PlanRecord.values()) {
      fromJava.add(r.name() + " " + r.tag() + " " + r.schema() + " " + r.max());
    }
    assertEquals(fromHeader, fromJava);
  }

  @Test
  void theConstantsMatch() throws Exception {
    String h = header();
    assertEquals(
        1, count(h, "#define BERTH_PLAN_MAGIC 0x" + Integer.toHexString(PlanRecord.MAGIC) + "u"));
    assertEquals(
        1, count(h, "#define BERTH_PLAN_MAX_BYTES (" + (PlanRecord.MAX_BYTES >> 20) + "u << 20)"));
    assertEquals(1, count(h, "#define BERTH_PLAN_TAGS " + PlanRecord.values().length));
    assertEquals(1, count(h, "#define BERTH_MOUNT_FILE " + PlanRecord.MOUNT_FILE + "u"));
    assertEquals(
        1, count(h, "#define BERTH_MOUNT_ON_KERNEL_FS " + PlanRecord.MOUNT_ON_KERNEL_FS + "u"));
    assertEquals(1, count(h, "#define BERTH_SECCOMP_TSYNC " + PlanRecord.SECCOMP_TSYNC + "u"));
    assertEquals(1, count(h, "#define BERTH_SECCOMP_LOG " + PlanRecord.SECCOMP_LOG + "u"));
    assertEquals(
        1, count(h, "#define BERTH_SECCOMP_SPEC_ALLOW " + PlanRecord.SECCOMP_SPEC_ALLOW + "u"));
  }

  private static int count(String text, String line) {
    return text.split(Pattern.quote(line), -1).length - 1;
  }
}
