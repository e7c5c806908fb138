package dev.berth.chaos.cli;

import dev.berth.cli.CommandExtension;

/** Puts `berth chaos` into the berth command line when this module is on the class path. */
public final class ChaosExtension implements CommandExtension {
  @Override
  public Object command() {
    return new ChaosCommand();
  }
}
