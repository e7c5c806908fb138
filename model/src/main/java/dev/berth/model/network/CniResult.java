package dev.berth.model.network;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.model.UnknownFields;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a CNI plugin chain set up (the CNI spec's Success result, versions 0.4.0 to 1.1.0): the
 * interfaces, the addresses with the index of their interface, routes and DNS. Fields Berth does
 * not know are kept, so the result passes to the next plugin unchanged as its prevResult.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CniResult(
    String cniVersion,
    List<Interface> interfaces,
    List<Ip> ips,
    List<Route> routes,
    Dns dns,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public CniResult {
    extra = UnknownFields.copy(extra);
  }

  /**
   * An interface a plugin created; {@code sandbox} is the netns path when it is in the container.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Interface(
      String name,
      String mac,
      Integer mtu,
      String sandbox,
      @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public Interface {
      extra = UnknownFields.copy(extra);
    }
  }

  /** An address in CIDR form ("10.88.0.5/16"), its gateway, and the index of its interface. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Ip(
      String address,
      String gateway,
      @JsonProperty("interface") Integer interfaceIndex,
      @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public Ip {
      extra = UnknownFields.copy(extra);
    }

    /** The address without its prefix length. */
    public String host() {
      int slash = address == null ? -1 : address.indexOf('/');
      return slash < 0 ? address : address.substring(0, slash);
    }
  }

  /** A route: destination in CIDR form and an optional gateway. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Route(
      String dst, String gw, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public Route {
      extra = UnknownFields.copy(extra);
    }
  }

  /** DNS settings a plugin suggests. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Dns(
      List<String> nameservers,
      String domain,
      List<String> search,
      List<String> options,
      @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public Dns {
      extra = UnknownFields.copy(extra);
    }
  }

  /**
   * The first address on an interface inside the container ({@code ifName} in the netns), as the
   * container's IP for the fleet view; empty when the chain gave it none.
   */
  public Optional<Ip> containerIp(String ifName) {
    if (ips == null) {
      return Optional.empty();
    }
    for (Ip ip : ips) {
      Integer i = ip.interfaceIndex();
      if (i == null) {
        return Optional.of(ip); // an address not tied to an interface: the container's, by the spec
      }
      if (interfaces != null && i >= 0 && i < interfaces.size()) {
        Interface itf = interfaces.get(i);
        if (ifName.equals(itf.name()) && itf.sandbox() != null && !itf.sandbox().isEmpty()) {
          return Optional.of(ip);
        }
      }
    }
    return Optional.empty();
  }
}
