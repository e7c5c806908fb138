package dev.berth.agent.network.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.JsonMapping;
import dev.berth.model.network.CniResult;
import dev.berth.model.network.PortMapping;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One CNI network's plugin chain run over a container's network namespace, as libcni runs it: ADD
 * through the chain with each result as the next plugin's prevResult, CHECK in order and DEL in
 * reverse with the attachment's result. A failed ADD is undone with DEL, so nothing stays
 * half-attached. Blocking: call from a worker.
 */
public final class CniNetwork {
  private final CniConfigList config;
  private final CniPlugins plugins;

  public CniNetwork(CniConfigList config, CniPlugins plugins) {
    this.config = config;
    this.plugins = plugins;
  }

  public CniConfigList config() {
    return config;
  }

  /** What the runtime passes to plugins that declare the capability (portMappings, bandwidth). */
  public record RuntimeConfig(List<PortMapping> portMappings) {
    public static final RuntimeConfig NONE = new RuntimeConfig(List.of());

    Map<String, Object> byCapability() {
      return portMappings == null || portMappings.isEmpty()
          ? Map.of()
          : Map.of("portMappings", portMappings);
    }
  }

  /** Checks that every plugin of the chain is installed (an agent does this at start). */
  public void requirePlugins() throws CniException {
    for (String type : config.types()) {
      plugins.find(type);
    }
  }

  /**
   * Attaches the container; on failure whatever the chain did so far is removed again (DEL of the
   * plugins that ran, the failed one included: it may have done part of its work).
   */
  public CniResult add(CniPlugins.Call call, RuntimeConfig runtime) throws CniException {
    CniResult prev = null;
    int ran = 0;
    try {
      for (ObjectNode plugin : config.plugins()) {
        plugins.find(plugin.get("type").asText()); // one that is not there has nothing to undo
        ran++;
        byte[] out = run(plugin, "ADD", call, runtime, prev);
        prev = parse(out, plugin);
      }
    } catch (CniException e) {
      try {
        del(config.plugins().subList(0, ran), call, runtime, prev);
      } catch (CniException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    if (prev == null) {
      throw new CniException("CNI ADD of network " + config.name() + ": the chain gave no result");
    }
    return prev;
  }

  /**
   * Asks every plugin whether the attachment is still as {@code result} says (CNI 0.4.0 and later).
   */
  public void check(CniPlugins.Call call, RuntimeConfig runtime, CniResult result)
      throws CniException {
    if (config.disableCheck() || config.cniVersion().startsWith("0.3")) {
      return;
    }
    for (ObjectNode plugin : config.plugins()) {
      // Debian's portmap 1.1.1 fails CHECK of any IPv4-only attachment (containernetworking/plugins
      // #819): asking it would call every such container broken.
      if (!plugin.get("type").asText().equals("portmap")) {
        run(plugin, "CHECK", call, runtime, result);
      }
    }
  }

  /**
   * Detaches the container, plugins in reverse order. Every plugin is asked even when one fails (an
   * address must not stay allocated because a firewall rule was already gone); the first failure is
   * thrown at the end.
   */
  public void del(CniPlugins.Call call, RuntimeConfig runtime, CniResult result)
      throws CniException {
    del(config.plugins(), call, runtime, result);
  }

  private void del(
      List<ObjectNode> chain, CniPlugins.Call call, RuntimeConfig runtime, CniResult result)
      throws CniException {
    CniException first = null;
    for (int i = chain.size() - 1; i >= 0; i--) {
      try {
        run(chain.get(i), "DEL", call, runtime, result);
      } catch (CniException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private byte[] run(
      ObjectNode plugin, String command, CniPlugins.Call call, RuntimeConfig rt, CniResult prev)
      throws CniException {
    ObjectNode conf = plugin.deepCopy();
    conf.put("cniVersion", config.cniVersion());
    conf.put("name", config.name());
    ObjectNode runtimeConfig = JsonMapping.mapper().createObjectNode();
    JsonNode capabilities = plugin.path("capabilities");
    for (Map.Entry<String, Object> e : rt.byCapability().entrySet()) {
      if (capabilities.path(e.getKey()).asBoolean(false)) {
        runtimeConfig.set(e.getKey(), JsonMapping.mapper().valueToTree(e.getValue()));
      }
    }
    if (!runtimeConfig.isEmpty()) {
      conf.set("runtimeConfig", runtimeConfig);
    }
    if (prev != null) {
      conf.set("prevResult", JsonMapping.mapper().valueToTree(prev));
    }
    byte[] stdin;
    try {
      stdin = JsonMapping.mapper().writeValueAsBytes(conf);
    } catch (IOException e) {
      throw new CniException("cannot encode the config of " + plugin.get("type").asText(), null, e);
    }
    return plugins.run(config.name(), plugin.get("type").asText(), command, call, stdin);
  }

  private CniResult parse(byte[] out, ObjectNode plugin) throws CniException {
    try {
      CniResult r = JsonMapping.mapper().readValue(out, CniResult.class);
      if (r == null) {
        throw new IOException("empty output");
      }
      return r;
    } catch (IOException e) {
      throw new CniException(
          "CNI ADD of network "
              + config.name()
              + ", plugin "
              + plugin.get("type").asText()
              + ": not a CNI result: "
              + e.getMessage(),
          null,
          e);
    }
  }
}
