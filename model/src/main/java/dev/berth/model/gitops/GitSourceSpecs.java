package dev.berth.model.gitops;

import dev.berth.model.StrictReader;
import dev.berth.model.fleet.WorkloadSpecs;
import dev.berth.model.runtime.ValidationError;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads git source specs strictly from JSON or YAML and validates them, naming every bad field. */
public final class GitSourceSpecs {
  static final int MAX_URL = 2048;
  static final int MAX_PATH = 1024;
  static final long MIN_INTERVAL_MILLIS = 1_000;
  static final long MAX_INTERVAL_MILLIS = 24 * 3_600_000L;
  static final int MAX_SECRET = 1024;

  private static final Pattern URL =
      Pattern.compile("(https?|ssh|git|file)://[^\\s\\x00-\\x1f\\x7f]+");
  // user@host:path, which git reads as ssh
  private static final Pattern SCP_LIKE =
      Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\\s\\x00-\\x1f\\x7f]+");
  private static final Pattern PASSWORD_IN_URL = Pattern.compile("[a-z]+://[^/@]*:[^/@]*@.*");
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern REF = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._/+-]{0,254}");
  private static final Pattern PATH_SEGMENT = Pattern.compile("[^\\x00-\\x1f\\x7f\\\\]+");
  private static final Pattern USERNAME = Pattern.compile("[^\\s\\x00-\\x1f\\x7f:]{1,256}");

  private GitSourceSpecs() {}

  /** Thrown with every problem found in a source spec, each as "field: what is wrong". */
  public static final class InvalidGitSourceException extends Exception {
    private final List<ValidationError> errors;

    public InvalidGitSourceException(List<ValidationError> errors) {
      super(String.join("; ", errors.stream().map(ValidationError::toString).toList()));
      this.errors = List.copyOf(errors);
    }

    public List<ValidationError> errors() {
      return errors;
    }
  }

  /** Parses and validates one source spec; {@code yaml} selects the format. */
  public static GitSourceSpec read(byte[] body, boolean yaml) throws InvalidGitSourceException {
    GitSourceSpec spec;
    try {
      spec = StrictReader.read(body, yaml, GitSourceSpec.class);
    } catch (StrictReader.InvalidDocumentException e) {
      throw new InvalidGitSourceException(e.errors());
    }
    List<ValidationError> errors = validate(spec);
    if (!errors.isEmpty()) {
      throw new InvalidGitSourceException(errors);
    }
    return spec;
  }

  /** Every problem with a parsed source spec. */
  public static List<ValidationError> validate(GitSourceSpec s) {
    List<ValidationError> errors = new ArrayList<>();
    if (s.kind() != null && !s.kind().equals(GitSourceSpec.KIND)) {
      errors.add(new ValidationError("kind", "must be " + GitSourceSpec.KIND));
    }
    if (!WorkloadSpecs.isValidName(s.name())) {
      errors.add(
          new ValidationError(
              "name",
              "\""
                  + s.name()
                  + "\" must be 1 to 63 lower-case letters, digits or '-', starting and ending"
                  + " with a letter or digit"));
    }
    checkRepository(s.repository(), errors);
    if (s.revision() != null
        && !s.revision().equals("HEAD")
        && !SHA.matcher(s.revision()).matches()
        && !isRefName(s.revision())) {
      errors.add(
          new ValidationError(
              "revision", "must be HEAD, a branch or tag name, or a full 40-character commit id"));
    }
    checkPath(s.path(), errors);
    if (s.interval() != null) {
      try {
        long ms = Durations.millis(s.interval());
        if (ms < MIN_INTERVAL_MILLIS || ms > MAX_INTERVAL_MILLIS) {
          errors.add(new ValidationError("interval", "must be between 1s and 24h"));
        }
      } catch (IllegalArgumentException e) {
        errors.add(new ValidationError("interval", e.getMessage()));
      }
    }
    if (s.webhookSecret() != null
        && (s.webhookSecret().isEmpty()
            || s.webhookSecret().length() > MAX_SECRET
            || s.webhookSecret().chars().anyMatch(c -> c < 0x20))) {
      errors.add(
          new ValidationError(
              "webhookSecret",
              "must be 1 to " + MAX_SECRET + " characters without control characters"));
    }
    checkCredentials(s, errors);
    return errors;
  }

  /** Whether the repository is reached over ssh (ssh:// or user@host:path). */
  public static boolean isSsh(String repository) {
    return repository != null
        && (repository.startsWith("ssh://") || SCP_LIKE.matcher(repository).matches());
  }

  private static boolean isRefName(String r) {
    return REF.matcher(r).matches()
        && !r.contains("..")
        && !r.contains("//")
        && !r.endsWith("/")
        && !r.endsWith(".lock")
        && !r.endsWith(".");
  }

  private static void checkRepository(String url, List<ValidationError> errors) {
    if (url == null || url.isEmpty()) {
      errors.add(new ValidationError("repository", "is required"));
    } else if (url.length() > MAX_URL) {
      errors.add(new ValidationError("repository", "longer than " + MAX_URL + " characters"));
    } else if (!URL.matcher(url).matches() && !SCP_LIKE.matcher(url).matches()) {
      errors.add(
          new ValidationError(
              "repository",
              "must be an https://, http://, ssh://, git:// or file:// URL, or user@host:path"));
    } else if (PASSWORD_IN_URL.matcher(url).matches()) {
      errors.add(
          new ValidationError(
              "repository",
              "must not hold a password: name a file with credentials.passwordFile instead"));
    }
  }

  private static void checkPath(String path, List<ValidationError> errors) {
    if (path == null || path.isEmpty() || path.equals(".")) {
      return;
    }
    if (path.length() > MAX_PATH) {
      errors.add(new ValidationError("path", "longer than " + MAX_PATH + " characters"));
      return;
    }
    if (path.startsWith("/")) {
      errors.add(new ValidationError("path", "must be relative to the repository's root"));
      return;
    }
    for (String segment : path.replaceAll("^\\./|/+$", "").split("/+")) {
      if (segment.equals("..") || !PATH_SEGMENT.matcher(segment).matches()) {
        errors.add(
            new ValidationError(
                "path", "\"" + path + "\" must be a directory inside the repository"));
        return;
      }
    }
  }

  private static void checkCredentials(GitSourceSpec s, List<ValidationError> errors) {
    GitCredentials c = s.credentials();
    if (c == null) {
      return;
    }
    boolean ssh = isSsh(s.repository());
    boolean http = s.repository() != null && s.repository().matches("https?://.*");
    checkFile("credentials.passwordFile", c.passwordFile(), errors);
    checkFile("credentials.sshKeyFile", c.sshKeyFile(), errors);
    checkFile("credentials.knownHostsFile", c.knownHostsFile(), errors);
    if (c.username() != null && !USERNAME.matcher(c.username()).matches()) {
      errors.add(
          new ValidationError(
              "credentials.username", "must be 1 to 256 characters, no spaces or ':'"));
    }
    if (c.passwordFile() != null && !http) {
      errors.add(
          new ValidationError("credentials.passwordFile", "is for https:// or http:// sources"));
    }
    if ((c.sshKeyFile() != null || c.knownHostsFile() != null) && !ssh) {
      errors.add(
          new ValidationError(
              c.sshKeyFile() != null ? "credentials.sshKeyFile" : "credentials.knownHostsFile",
              "is for ssh sources"));
    }
    if (ssh && c.sshKeyFile() != null && c.knownHostsFile() == null) {
      errors.add(
          new ValidationError(
              "credentials.knownHostsFile",
              "is required with sshKeyFile: the server's key must be known, not trusted on first"
                  + " sight"));
    }
  }

  private static void checkFile(String field, String file, List<ValidationError> errors) {
    if (file != null
        && (!file.startsWith("/")
            || file.length() > 4096
            || file.chars().anyMatch(ch -> ch < 0x20)
            || file.contains("/../"))) {
      errors.add(new ValidationError(field, "must be an absolute path on the control plane"));
    }
  }
}
