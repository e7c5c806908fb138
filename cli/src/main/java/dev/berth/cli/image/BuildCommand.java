package dev.berth.cli.image;

import dev.berth.agent.images.build.BuildOptions;
import dev.berth.agent.images.build.ImageBuilder;
import dev.berth.model.image.ImageReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Builds a one-layer image from a directory, with its run defaults. */
@Command(name = "build", description = "build an image from a directory")
final class BuildCommand implements Callable<Integer> {
  @Mixin ImageOptions options;

  @Parameters(index = "0", paramLabel = "DIR", description = "becomes the image's root filesystem")
  Path dir;

  @Option(
      names = {"-t", "--tag"},
      required = true,
      description = "the image's name")
  String tag;

  @Option(names = "--entrypoint", split = ",")
  List<String> entrypoint;

  @Option(names = "--cmd", split = ",")
  List<String> cmd;

  @Option(names = {"-e", "--env"})
  List<String> env = new ArrayList<>();

  @Option(names = {"-w", "--workdir"})
  String workdir;

  @Option(names = {"-u", "--user"})
  String user;

  @Option(names = {"-l", "--label"})
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--expose")
  List<String> expose = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<String> allEnv =
        new ArrayList<>(
            List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
    allEnv.addAll(env);
    ImageBuilder.Built built =
        new ImageBuilder(options.open())
            .build(
                dir,
                new BuildOptions(entrypoint, cmd, allEnv, workdir, user, labels, expose),
                ImageReference.parse(tag));
    System.out.println(ImageReference.parse(tag) + " " + built.manifest().digest());
    return 0;
  }
}
