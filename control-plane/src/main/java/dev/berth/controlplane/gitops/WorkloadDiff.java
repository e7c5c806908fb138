package dev.berth.controlplane.gitops;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.berth.model.fleet.StoredWorkload;
import dev.berth.model.fleet.WorkloadSpec;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a sync would change, per workload, as a unified diff of its spec in YAML (the fleet's
 * version against the manifest's), as `kubectl diff` shows it.
 */
public final class WorkloadDiff {
  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private WorkloadDiff() {}

  /** One workload's change: what is done to it and the diff. */
  public record Change(String name, String action, String diff) {}

  /** The changes of {@code plan} against {@code live}, in the plan's order. */
  public static List<Change> of(SyncPlan plan, Map<String, StoredWorkload> live) {
    List<Change> out = new ArrayList<>();
    for (WorkloadSpec want : plan.puts()) {
      StoredWorkload have = live.get(want.name());
      String before = have == null ? "" : yaml(have.spec());
      String after = yaml(want);
      String action = have == null ? "create" : before.equals(after) ? "claim" : "update";
      out.add(new Change(want.name(), action, unified(want.name(), before, after)));
    }
    for (String name : plan.deletes()) {
      StoredWorkload have = live.get(name);
      out.add(new Change(name, "delete", unified(name, have == null ? "" : yaml(have.spec()), "")));
    }
    return out;
  }

  /** The spec as YAML, fields in spec order, nothing that is not set. */
  public static String yaml(WorkloadSpec spec) {
    try {
      return YAML.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String unified(String name, String before, String after) {
    List<String> a = before.isEmpty() ? List.of() : before.lines().toList();
    List<String> b = after.isEmpty() ? List.of() : after.lines().toList();
    List<String> lines =
        UnifiedDiffUtils.generateUnifiedDiff(
            before.isEmpty() ? "/dev/null" : "fleet/" + name,
            after.isEmpty() ? "/dev/null" : "git/" + name,
            a,
            DiffUtils.diff(a, b),
            3);
    return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
  }
}
