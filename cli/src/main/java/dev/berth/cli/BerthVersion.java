package dev.berth.cli;

import picocli.CommandLine.IVersionProvider;

/** `berth --version`: the release, and the Java and heap bound this process runs with. */
public final class BerthVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "berth 0.1.0",
      "Java "
          + System.getProperty("java.version")
          + ", heap up to "
          + Runtime.getRuntime().maxMemory() / (1024 * 1024)
          + " MiB"
    };
  }
}
