package dev.berth.agent.security;

import dev.berth.model.fleet.SecurityContext;
import java.util.Map;

/**
 * What a container asks for on top of its image: env (over the image's), limits, security context,
 * annotations, and the cgroup it goes in. Null fields take the image's or the policy's defaults.
 */
public record ContainerSettings(
    String cgroupPath,
    Map<String, String> env,
    Long memoryLimitBytes,
    Long cpuLimitMillis,
    Integer pidsLimit,
    SecurityContext securityContext,
    Map<String, String> annotations) {}
