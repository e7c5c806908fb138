package dev.berth.model.network;

/** An IPv4 network in CIDR notation (a.b.c.d/n), its address aligned to the prefix. */
public record Ipv4Cidr(long base, int prefix) {
  public Ipv4Cidr {
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("prefix length " + prefix + " is not in 0..32");
    }
    if ((base & ~mask(prefix)) != 0 || base < 0 || base > 0xffffffffL) {
      throw new IllegalArgumentException(
          "address " + format(base) + " is not aligned to /" + prefix);
    }
  }

  /** Parses a.b.c.d/n; the address must be the network's first (10.88.0.0/16, not 10.88.1.0/16). */
  public static Ipv4Cidr parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR (a.b.c.d/n): " + cidr);
    }
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR (a.b.c.d/n): " + cidr, e);
    }
    return new Ipv4Cidr(address(cidr.substring(0, slash)), prefix);
  }

  /** A dotted-quad address as an unsigned 32-bit value. */
  public static long address(String dotted) {
    String[] p = dotted.split("\\.", -1);
    if (p.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + dotted);
    }
    long v = 0;
    for (String octet : p) {
      if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("not an IPv4 address: " + dotted);
      }
      int o = Integer.parseInt(octet);
      if (o > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + dotted);
      }
      v = (v << 8) | o;
    }
    return v;
  }

  public static String format(long v) {
    return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
  }

  private static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
  }

  /** How many addresses the network spans. */
  public long size() {
    return 1L << (32 - prefix);
  }

  public long last() {
    return base + size() - 1;
  }

  public boolean overlaps(Ipv4Cidr other) {
    return base <= other.last() && other.base <= last();
  }

  public boolean contains(Ipv4Cidr other) {
    return base <= other.base && other.last() <= last();
  }

  /** How many subnets of length {@code subPrefix} this network divides into. */
  public long subnetCount(int subPrefix) {
    if (subPrefix < prefix || subPrefix > 32) {
      throw new IllegalArgumentException("/" + subPrefix + " does not divide " + this);
    }
    return 1L << (subPrefix - prefix);
  }

  /** The {@code index}th subnet of length {@code subPrefix}. */
  public Ipv4Cidr subnet(long index, int subPrefix) {
    if (index < 0 || index >= subnetCount(subPrefix)) {
      throw new IllegalArgumentException(
          "no subnet " + index + " of /" + subPrefix + " in " + this);
    }
    return new Ipv4Cidr(base + index * (1L << (32 - subPrefix)), subPrefix);
  }

  /** The address {@code offset} into the network (1: a bridge's usual gateway). */
  public String host(long offset) {
    if (offset < 0 || offset >= size()) {
      throw new IllegalArgumentException("no address " + offset + " in " + this);
    }
    return format(base + offset);
  }

  @Override
  public String toString() {
    return format(base) + "/" + prefix;
  }
}
