package dev.berth.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The body every Berth HTTP API answers an error with: {@code {"error": "what went wrong"}}. */
public record ApiError(String error) {
  public ObjectNode json() {
    return JsonMapping.mapper().createObjectNode().put("error", String.valueOf(error));
  }

  @Override
  public String toString() {
    return json().toString();
  }
}
