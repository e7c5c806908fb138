package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.ArrayList;
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
    Seccomp seccomp,
    Map<String, String> sysctl,
    List<String> maskedPaths,
    List<String> readonlyPaths,
    String mountLabel,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public Linux {
    extra = UnknownFields.copy(extra);
  }

  public Linux withCgroupsPath(String path) {
    return edited(namespaces, path, resources);
  }

  public Linux withResources(Resources r) {
    return edited(namespaces, cgroupsPath, r);
  }

  /** The same, with the namespace of {@code type} joined at {@code path} (added when missing). */
  public Linux withNamespacePath(String type, String path) {
    List<LinuxNamespace> ns = new ArrayList<>();
    for (LinuxNamespace n : namespaces == null ? List.<LinuxNamespace>of() : namespaces) {
      if (!type.equals(n.type())) {
        ns.add(n);
      }
    }
    ns.add(new LinuxNamespace(type, path, null));
    return edited(ns, cgroupsPath, resources);
  }

  /** The same without a namespace of {@code type}: the container shares the runtime's. */
  public Linux withoutNamespace(String type) {
    List<LinuxNamespace> ns = new ArrayList<>();
    for (LinuxNamespace n : namespaces == null ? List.<LinuxNamespace>of() : namespaces) {
      if (!type.equals(n.type())) {
        ns.add(n);
      }
    }
    return edited(ns, cgroupsPath, resources);
  }

  /**
   * The same in a user namespace of its own whose ids 0..size-1 are host ids hostId.. (uids and
   * gids alike), with {@code sysctl} added to its sysctls.
   */
  public Linux withUserNamespace(long hostId, long size, Map<String, String> moreSysctl) {
    List<LinuxNamespace> ns = new ArrayList<>();
    for (LinuxNamespace n : namespaces == null ? List.<LinuxNamespace>of() : namespaces) {
      if (!"user".equals(n.type())) {
        ns.add(n);
      }
    }
    ns.add(new LinuxNamespace("user", null, null));
    List<IdMapping> map = List.of(new IdMapping(0L, hostId, size, null));
    Map<String, String> sysctls = new java.util.LinkedHashMap<>();
    if (sysctl != null) {
      sysctls.putAll(sysctl);
    }
    sysctls.putAll(moreSysctl);
    return new Linux(
        ns,
        map,
        map,
        devices,
        cgroupsPath,
        resources,
        rootfsPropagation,
        seccomp,
        sysctls,
        maskedPaths,
        readonlyPaths,
        mountLabel,
        extra);
  }

  /**
   * The same with {@code nodes} as its device nodes and no masked or read-only paths (what a
   * privileged container gets).
   */
  public Linux withDevicesUnmasked(List<LinuxDevice> nodes) {
    return new Linux(
        namespaces,
        uidMappings,
        gidMappings,
        nodes,
        cgroupsPath,
        resources,
        rootfsPropagation,
        seccomp,
        sysctl,
        List.of(),
        List.of(),
        mountLabel,
        extra);
  }

  /** The same, with {@code filter} as its syscall filter. */
  public Linux withSeccomp(Seccomp filter) {
    return new Linux(
        namespaces,
        uidMappings,
        gidMappings,
        devices,
        cgroupsPath,
        resources,
        rootfsPropagation,
        filter,
        sysctl,
        maskedPaths,
        readonlyPaths,
        mountLabel,
        extra);
  }

  private Linux edited(List<LinuxNamespace> ns, String path, Resources r) {
    return new Linux(
        ns,
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
