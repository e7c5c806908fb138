package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.List;
import java.util.Map;

/** The container process: what runs, as whom, with which privileges. */
public record ContainerProcess(
    Boolean terminal,
    ConsoleSize consoleSize,
    User user,
    List<String> args,
    String commandLine,
    List<String> env,
    String cwd,
    Capabilities capabilities,
    List<Rlimit> rlimits,
    Boolean noNewPrivileges,
    String apparmorProfile,
    Integer oomScoreAdj,
    String selinuxLabel,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public ContainerProcess {
    extra = UnknownFields.copy(extra);
  }

  /** The same process, with or without a terminal as its stdio. */
  public ContainerProcess withTerminal(boolean on) {
    return new ContainerProcess(
        on,
        consoleSize,
        user,
        args,
        commandLine,
        env,
        cwd,
        capabilities,
        rlimits,
        noNewPrivileges,
        apparmorProfile,
        oomScoreAdj,
        selinuxLabel,
        extra);
  }

  /** The same process, run as {@code u} with capabilities {@code c}. */
  public ContainerProcess withIdentity(User u, Capabilities c) {
    return new ContainerProcess(
        terminal,
        consoleSize,
        u,
        args,
        commandLine,
        env,
        cwd,
        c,
        rlimits,
        noNewPrivileges,
        apparmorProfile,
        oomScoreAdj,
        selinuxLabel,
        extra);
  }

  /** The same process, with no_new_privs as {@code on}. */
  public ContainerProcess withNoNewPrivileges(boolean on) {
    return new ContainerProcess(
        terminal,
        consoleSize,
        user,
        args,
        commandLine,
        env,
        cwd,
        capabilities,
        rlimits,
        on,
        apparmorProfile,
        oomScoreAdj,
        selinuxLabel,
        extra);
  }

  public ContainerProcess withEnv(List<String> e) {
    return new ContainerProcess(
        terminal,
        consoleSize,
        user,
        args,
        commandLine,
        e,
        cwd,
        capabilities,
        rlimits,
        noNewPrivileges,
        apparmorProfile,
        oomScoreAdj,
        selinuxLabel,
        extra);
  }

  /**
   * A process to exec in the container this process is the init of, as runc exec builds it from its
   * flags: the given terminal, user, args, env and cwd, and this process's capabilities and
   * no_new_privs (the runtime's exec planner adds the rest the container imposes).
   */
  public ContainerProcess execProcess(
      boolean terminal, User user, List<String> args, List<String> env, String cwd) {
    return new ContainerProcess(
        terminal,
        null,
        user,
        args,
        null,
        env,
        cwd,
        capabilities,
        null,
        noNewPrivileges,
        null,
        null,
        null,
        null);
  }
}
