package dev.berth.runtime.mounts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountFlagsTest {
  @Test
  void flagsPropagationAndDataAreSeparated() {
    MountFlags f =
        MountFlags.parse(
            List.of("nosuid", "noexec", "rbind", "ro", "rslave", "mode=755", "size=1m"));
    assertEquals(
        MountFlags.MS_NOSUID
            | MountFlags.MS_NOEXEC
            | MountFlags.MS_BIND
            | MountFlags.MS_REC
            | MountFlags.MS_RDONLY,
        f.flags());
    assertEquals(MountFlags.MS_SLAVE | MountFlags.MS_REC, f.propagation());
    assertEquals("mode=755,size=1m", f.data());
  }

  @Test
  void laterOptionsOverrideEarlierOnes() {
    assertEquals(0, MountFlags.parse(List.of("ro", "rw")).flags());
    assertEquals(MountFlags.MS_NODEV, MountFlags.parse(List.of("dev", "nodev")).flags());
  }
}
