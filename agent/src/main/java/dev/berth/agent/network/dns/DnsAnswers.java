package dev.berth.agent.network.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers DNS queries for workload names from {@link FleetNames} (dnsjava for the wire format): A
 * records with a one-second TTL, so that a replica that stops leaves the answers at once; NXDOMAIN
 * for unknown names in Berth's domain; null for everything else, which the server forwards
 * upstream.
 */
public final class DnsAnswers {
  static final long TTL_SECONDS = 1;
  static final int MAX_UDP_PAYLOAD = 4096;

  private DnsAnswers() {}

  /** The response to {@code query}, or null when it is for a name outside the fleet. */
  public static byte[] answer(byte[] query, FleetNames names) {
    Message q;
    try {
      q = new Message(query);
    } catch (IOException e) {
      return null; // not a DNS message: dropped, as resolvers drop garbage
    }
    Record question = q.getQuestion();
    if (q.getHeader().getOpcode() != Opcode.QUERY
        || question == null
        || q.getHeader().getFlag(Flags.QR)) {
      return null;
    }
    String name = question.getName().toString();
    List<String> ips = names.lookup(name);
    if (ips.isEmpty() && !names.inOwnDomain(name)) {
      return null;
    }
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setFlag(Flags.AA);
    if (q.getHeader().getFlag(Flags.RD)) {
      r.getHeader().setFlag(Flags.RD);
      r.getHeader().setFlag(Flags.RA);
    }
    r.addRecord(question, Section.QUESTION);
    if (ips.isEmpty()) {
      r.getHeader().setRcode(Rcode.NXDOMAIN);
    } else if (question.getType() == Type.A || question.getType() == Type.ANY) {
      Name owner = question.getName();
      for (String ip : ips) {
        try {
          r.addRecord(
              new ARecord(owner, DClass.IN, TTL_SECONDS, InetAddress.getByName(ip)),
              Section.ANSWER);
        } catch (IOException e) {
          // not an address: left out
        }
      }
    } // another type for a known name: NOERROR with no answer (NODATA), as for AAAA here
    // Over UDP an answer fits the client's buffer (512 bytes, or what its EDNS record offers);
    // dnsjava truncates and sets TC, and the client retries over TCP or makes do.
    OPTRecord opt = q.getOPT();
    int max = opt == null ? 512 : Math.max(512, Math.min(opt.getPayloadSize(), MAX_UDP_PAYLOAD));
    return r.toWire(max);
  }
}
