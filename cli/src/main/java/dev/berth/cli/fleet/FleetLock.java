package dev.berth.cli.fleet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock a running `berth up` holds on its state directory (an fcntl lock on {@code berth.lock},
 * which the kernel drops when the process dies): a second `berth up`, or a `berth down` that would
 * delete the running broker's log under it, is refused while it is held.
 */
final class FleetLock implements AutoCloseable {
  static final String FILE = "berth.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private FleetLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock on {@code stateDir}; fails naming the holder when another process has it. */
  static FleetLock acquire(Path stateDir) throws IOException {
    Files.createDirectories(stateDir);
    Path file = stateDir.resolve(FILE);
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException sameProcess) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException(
          "berth up is running on " + stateDir + " (" + holder(file) + "): stop it first");
    }
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap(
            ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
    return new FleetLock(channel, lock);
  }

  private static String holder(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      return "another process";
    }
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
