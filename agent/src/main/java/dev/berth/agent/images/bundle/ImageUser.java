package dev.berth.agent.images.bundle;

import dev.berth.runtime.mounts.RootfsPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves an image's User ("name", "uid", "uid:gid", "name:group") to numeric ids through the
 * image's own /etc/passwd and /etc/group, with the user's supplementary groups, as containerd does.
 */
public record ImageUser(long uid, long gid, List<Long> additionalGids) {
  public static ImageUser resolve(String user, Path rootfs) throws IOException {
    if (user == null || user.isEmpty()) {
      return new ImageUser(0, 0, List.of());
    }
    String[] parts = user.split(":", 2);
    List<String[]> passwd = entries(rootfs, "/etc/passwd");
    List<String[]> groups = entries(rootfs, "/etc/group");
    String name = null;
    long uid;
    long gid;
    if (isNumber(parts[0])) {
      uid = Long.parseLong(parts[0]);
      Optional<String[]> entry =
          passwd.stream().filter(e -> e.length > 3 && e[2].equals(parts[0])).findFirst();
      gid = entry.map(e -> Long.parseLong(e[3])).orElse(0L);
      name = entry.map(e -> e[0]).orElse(null);
    } else {
      String[] entry =
          passwd.stream()
              .filter(e -> e.length > 3 && e[0].equals(parts[0]))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IOException(
                          "image user \"" + parts[0] + "\" is not in the image's /etc/passwd"));
      name = entry[0];
      uid = Long.parseLong(entry[2]);
      gid = Long.parseLong(entry[3]);
    }
    if (parts.length == 2) {
      if (isNumber(parts[1])) {
        gid = Long.parseLong(parts[1]);
      } else {
        gid =
            groups.stream()
                .filter(e -> e.length > 2 && e[0].equals(parts[1]))
                .findFirst()
                .map(e -> Long.parseLong(e[2]))
                .orElseThrow(
                    () ->
                        new IOException(
                            "image group \"" + parts[1] + "\" is not in the image's /etc/group"));
      }
    }
    List<Long> additional = new ArrayList<>();
    if (name != null) {
      for (String[] g : groups) {
        if (g.length > 3 && List.of(g[3].split(",")).contains(name)) {
          long id = Long.parseLong(g[2]);
          if (id != gid && !additional.contains(id)) {
            additional.add(id);
          }
        }
      }
    }
    return new ImageUser(uid, gid, additional);
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  /**
   * The most of a passwd or group file read: far above any real one, so a hostile image cannot fill
   * the heap.
   */
  private static final int MAX_FILE_BYTES = 16 << 20;

  /**
   * The colon-separated fields of each line of a passwd or group file; none when the image has no
   * such file. The file is found as the container would see it: symlinks resolve inside the rootfs,
   * never on the host.
   */
  private static List<String[]> entries(Path rootfs, String inContainer) throws IOException {
    Path file;
    try {
      file = RootfsPaths.resolve(rootfs, inContainer);
    } catch (RootfsPaths.EscapeException e) {
      throw new IOException("image " + inContainer + ": " + e.getMessage());
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new IOException("image " + inContainer + ": larger than " + MAX_FILE_BYTES + " bytes");
    }
    List<String[]> out = new ArrayList<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        out.add(line.split(":", -1));
      }
    }
    return out;
  }
}
