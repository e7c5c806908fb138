package dev.berth.agent.node;

import dev.berth.model.fleet.ContainerReport;
import java.util.List;

/**
 * What one reconcile pass found: the state of every container of the node, sent to whoever
 * publishes it.
 */
record NodeReports(String node, List<ContainerReport> reports) {
  NodeReports {
    reports = List.copyOf(reports);
  }
}
