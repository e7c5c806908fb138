package dev.berth.runtime.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.berth.model.runtime.Spec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a state record for start, state, kill and delete with Jackson's streaming parser: the
 * record's own fields and, of its config, the version and annotations, skipping the rest. Binding
 * the whole config (some forty record types) costs a one-shot berth-runc command more than all of
 * its work; a config with hooks, which these commands run, is left to the full read.
 */
final class LifecycleRecordReader {
  private static final JsonFactory JSON = new JsonFactory();

  private LifecycleRecordReader() {}

  /** The record in {@code file}, its config reduced as above; null when it has hooks. */
  static ContainerRecord read(Path file) throws IOException {
    String id = null;
    int pid = 0;
    long pidStartTime = 0;
    String bundle = null;
    String rootfs = null;
    String created = null;
    String cgroupPath = null;
    List<String> ancestors = null;
    boolean monitored = false;
    String ociVersion = null;
    Map<String, String> annotations = null;
    try (JsonParser p = JSON.createParser(file.toFile())) {
      expect(p.nextToken(), JsonToken.START_OBJECT, file);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "id" -> id = p.getValueAsString();
          case "pid" -> pid = p.getValueAsInt();
          case "pidStartTime" -> pidStartTime = p.getValueAsLong();
          case "bundle" -> bundle = p.getValueAsString();
          case "rootfs" -> rootfs = p.getValueAsString();
          case "created" -> created = p.getValueAsString();
          case "cgroupPath" -> cgroupPath = p.getValueAsString();
          case "monitored" -> monitored = p.getValueAsBoolean();
          case "createdCgroupAncestors" -> ancestors = strings(p, file);
          case "config" -> {
            expect(value, JsonToken.START_OBJECT, file);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String name = p.currentName();
              JsonToken v = p.nextToken();
              switch (name) {
                case "ociVersion" -> ociVersion = p.getValueAsString();
                case "annotations" -> annotations = stringMap(p, v, file);
                case "hooks" -> {
                  if (v != JsonToken.VALUE_NULL) {
                    return null;
                  }
                }
                default -> p.skipChildren();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
    }
    Spec config = new Spec(ociVersion, null, null, null, null, null, null, annotations, null, null);
    return new ContainerRecord(
        id, pid, pidStartTime, bundle, rootfs, created, cgroupPath, ancestors, monitored, config);
  }

  private static List<String> strings(JsonParser p, Path file) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p.currentToken(), JsonToken.START_ARRAY, file);
    List<String> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      out.add(p.getValueAsString());
    }
    return out;
  }

  private static Map<String, String> stringMap(JsonParser p, JsonToken at, Path file)
      throws IOException {
    if (at == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(at, JsonToken.START_OBJECT, file);
    Map<String, String> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      out.put(key, p.getValueAsString());
    }
    return out;
  }

  private static void expect(JsonToken got, JsonToken wanted, Path file) throws IOException {
    if (got != wanted) {
      throw new IOException(file + ": expected " + wanted + ", found " + got);
    }
  }
}
