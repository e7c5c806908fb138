package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.List;
import java.util.Map;

/** The Linux-specific part of the configuration. */
public record Linux(
    List<LinuxNamespace> namespaces,
    List<IdMapping> uidMappings,
    List<IdMapping> gidMappings,
    List<LinuxDevice> devices,
    String cgroupsPath,
    Resources resources,
    String rootfsPropagation,
    Object seccomp,
    Map<String, String> sysctl,
    List<String> maskedPaths,
    List<String> readonlyPaths,
    String mountLabel,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Linux {
    extra = UnknownFields.copy(extra);
  }

  public Linux withCgroupsPath(String path) {
    return edited(path, resources);
  }

  public Linux withResources(Resources r) {
    return edited(cgroupsPath, r);
  }

  private Linux edited(String path, Resources r) {
    return new Linux(
        namespaces,
        uidMappings,
        gidMappings,
        devices,
        path,
        r,
        rootfsPropagation,
        seccomp,
        sysctl,
        maskedPaths,
        readonlyPaths,
        mountLabel,
        extra);
  }
}
