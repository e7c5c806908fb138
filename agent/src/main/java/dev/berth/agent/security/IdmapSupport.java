package dev.berth.agent.security;

import dev.berth.runtime.ContainerException;
import dev.berth.runtime.libc.IdmappedMounts;
import dev.berth.runtime.libc.Native;
import dev.berth.runtime.libc.NativeException;
import dev.berth.runtime.userns.IdRange;
import dev.berth.runtime.userns.UserNamespaceFds;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Whether this node can give containers user namespaces: their image layers are shown to them
 * through idmapped mounts (Linux 5.12+, on a filesystem that allows them; overlayfs takes idmapped
 * layers from 5.19), tried once on the directory the layers live in.
 */
public final class IdmapSupport {
  private static final Logger LOG = Logger.getLogger(IdmapSupport.class.getName());

  private IdmapSupport() {}

  /** Tries an idmapped mount of {@code layers}; logs why not when it cannot be had. */
  public static boolean probe(Path layers) {
    try {
      int userns = UserNamespaceFds.of(new IdRange(IdRangeAllocator.FIRST, IdRangeAllocator.SIZE));
      Native.close(IdmappedMounts.open(layers.toString(), userns));
      return true;
    } catch (ContainerException | NativeException e) {
      LOG.warning(
          "containers on this node run without user namespaces of their own (the host's ids):"
              + " no idmapped mount of "
              + layers
              + ": "
              + e.getMessage());
      return false;
    }
  }
}
