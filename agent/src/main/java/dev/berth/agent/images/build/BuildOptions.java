package dev.berth.agent.images.build;

import java.util.List;
import java.util.Map;

/** What `berth image build` puts in the image config besides the layer. */
public record BuildOptions(
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String workingDir,
    String user,
    Map<String, String> labels,
    List<String> exposedPorts) {
  public static BuildOptions of(List<String> cmd) {
    return new BuildOptions(
        null,
        cmd,
        List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        null,
        null,
        Map.of(),
        List.of());
  }
}
