package dev.berth.model.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A CNI plugin's error result (the spec's Error: code, msg, details); codes 1-99 are the spec's (7:
 * invalid network configuration, 11: try again later, ...), 100 and up the plugin's own.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CniError(String cniVersion, Integer code, String msg, String details) {
  /** The spec's name for a well-known code, for messages. */
  public static String codeName(int code) {
    return switch (code) {
      case 1 -> "incompatible CNI version";
      case 2 -> "unsupported field in network configuration";
      case 3 -> "container unknown or does not exist";
      case 4 -> "invalid necessary environment variables";
      case 5 -> "I/O failure";
      case 6 -> "failed to decode content";
      case 7 -> "invalid network config";
      case 11 -> "try again later";
      default -> code >= 100 ? "plugin-specific error" : "error";
    };
  }
}
