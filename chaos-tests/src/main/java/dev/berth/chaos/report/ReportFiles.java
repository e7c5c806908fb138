package dev.berth.chaos.report;

import dev.berth.model.JsonMapping;
import dev.berth.model.chaos.ChaosReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where `berth chaos` keeps its reports: one JSON file per run (chaos-TIME.json) and the last one
 * as last.json, which `berth chaos report` and the dashboard read.
 */
public final class ReportFiles {
  /** The default directory, beside `berth up`'s state. */
  public static final Path DEFAULT_DIR = Path.of("/var/lib/berth/chaos");

  public static final String LAST = "last.json";

  private ReportFiles() {}

  /** Writes {@code report} and makes it the last one; returns its file. */
  public static Path write(Path dir, ChaosReport report) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("chaos-" + report.startedAtMillis() + ".json");
    byte[] json = JsonMapping.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(report);
    Files.write(file, json);
    Path tmp = dir.resolve(LAST + ".tmp");
    Files.write(tmp, json);
    Files.move(
        tmp,
        dir.resolve(LAST),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  public static ChaosReport read(Path file) throws IOException {
    return JsonMapping.mapper().readValue(file.toFile(), ChaosReport.class);
  }
}
