package dev.berth.cli;

/**
 * A `berth` subcommand from a module built after the command line (found with {@link
 * java.util.ServiceLoader} when its jar is on the class path), as `berth chaos` is.
 */
public interface CommandExtension {
  /** The picocli command object (a class annotated with {@code @Command}). */
  Object command();
}
