package dev.berth.cli.runc;

import dev.berth.model.JsonMapping;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * runc events: stats events as JSON lines, once with --stats or every --interval until the
 * container stops.
 */
@Command(name = "events", description = "display container events such as resource usage")
final class EventsCommand extends ContainerCommand {
  @Option(names = "--stats", description = "display the container's stats then exit")
  boolean stats;

  @Option(names = "--interval", defaultValue = "5", description = "seconds between stats events")
  long interval;

  @Override
  public Integer call() throws Exception {
    do {
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("type", "stats");
      event.put("id", id);
      event.put("data", main.runtime().stats(id));
      System.out.println(JsonMapping.writeCompact(event));
      if (stats) {
        return 0;
      }
      Thread.sleep(interval * 1000);
    } while (!main.runtime().state(id).status().equals("stopped"));
    return 0;
  }
}
