package dev.berth.model.runtime;

import java.util.List;

/**
 * One rule of linux.seccomp: the syscalls it matches, what happens, and its argument conditions.
 */
public record SeccompSyscall(
    List<String> names, String action, Integer errnoRet, List<SeccompArg> args) {}
