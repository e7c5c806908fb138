package dev.berth.agent.security;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.berth.model.JsonMapping;
import dev.berth.model.runtime.Seccomp;
import dev.berth.model.runtime.SeccompArg;
import dev.berth.model.runtime.SeccompSyscall;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The syscall filter every fleet container gets unless its spec says otherwise: deny (EPERM) by
 * default, allow what ordinary programs use, as Docker's default profile does. Kept as data ({@code
 * default-seccomp.json} beside this class); rendered per container, since some rules hold only for
 * containers granted (or denied) a capability, or on one architecture.
 */
public final class DefaultSeccomp {
  private static final Profile PROFILE = load();

  @JsonIgnoreProperties("comment")
  record Profile(
      String defaultAction,
      Integer defaultErrnoRet,
      Map<String, List<String>> architectures,
      List<Rule> rules) {}

  /** A rule; {@code anyOf}: one rule per condition (any of them allows the call). */
  @JsonIgnoreProperties("comment")
  record Rule(
      String action,
      Integer errnoRet,
      List<String> names,
      List<SeccompArg> args,
      List<SeccompArg> anyOf,
      String ifCapability,
      String unlessCapability,
      List<String> arches) {}

  private DefaultSeccomp() {}

  private static Profile load() {
    try (InputStream in = DefaultSeccomp.class.getResourceAsStream("default-seccomp.json")) {
      return JsonMapping.mapper().readValue(in, Profile.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the default seccomp profile", e);
    }
  }

  /** This JVM's machine as uname -m names it ("x86_64", "aarch64"). */
  public static String machine() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return arch.equals("amd64") ? "x86_64" : arch;
  }

  /**
   * The filter for a container whose bounding capabilities are {@code capabilities}, on a node of
   * architecture {@code machine}.
   */
  public static Seccomp forContainer(Set<String> capabilities, String machine) {
    List<SeccompSyscall> out = new ArrayList<>();
    for (Rule r : PROFILE.rules()) {
      if (r.ifCapability() != null && !capabilities.contains(r.ifCapability())
          || r.unlessCapability() != null && capabilities.contains(r.unlessCapability())
          || r.arches() != null && !r.arches().contains(machine)) {
        continue;
      }
      if (r.anyOf() != null) {
        for (SeccompArg a : r.anyOf()) {
          out.add(new SeccompSyscall(r.names(), r.action(), r.errnoRet(), List.of(a)));
        }
      } else {
        out.add(new SeccompSyscall(r.names(), r.action(), r.errnoRet(), r.args()));
      }
    }
    return new Seccomp(
        PROFILE.defaultAction(),
        PROFILE.defaultErrnoRet(),
        PROFILE.architectures().getOrDefault(machine, List.of()),
        null,
        null,
        null,
        out);
  }
}
