package dev.berth.agent.node;

import dev.berth.agent.logs.ContainerLogs;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.WorkerExecutor;
import java.util.logging.Logger;

/** Rotates the node's container logs by size, every second, on a worker. */
public final class LogRotationVerticle extends AbstractVerticle {
  private static final Logger LOG = Logger.getLogger(LogRotationVerticle.class.getName());
  private final ContainerLogs logs;
  private WorkerExecutor worker;

  public LogRotationVerticle(ContainerLogs logs) {
    this.logs = logs;
  }

  @Override
  public void start() {
    worker = vertx.createSharedWorkerExecutor("berth-log-rotation", 1);
    vertx.setPeriodic(
        1000,
        t ->
            worker
                .executeBlocking(
                    () -> {
                      logs.rotateAll();
                      return null;
                    },
                    true)
                .onFailure(e -> LOG.warning("log rotation: " + e.getMessage())));
  }

  @Override
  public void stop() {
    if (worker != null) {
      worker.close();
    }
  }
}
