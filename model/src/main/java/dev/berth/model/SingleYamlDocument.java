package dev.berth.model;

import dev.berth.model.runtime.ValidationError;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;

/**
 * Checks a YAML body before it is read as a spec: exactly one document (a second one would be
 * silently dropped), and no anchors or aliases (which a mapper may turn into literal strings, and
 * which can multiply a small body into a huge one).
 */
final class SingleYamlDocument {
  /** Events a spec needs: a few per field; far more is a body built to cost. */
  private static final int MAX_EVENTS = 200_000;

  private SingleYamlDocument() {}

  static void check(byte[] body) throws StrictReader.InvalidDocumentException {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(0);
    int documents = 0;
    int events = 0;
    try {
      for (Event e :
          new Yaml(options)
              .parse(
                  new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8))) {
        if (++events > MAX_EVENTS) {
          throw refused("more than " + MAX_EVENTS + " YAML nodes");
        }
        if (e instanceof AliasEvent) {
          throw refused("YAML aliases (*name) are not accepted in a spec; write the value out");
        }
        if (e instanceof NodeEvent n && n.getAnchor() != null) {
          throw refused("YAML anchors (&" + n.getAnchor() + ") are not accepted in a spec");
        }
        if (e instanceof DocumentStartEvent && ++documents > 1) {
          throw refused("more than one YAML document: send one spec per request");
        }
      }
    } catch (YAMLException e) {
      throw refused("not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static StrictReader.InvalidDocumentException refused(String why) {
    return new StrictReader.InvalidDocumentException(List.of(new ValidationError("(body)", why)));
  }
}
