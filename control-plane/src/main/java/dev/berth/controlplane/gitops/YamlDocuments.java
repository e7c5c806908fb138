package dev.berth.controlplane.gitops;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The documents of one YAML (or JSON) file, each with its own text and where it starts, and the
 * line a field of it is on: what lets an error in a repository name its file, document, line and
 * field.
 */
final class YamlDocuments {
  private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

  /** One document: its text, the line it starts on (1-based) and its parsed node tree. */
  record Document(String text, int firstLine, Node root) {
    /** The line {@code field} (a path like "ports[0].containerPort") is on, or the first line. */
    int lineOf(String field) {
      Node at = root;
      int line = firstLine;
      Matcher m = SEGMENT.matcher(field);
      while (at != null && m.find()) {
        Node next = null;
        if (m.group(1) != null && at instanceof MappingNode map) {
          for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(m.group(1))) {
              line = k.getStartMark().getLine() + 1;
              next = t.getValueNode();
              break;
            }
          }
        } else if (m.group(2) != null && at instanceof SequenceNode seq) {
          int i = Integer.parseInt(m.group(2));
          if (i < seq.getValue().size()) {
            next = seq.getValue().get(i);
            line = next.getStartMark().getLine() + 1;
          }
        }
        at = next;
      }
      return line;
    }
  }

  private YamlDocuments() {}

  /**
   * Splits {@code text} into its documents (empty ones skipped), at most {@code maxDocuments}.
   *
   * @throws IllegalArgumentException when the text is not YAML, with the line, or has too many
   */
  static List<Document> split(String text, int maxDocuments) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(50); // no billion laughs
    options.setAllowDuplicateKeys(false);
    options.setCodePointLimit(Math.max(text.length() + 1, 3 * 1024 * 1024));
    List<Document> out = new ArrayList<>();
    try {
      for (Node root : new Yaml(options).composeAll(new StringReader(text))) {
        if (root == null) {
          continue;
        }
        if (out.size() == maxDocuments) {
          throw new IllegalArgumentException("more than " + maxDocuments + " documents");
        }
        int start = root.getStartMark().getIndex();
        int lineStart = text.lastIndexOf('\n', start - 1) + 1; // keep the first line's indent
        out.add(
            new Document(
                text.substring(lineStart, root.getEndMark().getIndex()),
                root.getStartMark().getLine() + 1,
                root));
      }
    } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
      throw new IllegalArgumentException(
          "line " + line + ": " + (e.getProblem() != null ? e.getProblem() : e.getMessage()), e);
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      throw new IllegalArgumentException(e.getMessage().lines().findFirst().orElse("not YAML"), e);
    }
    return out;
  }
}
