package dev.berth.agent.images.unpack;

import java.io.IOException;

/**
 * A layer went past one of its {@link UnpackLimits}; thrown from inside the stream stack, so an
 * IOException.
 */
final class LimitExceededException extends IOException {
  LimitExceededException(String message) {
    super(message);
  }
}
