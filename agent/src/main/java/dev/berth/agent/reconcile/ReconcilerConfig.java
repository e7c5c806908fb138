package dev.berth.agent.reconcile;

import java.nio.file.Path;

/** Where a node agent keeps its containers' bundles and logs, its node name, and its cgroup parent. */
public record ReconcilerConfig(Path stateDir, String nodeName, String cgroupParent) {}
