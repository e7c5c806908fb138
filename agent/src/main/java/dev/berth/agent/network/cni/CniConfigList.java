package dev.berth.agent.network.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.JsonMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A CNI network configuration list (a {@code .conflist}, or a single-plugin {@code .conf} turned
 * into one as libcni does): the network's name, its CNI version and the plugin chain. Each plugin's
 * object is kept as written: its fields belong to the plugin.
 */
public record CniConfigList(
    String cniVersion, String name, boolean disableCheck, List<ObjectNode> plugins) {
  static final long MAX_BYTES = 1 << 20;
  static final int MAX_PLUGINS = 32;
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]{0,63}");
  // A plugin type names a binary in the plugin directories: never a path.
  private static final Pattern TYPE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]{0,63}");

  public CniConfigList {
    plugins = List.copyOf(plugins);
  }

  /**
   * Reads and checks a {@code .conflist} or {@code .conf} file; the error names the file and field.
   */
  public static CniConfigList read(Path file) throws CniException {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new CniException(file + ": " + size + " bytes, more than " + MAX_BYTES);
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CniException("cannot read network config " + file + ": " + e.getMessage());
    }
    return parse(bytes, file.toString(), file.getFileName().toString().endsWith(".conflist"));
  }

  /**
   * Parses a config list ({@code list}) or a single plugin's config; {@code source} names it in
   * errors.
   */
  public static CniConfigList parse(byte[] json, String source, boolean list) throws CniException {
    JsonNode root;
    try {
      root = JsonMapping.mapper().readTree(json);
    } catch (IOException e) {
      throw new CniException(source + ": not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new CniException(source + ": not a JSON object");
    }
    String version = text(root, "cniVersion", source);
    String name = text(root, "name", source);
    if (!NAME.matcher(name).matches()) {
      throw new CniException(source + ": name \"" + name + "\" is not a network name");
    }
    List<ObjectNode> plugins = new ArrayList<>();
    if (list) {
      JsonNode array = root.get("plugins");
      if (!(array instanceof ArrayNode a) || a.isEmpty()) {
        throw new CniException(source + ": \"plugins\" must be a non-empty array");
      }
      if (a.size() > MAX_PLUGINS) {
        throw new CniException(source + ": more than " + MAX_PLUGINS + " plugins");
      }
      for (int i = 0; i < a.size(); i++) {
        plugins.add(plugin(a.get(i), source + ": plugins[" + i + "]"));
      }
    } else {
      ObjectNode single = ((ObjectNode) root).deepCopy();
      single.remove(List.of("cniVersion", "name"));
      plugins.add(plugin(single, source));
    }
    return new CniConfigList(version, name, root.path("disableCheck").asBoolean(false), plugins);
  }

  private static ObjectNode plugin(JsonNode node, String where) throws CniException {
    if (!(node instanceof ObjectNode o)) {
      throw new CniException(where + ": not a JSON object");
    }
    String type = text(o, "type", where);
    if (!TYPE.matcher(type).matches()) {
      throw new CniException(where + ": type \"" + type + "\" is not a plugin name");
    }
    return o;
  }

  private static String text(JsonNode node, String field, String where) throws CniException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new CniException(where + ": \"" + field + "\" is missing or not a string");
    }
    return v.asText();
  }

  /** The plugins' types, in chain order. */
  public List<String> types() {
    return plugins.stream().map(p -> p.get("type").asText()).toList();
  }

  /** The list as JSON again (what an attachment records, so that DEL uses what ADD used). */
  public ObjectNode toJson() {
    ObjectNode o = JsonMapping.mapper().createObjectNode();
    o.put("cniVersion", cniVersion);
    o.put("name", name);
    if (disableCheck) {
      o.put("disableCheck", true);
    }
    o.putArray("plugins").addAll(plugins);
    return o;
  }
}
