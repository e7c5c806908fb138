package dev.berth.model.runtime;

import java.util.List;

/**
 * linux.seccomp: the syscall filter of runtime-spec 1.2 (the default action and its errno, the
 * architectures, the filter flags, the rules). A listener (SCMP_ACT_NOTIFY) is not supported.
 */
public record Seccomp(
    String defaultAction,
    Integer defaultErrnoRet,
    List<String> architectures,
    List<String> flags,
    String listenerPath,
    String listenerMetadata,
    List<SeccompSyscall> syscalls) {}
