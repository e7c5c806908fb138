package dev.berth.agent.node;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes immutable records between this node's verticles by reference: the agent's event bus is
 * local, so nothing is ever encoded on the wire (the wire methods refuse).
 */
final class LocalCodec<T> implements MessageCodec<T, T> {
  private final Class<T> type;

  private LocalCodec(Class<T> type) {
    this.type = type;
  }

  /** Makes {@code type} the body type the event bus passes by reference; once per event bus. */
  static <T> void register(EventBus bus, Class<T> type) {
    synchronized (bus) {
      try {
        bus.registerDefaultCodec(type, new LocalCodec<>(type));
      } catch (IllegalStateException alreadyRegistered) {
        // another agent on the same Vert.x registered it first
      }
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T body) {
    throw new UnsupportedOperationException(
        type.getSimpleName() + " stays on this node's event bus");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(
        type.getSimpleName() + " stays on this node's event bus");
  }

  @Override
  public T transform(T body) {
    return body; // immutable records: sharing is safe
  }

  @Override
  public String name() {
    return "berth-local-" + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
