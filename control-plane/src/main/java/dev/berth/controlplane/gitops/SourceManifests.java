package dev.berth.controlplane.gitops;

import dev.berth.model.fleet.SpecLimits;
import dev.berth.model.fleet.WorkloadSpec;
import dev.berth.model.fleet.WorkloadSpecs;
import dev.berth.model.runtime.ValidationError;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The workload specs of a source's files, read and validated as one unit: every {@code .yaml},
 * {@code .yml} and {@code .json} file (YAML files may hold several documents), every problem in any
 * of them named by file, document, line and field. A set with any problem yields no specs.
 */
public final class SourceManifests {
  /** Bounds on what a repository may hold for one source. */
  public static final int MAX_FILES = 5_000;

  public static final int MAX_FILE_BYTES = 1 << 20;
  public static final long MAX_TOTAL_BYTES = 64L << 20;
  public static final int MAX_DOCUMENTS_PER_FILE = 1_000;
  public static final int MAX_WORKLOADS = 10_000;

  /** The specs, in file order, or the problems (then {@code specs} is empty). */
  public record Result(List<WorkloadSpec> specs, List<ManifestError> errors) {
    public boolean valid() {
      return errors.isEmpty();
    }
  }

  private SourceManifests() {}

  /** Whether a file is a manifest by its name. */
  public static boolean isManifest(String path) {
    String p = path.toLowerCase(java.util.Locale.ROOT);
    return p.endsWith(".yaml") || p.endsWith(".yml") || p.endsWith(".json");
  }

  /** Reads {@code files} (path relative to the repository to content), in path order. */
  public static Result read(SortedMap<String, byte[]> files, SpecLimits limits) {
    List<ManifestError> errors = new ArrayList<>();
    List<WorkloadSpec> specs = new ArrayList<>();
    Map<String, String> firstSeen = new HashMap<>();
    if (files.size() > MAX_FILES) {
      return new Result(
          List.of(),
          List.of(
              new ManifestError(
                  "(source)", 0, 0, "(files)", files.size() + " manifests, at most " + MAX_FILES)));
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      String file = f.getKey();
      if (f.getValue().length > MAX_FILE_BYTES) {
        errors.add(
            new ManifestError(
                file, 0, 0, "(file)", f.getValue().length + " bytes, at most " + MAX_FILE_BYTES));
        continue;
      }
      String text;
      try {
        text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(f.getValue()))
                .toString();
      } catch (CharacterCodingException e) {
        errors.add(new ManifestError(file, 0, 0, "(file)", "not UTF-8 text"));
        continue;
      }
      List<YamlDocuments.Document> documents;
      try {
        documents = YamlDocuments.split(text, MAX_DOCUMENTS_PER_FILE);
      } catch (IllegalArgumentException e) {
        errors.add(new ManifestError(file, 0, 0, "(syntax)", e.getMessage()));
        continue;
      }
      boolean json = file.toLowerCase(java.util.Locale.ROOT).endsWith(".json");
      for (int d = 0; d < documents.size(); d++) {
        YamlDocuments.Document doc = documents.get(d);
        try {
          WorkloadSpec spec =
              WorkloadSpecs.read(doc.text().getBytes(StandardCharsets.UTF_8), !json, limits);
          String where = file + ": document " + (d + 1);
          String earlier = firstSeen.putIfAbsent(spec.name(), where);
          if (earlier != null) {
            errors.add(
                new ManifestError(
                    file,
                    d + 1,
                    doc.lineOf("name"),
                    "name",
                    "workload \"" + spec.name() + "\" is also declared in " + earlier));
          } else {
            specs.add(spec);
          }
        } catch (WorkloadSpecs.InvalidWorkloadException e) {
          for (ValidationError v : e.errors()) {
            boolean whole = v.path().startsWith("(");
            errors.add(
                new ManifestError(
                    file,
                    d + 1,
                    whole ? doc.firstLine() : doc.lineOf(v.path()),
                    whole ? "(document)" : v.path(),
                    v.message()));
          }
        }
      }
    }
    if (specs.size() > MAX_WORKLOADS) {
      errors.add(
          new ManifestError(
              "(source)",
              0,
              0,
              "(workloads)",
              specs.size() + " workloads, at most " + MAX_WORKLOADS));
    }
    return errors.isEmpty()
        ? new Result(List.copyOf(specs), List.of())
        : new Result(List.of(), errors);
  }
}
