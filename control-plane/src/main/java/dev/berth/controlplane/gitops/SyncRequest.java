package dev.berth.controlplane.gitops;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.berth.model.JsonMapping;

/**
 * A request, from any control plane's API to the leader's sync controller (through a Hazelcast
 * topic), to sync a source now: a webhook's or a user's, at a given commit or the source's
 * revision.
 */
public record SyncRequest(String source, SyncTrigger trigger, String revision) {
  /** The Hazelcast topic the requests travel on. */
  public static final String TOPIC = "gitops-sync-requests";

  String encode() {
    try {
      return JsonMapping.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static SyncRequest decode(String text) {
    try {
      return JsonMapping.mapper().readValue(text, SyncRequest.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("unreadable sync request: " + e.getOriginalMessage(), e);
    }
  }
}
