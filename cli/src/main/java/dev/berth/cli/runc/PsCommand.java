package dev.berth.cli.runc;

import dev.berth.model.JsonMapping;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * runc ps: the container's processes, through ps(1) filtered to its pids, or their pids as JSON.
 */
@Command(name = "ps", description = "ps displays the processes running inside a container")
final class PsCommand extends ContainerCommand {
  @Parameters(index = "1..*", paramLabel = "<ps options>")
  List<String> psArgs = new ArrayList<>();

  @Option(
      names = {"-f", "--format"},
      defaultValue = "table")
  String format;

  @Override
  public Integer call() throws Exception {
    List<Integer> pids = main.runtime().ps(id);
    if (format.equals("json")) {
      System.out.println(JsonMapping.writeCompact(pids));
      return 0;
    }
    List<String> cmd = new ArrayList<>(List.of("ps"));
    cmd.addAll(psArgs.isEmpty() ? List.of("-ef") : psArgs);
    Process ps = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(ps.getInputStream()))) {
      String header = r.readLine();
      if (header == null) {
        throw new RuncException("ps printed nothing");
      }
      int pidColumn = List.of(header.trim().split("\\s+")).indexOf("PID");
      if (pidColumn < 0) {
        throw new RuncException("ps output has no PID column: " + header);
      }
      System.out.println(header);
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.trim().split("\\s+");
        if (f.length > pidColumn && pids.contains(Integer.parseInt(f[pidColumn]))) {
          System.out.println(line);
        }
      }
    }
    return ps.waitFor();
  }
}
