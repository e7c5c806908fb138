package dev.berth.model.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.berth.model.StrictReader;
import dev.berth.model.image.ImageReference;
import dev.berth.model.runtime.ValidationError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads workload specs strictly from JSON or YAML and validates them, naming every bad field. */
public final class WorkloadSpecs {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
  private static final Pattern LABEL_KEY =
      Pattern.compile("([a-z0-9.-]+/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

  /** Whether a workload name is valid (a DNS label, as Kubernetes names). */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  // One mapper for every comparison: a copy per call costs more than the write (cold caches).
  private static final ObjectMapper CANONICAL =
      StrictReader.json()
          .copy()
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private WorkloadSpecs() {}

  /** Thrown with every problem found in a spec, each as "field: what is wrong". */
  public static final class InvalidWorkloadException extends Exception {
    private final List<ValidationError> errors;

    public InvalidWorkloadException(List<ValidationError> errors) {
      super(errors.stream().map(ValidationError::toString).collect(Collectors.joining("; ")));
      this.errors = List.copyOf(errors);
    }

    public List<ValidationError> errors() {
      return errors;
    }
  }

  /** Parses and validates one spec within the default limits; {@code yaml} selects the format. */
  public static WorkloadSpec read(byte[] body, boolean yaml) throws InvalidWorkloadException {
    return read(body, yaml, SpecLimits.DEFAULT);
  }

  /** Parses and validates one spec within {@code limits}; {@code yaml} selects the format. */
  public static WorkloadSpec read(byte[] body, boolean yaml, SpecLimits limits)
      throws InvalidWorkloadException {
    WorkloadSpec spec;
    try {
      spec = StrictReader.read(body, yaml, WorkloadSpec.class);
    } catch (StrictReader.InvalidDocumentException e) {
      throw new InvalidWorkloadException(e.errors());
    }
    List<ValidationError> errors = validate(spec, limits);
    if (!errors.isEmpty()) {
      throw new InvalidWorkloadException(errors);
    }
    return spec;
  }

  /** Every problem with a parsed spec, within the default limits. */
  public static List<ValidationError> validate(WorkloadSpec s) {
    return validate(s, SpecLimits.DEFAULT);
  }

  /** Every problem with a parsed spec, within {@code limits}. */
  public static List<ValidationError> validate(WorkloadSpec s, SpecLimits limits) {
    List<ValidationError> errors = new ArrayList<>();
    SpecBounds.check(s, limits, errors);
    if (s.name() == null || !NAME.matcher(s.name()).matches()) {
      errors.add(
          new ValidationError(
              "name",
              "\""
                  + s.name()
                  + "\" must be 1 to 63 lower-case letters, digits or '-', starting and ending with a letter or digit"));
    }
    if (s.image() == null) {
      errors.add(new ValidationError("image", "is required"));
    } else {
      try {
        ImageReference.parse(s.image());
      } catch (IllegalArgumentException e) {
        errors.add(new ValidationError("image", e.getMessage()));
      }
    }
    if (s.replicas() != null && s.replicas() < 0) {
      errors.add(
          new ValidationError("replicas", "must not be negative (got " + s.replicas() + ")"));
    } else if (s.replicas() != null && s.replicas() > limits.maxReplicas()) {
      errors.add(
          new ValidationError(
              "replicas",
              s.replicas()
                  + " is more than this fleet allows a workload ("
                  + limits.maxReplicas()
                  + ")"));
    }
    if (s.restartLimit() != null && s.restartLimit() < 0) {
      errors.add(new ValidationError("restartLimit", "must not be negative"));
    }
    if (s.nodeSelector() != null) {
      for (Map.Entry<String, String> e : s.nodeSelector().entrySet()) {
        if (!LABEL_KEY.matcher(e.getKey()).matches()) {
          errors.add(new ValidationError("nodeSelector." + e.getKey(), "is not a valid label key"));
        } else if (e.getValue() == null || !LABEL_VALUE.matcher(e.getValue()).matches()) {
          errors.add(
              new ValidationError(
                  "nodeSelector." + e.getKey(),
                  "value must be at most 63 letters, digits, '-', '_' or '.', starting and ending"
                      + " with a letter or digit"));
        }
      }
    }
    checkPorts(errors, s);
    checkSecurityContext(errors, s.securityContext());
    if (s.networkMode() == NetworkMode.HOST) {
      errors.add(
          new ValidationError(
              "network",
              "host is not allowed: this fleet gives no node leave to share its network"));
    }
    if (s.networkMode() != NetworkMode.DEFAULT
        && s.portList().stream().anyMatch(ContainerPort::published)) {
      errors.add(new ValidationError("ports", "hostPort needs network: default"));
    }
    if (s.resources() != null) {
      check(errors, "resources.requests", s.resources().requests());
      check(errors, "resources.limits", s.resources().limits());
      ResourceRequests req = s.resources().requests();
      ResourceRequests lim = s.resources().limits();
      if (req != null && req.pids() != null) {
        errors.add(
            new ValidationError(
                "resources.requests.pids",
                "a process count is a limit only: resources.limits.pids"));
      }
      if (lim != null
          && lim.pids() != null
          && (lim.pids() < MIN_PIDS || lim.pids() > MAX_PIDS_LIMIT)) {
        errors.add(
            new ValidationError(
                "resources.limits.pids",
                "must be " + MIN_PIDS + " to " + MAX_PIDS_LIMIT + " (got " + lim.pids() + ")"));
      }
      if (req != null && lim != null && errors.isEmpty()) {
        if (req.cpu() != null
            && lim.cpu() != null
            && Quantity.millicores(req.cpu()) > Quantity.millicores(lim.cpu())) {
          errors.add(
              new ValidationError(
                  "resources.requests.cpu", "must not exceed resources.limits.cpu"));
        }
        if (req.memory() != null
            && lim.memory() != null
            && Quantity.bytes(req.memory()) > Quantity.bytes(lim.memory())) {
          errors.add(
              new ValidationError(
                  "resources.requests.memory", "must not exceed resources.limits.memory"));
        }
      }
    }
    return errors;
  }

  static final int MAX_PORTS = 64;

  /** More names than there are capabilities is a mistake, not a policy. */
  static final int MAX_CAPABILITY_CHANGES = 64;

  private static final Pattern CAPABILITY = Pattern.compile("(CAP_)?[A-Z][A-Z_]{1,30}");
  private static final long MAX_ID = 4_294_967_294L; // (uid_t) -1 means "unchanged" to the kernel

  private static void checkSecurityContext(List<ValidationError> errors, SecurityContext sc) {
    if (sc == null) {
      return;
    }
    if (sc.capabilities() != null) {
      checkCapabilities(errors, "securityContext.capabilities.add", sc.capabilities().add(), false);
      checkCapabilities(
          errors, "securityContext.capabilities.drop", sc.capabilities().drop(), true);
    }
    if (sc.runAsUser() != null && (sc.runAsUser() < 0 || sc.runAsUser() > MAX_ID)) {
      errors.add(new ValidationError("securityContext.runAsUser", "must be 0 to " + MAX_ID));
    }
    if (sc.runAsGroup() != null && (sc.runAsGroup() < 0 || sc.runAsGroup() > MAX_ID)) {
      errors.add(new ValidationError("securityContext.runAsGroup", "must be 0 to " + MAX_ID));
    }
    if (sc.wantsPrivileged() && Boolean.FALSE.equals(sc.hostUsers())) {
      // as Kubernetes: a privileged container's capabilities are the host's, so are its ids
      errors.add(
          new ValidationError(
              "securityContext.privileged",
              "a privileged container runs with the host's ids; hostUsers: false asks for a user"
                  + " namespace"));
    }
  }

  private static void checkCapabilities(
      List<ValidationError> errors, String at, List<String> names, boolean mayBeAll) {
    if (names == null) {
      return;
    }
    if (names.size() > MAX_CAPABILITY_CHANGES) {
      errors.add(new ValidationError(at, "more than " + MAX_CAPABILITY_CHANGES + " names"));
      return;
    }
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n == null
          || !(mayBeAll && n.equalsIgnoreCase("ALL"))
              && !CAPABILITY.matcher(n.toUpperCase(java.util.Locale.ROOT)).matches()) {
        errors.add(
            new ValidationError(at + "[" + i + "]", "\"" + n + "\" is not a capability name"));
      }
    }
  }

  /** A pids limit below this cannot even start a shell and its child. */
  static final int MIN_PIDS = 2;

  /** The kernel's largest pid_max: no limit above it means anything. */
  static final int MAX_PIDS_LIMIT = 4_194_304;

  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?");

  private static void checkPorts(List<ValidationError> errors, WorkloadSpec s) {
    List<ContainerPort> ports = s.portList();
    if (ports.size() > MAX_PORTS) {
      errors.add(new ValidationError("ports", "more than " + MAX_PORTS + " ports"));
      return;
    }
    Set<String> published = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      ContainerPort p = ports.get(i);
      String at = "ports[" + i + "]";
      if (p == null) {
        errors.add(new ValidationError(at, "must not be null"));
        continue;
      }
      if (p.containerPort() == null || p.containerPort() < 1 || p.containerPort() > 65535) {
        errors.add(new ValidationError(at + ".containerPort", "must be 1 to 65535"));
      }
      if (p.hostPort() != null && (p.hostPort() < 0 || p.hostPort() > 65535)) {
        errors.add(
            new ValidationError(at + ".hostPort", "must be 1 to 65535 (0 or none: not published)"));
      }
      if (!p.protocolOrTcp().equals("TCP") && !p.protocolOrTcp().equals("UDP")) {
        errors.add(new ValidationError(at + ".protocol", "must be TCP or UDP"));
      }
      if (p.name() != null && !PORT_NAME.matcher(p.name()).matches()) {
        errors.add(
            new ValidationError(at + ".name", "must be 1 to 15 lower-case letters, digits or '-'"));
      }
      if (p.published() && !published.add(p.protocolOrTcp() + "/" + p.hostPort())) {
        errors.add(
            new ValidationError(
                at + ".hostPort", p.hostPort() + "/" + p.protocolOrTcp() + " is published twice"));
      }
    }
  }

  private static void check(List<ValidationError> errors, String path, ResourceRequests r) {
    if (r == null) {
      return;
    }
    if (r.cpu() != null) {
      try {
        if (Quantity.millicores(r.cpu()) <= 0) {
          errors.add(new ValidationError(path + ".cpu", "must be positive"));
        }
      } catch (IllegalArgumentException | ArithmeticException e) {
        errors.add(new ValidationError(path + ".cpu", e.getMessage()));
      }
    }
    if (r.memory() != null) {
      try {
        if (Quantity.bytes(r.memory()) <= 0) {
          errors.add(new ValidationError(path + ".memory", "must be positive"));
        }
      } catch (IllegalArgumentException e) {
        errors.add(new ValidationError(path + ".memory", e.getMessage()));
      }
    }
  }

  /**
   * The spec as canonical JSON (what is stored on Kafka and compared to decide whether anything
   * changed).
   */
  public static byte[] canonicalJson(WorkloadSpec spec) {
    try {
      return CANONICAL.writeValueAsBytes(spec);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
