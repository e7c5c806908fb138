package dev.berth.agent.images.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed WWW-Authenticate challenge: the scheme (Bearer or Basic) and its parameters (realm,
 * service, scope).
 */
record Challenge(String scheme, Map<String, String> params) {
  private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]*))");

  static Challenge parse(String header) {
    String trimmed = header.trim();
    int space = trimmed.indexOf(' ');
    String scheme = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
    Map<String, String> params = new LinkedHashMap<>();
    if (space > 0) {
      Matcher m = PARAM.matcher(trimmed.substring(space + 1));
      while (m.find()) {
        params.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
      }
    }
    return new Challenge(scheme, params);
  }
}
