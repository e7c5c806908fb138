package dev.berth.cli.runc;

import dev.berth.model.JsonMapping;
import dev.berth.model.runtime.State;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** runc list: the containers under --root, as a table or JSON. */
@Command(name = "list", description = "lists containers started by berth-runc with the given root")
final class ListCommand implements Callable<Integer> {
  @ParentCommand RuncMain main;

  @Option(
      names = {"-f", "--format"},
      defaultValue = "table",
      description = "table or json")
  String format;

  @Option(
      names = {"-q", "--quiet"},
      description = "display only container IDs")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    List<State> states = main.runtime().list();
    if (quiet) {
      states.forEach(s -> System.out.println(s.id()));
    } else if (format.equals("json")) {
      System.out.println(JsonMapping.writeCompact(states));
    } else if (format.equals("table")) {
      System.out.printf(
          "%-12s %-8s %-10s %-40s %-30s %s%n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
      for (State s : states) {
        System.out.printf(
            "%-12s %-8d %-10s %-40s %-30s %s%n",
            s.id(), s.pid(), s.status(), s.bundle(), s.extra().get("created"), "root");
      }
    } else {
      throw new RuncException("invalid format option \"" + format + "\": use table or json");
    }
    return 0;
  }
}
