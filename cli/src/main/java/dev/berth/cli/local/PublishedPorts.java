package dev.berth.cli.local;

import dev.berth.model.network.PortMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `-p [IP:]HOST_PORT:CONTAINER_PORT[/tcp|udp]` as Docker and Podman take it: a container port
 * published on the host through the portmap plugin (on every host address unless IP says one).
 */
final class PublishedPorts {
  /** At most this many -p. */
  static final int MAX = 64;

  private static final Pattern FORM =
      Pattern.compile(
          "(?:(\\d{1,3}(?:\\.\\d{1,3}){3}):)?(\\d{1,5}):(\\d{1,5})(?:/(tcp|udp|TCP|UDP))?");

  private PublishedPorts() {}

  static List<PortMapping> parse(List<String> values) {
    if (values.size() > MAX) {
      throw new IllegalArgumentException("-p: at most " + MAX + " ports");
    }
    List<PortMapping> out = new ArrayList<>();
    for (String v : values) {
      Matcher m = FORM.matcher(v);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "-p: \"" + v + "\" is not [IP:]HOST_PORT:CONTAINER_PORT[/tcp|udp]");
      }
      String ip = m.group(1);
      if (ip != null) {
        for (String octet : ip.split("\\.")) {
          if (Integer.parseInt(octet) > 255) {
            throw new IllegalArgumentException("-p: " + ip + " is not an IPv4 address");
          }
        }
      }
      int host = port(m.group(2), v);
      int container = port(m.group(3), v);
      String protocol = m.group(4) == null ? "tcp" : m.group(4).toLowerCase(Locale.ROOT);
      for (PortMapping taken : out) {
        if (taken.hostPort() == host && taken.protocol().equals(protocol)) {
          throw new IllegalArgumentException(
              "-p: host port " + host + "/" + protocol + " is published twice");
        }
      }
      out.add(new PortMapping(host, container, protocol, ip));
    }
    return out;
  }

  private static int port(String digits, String value) {
    int p = Integer.parseInt(digits);
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("-p: \"" + value + "\": a port is 1 to 65535");
    }
    return p;
  }
}
