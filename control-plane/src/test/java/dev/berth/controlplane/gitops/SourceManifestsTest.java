package dev.berth.controlplane.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.fleet.SpecLimits;
import dev.berth.model.fleet.WorkloadSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SourceManifestsTest {
  private static final String WEB = "name: web\nimage: local/busybox:1\nreplicas: 2\n";
  private static final String API = "name: api\nimage: local/busybox:1\n";

  private static SourceManifests.Result read(String... pathsAndTexts) {
    TreeMap<String, byte[]> files = new TreeMap<>();
    for (int i = 0; i < pathsAndTexts.length; i += 2) {
      files.put(pathsAndTexts[i], pathsAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return SourceManifests.read(files, SpecLimits.DEFAULT);
  }

  @Test
  void everyDocumentOfEveryFileIsAWorkload() {
    SourceManifests.Result r =
        read(
            "apps/both.yaml",
            "# two in one file\n" + WEB + "---\n" + API,
            "apps/db.json",
            "{\"name\": \"db\", \"image\": \"local/busybox:1\"}");
    assertTrue(r.valid(), r.errors().toString());
    assertEquals(List.of("web", "api", "db"), r.specs().stream().map(WorkloadSpec::name).toList());
    assertEquals(2, r.specs().get(0).replicas());
  }

  @Test
  void oneBadFieldAmongGoodFilesYieldsNothingAndNamesFileDocumentLineAndField() {
    SourceManifests.Result r =
        read(
            "a.yaml",
            WEB,
            "b.yaml",
            API + "---\nname: worker\nimage: local/busybox:1\n\nreplicas: -1\n");
    assertTrue(r.specs().isEmpty(), "nothing applies when anything is wrong");
    assertEquals(1, r.errors().size(), r.errors().toString());
    ManifestError e = r.errors().get(0);
    assertEquals("b.yaml", e.file());
    assertEquals(2, e.document());
    assertEquals(7, e.line(), e.toString());
    assertEquals("replicas", e.field());
    assertTrue(e.toString().startsWith("b.yaml: document 2, line 7: replicas: "), e.toString());
  }

  @Test
  void anUnknownFieldIsNamedAtItsLine() {
    ManifestError e =
        read("w.yml", "name: web\nimage: local/busybox:1\nreplica: 3\n").errors().get(0);
    assertEquals("replica", e.field());
    assertEquals(3, e.line());
  }

  @Test
  void aYamlSyntaxErrorNamesItsLine() {
    ManifestError e = read("w.yaml", "name: web\nimage: [unclosed\nreplicas: 1\n").errors().get(0);
    assertEquals("(syntax)", e.field());
    assertTrue(e.message().startsWith("line "), e.toString());
  }

  @Test
  void aWorkloadDeclaredTwiceIsAnError() {
    SourceManifests.Result r = read("a.yaml", WEB, "b/c.yaml", WEB);
    assertTrue(r.specs().isEmpty());
    assertTrue(
        r.errors().get(0).message().contains("also declared in a.yaml: document 1"),
        r.errors().toString());
  }

  @Test
  void aliasBombsAreRefused() {
    StringBuilder bomb = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x]\n");
    for (char c = 'b'; c <= 'p'; c++) { // 60 aliases, a billion nodes if expanded
      char p = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [*").append(p);
      bomb.append(",*").append(p).append(",*").append(p).append(",*").append(p).append("]\n");
    }
    SourceManifests.Result r = read("bomb.yaml", bomb.toString());
    assertTrue(r.specs().isEmpty());
    assertEquals("(syntax)", r.errors().get(0).field(), r.errors().toString());
  }
}
