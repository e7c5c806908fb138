package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The runtime-spec config.json of a bundle. */
public record Spec(
    String ociVersion,
    ContainerProcess process,
    Root root,
    String hostname,
    String domainname,
    List<Mount> mounts,
    Hooks hooks,
    Map<String, String> annotations,
    Linux linux,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Spec {
    extra = UnknownFields.copy(extra);
  }

  public Spec withProcess(ContainerProcess p) {
    return new Spec(
        ociVersion, p, root, hostname, domainname, mounts, hooks, annotations, linux, extra);
  }

  public Spec withAnnotations(Map<String, String> a) {
    return new Spec(
        ociVersion, process, root, hostname, domainname, mounts, hooks, a, linux, extra);
  }

  /**
   * The same, with {@code m} mounted after the existing mounts (later mounts cover earlier ones).
   */
  public Spec withMountAdded(Mount m) {
    List<Mount> all = new ArrayList<>(mounts == null ? List.of() : mounts);
    all.add(m);
    return new Spec(
        ociVersion, process, root, hostname, domainname, all, hooks, annotations, linux, extra);
  }

  public Spec withMounts(List<Mount> m) {
    return new Spec(
        ociVersion, process, root, hostname, domainname, m, hooks, annotations, linux, extra);
  }

  public Spec withRoot(Root r) {
    return new Spec(
        ociVersion, process, r, hostname, domainname, mounts, hooks, annotations, linux, extra);
  }

  public Spec withLinux(Linux l) {
    return new Spec(
        ociVersion, process, root, hostname, domainname, mounts, hooks, annotations, l, extra);
  }
}
