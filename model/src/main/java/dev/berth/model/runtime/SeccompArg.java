package dev.berth.model.runtime;

import java.math.BigInteger;

/**
 * A condition on a syscall argument: its index (0-5), the comparison (SCMP_CMP_*), the value and
 * the second value (the mask of SCMP_CMP_MASKED_EQ); values are unsigned 64-bit.
 */
public record SeccompArg(Integer index, BigInteger value, BigInteger valueTwo, String op) {}
