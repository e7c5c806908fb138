package dev.berth.model.fleet;

import dev.berth.model.runtime.ValidationError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The counts, sizes and characters of a spec's strings checked against {@link SpecLimits}, so that
 * nothing that can never run, or that costs without bound, is accepted: NUL bytes (a C string ends
 * there), an empty program, variable names a shell cannot set, too many or too long arguments.
 */
final class SpecBounds {
  /** Kubernetes' rule for environment variable names (C identifiers, also '.' and '-'). */
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  private SpecBounds() {}

  static void check(WorkloadSpec s, SpecLimits limits, List<ValidationError> errors) {
    List<String> command = s.command() == null ? List.of() : s.command();
    List<String> args = s.args() == null ? List.of() : s.args();
    if (command.size() + args.size() > limits.maxArgs()) {
      errors.add(
          new ValidationError(
              "args",
              "command and args have "
                  + (command.size() + args.size())
                  + " strings, more than "
                  + limits.maxArgs()));
      return;
    }
    if (!command.isEmpty() && (command.get(0) == null || command.get(0).isEmpty())) {
      errors.add(new ValidationError("command[0]", "must name a program"));
    }
    long argBytes = strings(errors, "command", command) + strings(errors, "args", args);
    if (argBytes > limits.maxArgsBytes()) {
      errors.add(
          new ValidationError(
              "args",
              "command and args are " + argBytes + " bytes, more than " + limits.maxArgsBytes()));
    }
    Map<String, String> env = s.env() == null ? Map.of() : s.env();
    if (env.size() > limits.maxEnv()) {
      errors.add(
          new ValidationError("env", env.size() + " variables, more than " + limits.maxEnv()));
      return;
    }
    long envBytes = 0;
    for (Map.Entry<String, String> e : env.entrySet()) {
      String at = "env." + e.getKey();
      if (!ENV_NAME.matcher(e.getKey()).matches()) {
        errors.add(
            new ValidationError(
                at,
                "is not a valid variable name (letters, digits, '_', '.', '-'; not a digit first)"));
      }
      if (e.getValue() == null) {
        errors.add(new ValidationError(at, "must have a value (an empty string is one)"));
        continue;
      }
      if (e.getValue().indexOf('\0') >= 0) {
        errors.add(new ValidationError(at, "contains a NUL character"));
      }
      envBytes += e.getKey().length() + 1 + e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (envBytes > limits.maxEnvBytes()) {
      errors.add(
          new ValidationError(
              "env",
              "the variables are " + envBytes + " bytes, more than " + limits.maxEnvBytes()));
    }
    if (s.nodeSelector() != null && s.nodeSelector().size() > limits.maxSelectorLabels()) {
      errors.add(
          new ValidationError(
              "nodeSelector",
              s.nodeSelector().size() + " labels, more than " + limits.maxSelectorLabels()));
    }
  }

  /** The bytes of {@code list}'s strings; a null or a NUL in one is an error at its index. */
  private static long strings(List<ValidationError> errors, String field, List<String> list) {
    long bytes = 0;
    for (int i = 0; i < list.size(); i++) {
      String v = list.get(i);
      if (v == null) {
        errors.add(new ValidationError(field + "[" + i + "]", "must not be null"));
      } else if (v.indexOf('\0') >= 0) {
        errors.add(new ValidationError(field + "[" + i + "]", "contains a NUL character"));
      } else {
        bytes += v.getBytes(StandardCharsets.UTF_8).length + 1;
      }
    }
    return bytes;
  }
}
