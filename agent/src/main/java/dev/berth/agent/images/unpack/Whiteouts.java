package dev.berth.agent.images.unpack;

/** What a layer's whiteout entries become. */
public enum Whiteouts {
  /**
   * Applied: the whited-out files are deleted from the directory (a flattened rootfs, the copying
   * fallback).
   */
  APPLY,
  /**
   * Kept as overlayfs expects them in an upper or lower directory: 0:0 character devices and opaque
   * xattrs.
   */
  OVERLAY
}
