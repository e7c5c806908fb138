package dev.berth.runtime.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A cgroupsPath never names a directory outside the hierarchy it is placed in, as runc's CleanPath.
 */
class CgroupPathsTest {
  @Test
  void dotDotStopsAtTheRoot() {
    assertEquals("/tmp/x", CgroupPaths.clean("../../../../tmp/x"));
    assertEquals("/a/b", CgroupPaths.clean("/a/./c/../b/"));
    assertEquals("/", CgroupPaths.clean("/.."));
  }

  @Test
  void aDirectoryIsAlwaysUnderTheHierarchyMount() {
    Path root = Path.of("/sys/fs/cgroup/memory");
    assertEquals(root.resolve("tmp/x"), CgroupPaths.under(root, "../../../../tmp/x"));
    assertEquals(root, CgroupPaths.under(root, "/../.."));
  }
}
