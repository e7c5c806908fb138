package dev.berth.runtime.state;

import dev.berth.model.JsonMapping;
import dev.berth.model.runtime.Linux;
import dev.berth.model.runtime.Seccomp;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerNotFoundException;
import dev.berth.runtime.init.SeccompCache;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The runtime's state directory (default /run/berth): one directory per container holding
 * state.json, the exec fifo and the exit file. A directory is created atomically, so two creates of
 * one id cannot both win, and every other operation on an id holds a lock (a file lock across
 * processes, a reentrant lock within this one).
 */
public final class StateStore {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,1023}");

  /** 0700 and 0600, as runc keeps its state: only root may read a container's config and env. */
  private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  /** A container's seccomp profile, beside its state.json (see {@link #write}). */
  static final String SECCOMP_FILE = "seccomp.json";

  private final Path root;
  private final ConcurrentHashMap<String, ReentrantLock> localLocks = new ConcurrentHashMap<>();

  public StateStore(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public static void requireValidId(String id) throws ContainerException {
    if (id == null || !ID.matcher(id).matches()) {
      throw new ContainerException(
          "invalid container id \"" + id + "\": use letters, digits, '_', '.', '+' and '-'");
    }
  }

  /** Compiled seccomp filters, by profile (a name no container id can have). */
  public SeccompCache seccompCache() {
    return new SeccompCache(root.resolve(".seccomp"));
  }

  public Path dirOf(String id) {
    return root.resolve(id);
  }

  /** The fifo a created container's init blocks on until start writes to it; gone once started. */
  public Path execFifo(String id) {
    return dirOf(id).resolve("exec.fifo");
  }

  /** Where a container's monitor records its exit status. */
  public Path exitFile(String id) {
    return dirOf(id).resolve("exit");
  }

  /** The socket berth-init connects to while a container is created. */
  public Path initSocket(String id) {
    return dirOf(id).resolve("init.sock");
  }

  /** A fresh socket for one exec's berth-init. */
  public Path execSocket(String id) {
    return dirOf(id).resolve("exec-" + Long.toHexString(System.nanoTime()) + ".sock");
  }

  /** Claims the id: fails if a container with that id exists. */
  public Path claim(String id) throws ContainerException {
    requireValidId(id);
    try {
      if (!Files.isDirectory(root)) {
        Files.createDirectories(root, PRIVATE_DIR);
      }
      return Files.createDirectory(dirOf(id), PRIVATE_DIR);
    } catch (FileAlreadyExistsException e) {
      throw new ContainerException("container with id \"" + id + "\" already exists");
    } catch (IOException e) {
      throw new ContainerException("cannot create state directory " + dirOf(id) + ": " + e);
    }
  }

  /** A held lock on one container id; close to release. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  public Held lock(String id) throws ContainerException {
    requireValidId(id);
    ReentrantLock local = localLocks.computeIfAbsent(id, k -> new ReentrantLock());
    local.lock();
    if (local.getHoldCount() > 1) {
      return local::unlock;
    }
    Path dir = dirOf(id);
    if (!Files.isDirectory(dir)) {
      local.unlock();
      throw new ContainerNotFoundException(id);
    }
    try {
      FileChannel ch =
          FileChannel.open(
              dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = ch.lock();
      return () -> {
        try {
          lock.release();
          ch.close();
        } catch (IOException ignored) {
          // the directory may be gone already (delete)
        } finally {
          local.unlock();
        }
      };
    } catch (NoSuchFileException e) {
      local.unlock();
      throw new ContainerNotFoundException(id);
    } catch (IOException e) {
      local.unlock();
      throw new ContainerException("cannot lock container \"" + id + "\": " + e);
    }
  }

  /**
   * Writes a container's record. A seccomp profile (Docker's is 6 KB, every fleet container has
   * one) is kept apart: the runtime's copy of that profile, written once, is hard-linked into the
   * container's directory as {@value #SECCOMP_FILE}, so state.json stays small for the start, kill,
   * state and delete that read it and never need the filter; {@link #readComplete} puts it back.
   */
  public void write(ContainerRecord record) throws ContainerException {
    Path dir = dirOf(record.id());
    Path tmp = dir.resolve("state.json.tmp");
    try {
      ContainerRecord written = withSeccompApart(dir, record);
      // 0600 as runc: the record holds the container's whole config, its env (secrets) included.
      Files.deleteIfExists(tmp);
      Files.write(
          Files.createFile(tmp, PRIVATE_FILE), JsonMapping.mapper().writeValueAsBytes(written));
      Files.move(
          tmp,
          dir.resolve("state.json"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ContainerException(
          "cannot write state of \"" + record.id() + "\" in " + dir + ": " + e);
    }
  }

  /** The record to write: without its seccomp profile where that is linked in beside it. */
  private ContainerRecord withSeccompApart(Path dir, ContainerRecord record) throws IOException {
    Linux linux = record.config() == null ? null : record.config().linux();
    if (linux == null || linux.seccomp() == null) {
      return record;
    }
    Path shared = seccompCache().profileFile(linux.seccomp());
    if (shared == null) {
      return record; // no cache to share from: the profile stays in state.json
    }
    Path link = dir.resolve(SECCOMP_FILE);
    Files.deleteIfExists(link);
    try {
      Files.createLink(link, shared);
    } catch (NoSuchFileException e) {
      // pruned between the two calls: kept whole in the record instead
      return record;
    }
    return record.withConfig(record.config().withLinux(linux.withSeccomp(null)));
  }

  /** A container's record; its config lacks the seccomp profile where that is kept apart. */
  public ContainerRecord read(String id) throws ContainerException {
    return readWith(
        id, file -> JsonMapping.mapper().readValue(file.toFile(), ContainerRecord.class));
  }

  /**
   * A container's record for start, state, kill and delete: of its config only the version and
   * annotations, unless it has hooks (then all but the seccomp profile, as {@link #read}). Cheaper
   * to parse than the whole config by far, which one-shot commands feel.
   */
  public ContainerRecord readForLifecycle(String id) throws ContainerException {
    return readWith(
        id,
        file -> {
          ContainerRecord lean = LifecycleRecordReader.read(file);
          return lean != null
              ? lean
              : JsonMapping.mapper().readValue(file.toFile(), ContainerRecord.class);
        });
  }

  private interface RecordReader {
    ContainerRecord read(Path stateJson) throws IOException;
  }

  /** {@code id}'s state.json through {@code reader}; gone or unreadable, said so by name. */
  private ContainerRecord readWith(String id, RecordReader reader) throws ContainerException {
    requireValidId(id);
    Path file = dirOf(id).resolve("state.json");
    try {
      return reader.read(file);
    } catch (NoSuchFileException | FileNotFoundException e) {
      throw new ContainerNotFoundException(id);
    } catch (IOException e) {
      if (!Files.exists(file)) {
        throw new ContainerNotFoundException(id);
      }
      throw new ContainerException(
          "cannot read state of \"" + id + "\" from " + file + ": " + e.getMessage());
    }
  }

  /** A container's whole record: its config with the seccomp profile, for an exec into it. */
  public ContainerRecord readComplete(String id) throws ContainerException {
    ContainerRecord r = read(id);
    Linux linux = r.config() == null ? null : r.config().linux();
    if (linux == null || linux.seccomp() != null) {
      return r;
    }
    Path file = dirOf(id).resolve(SECCOMP_FILE);
    try {
      Seccomp seccomp = JsonMapping.mapper().readValue(file.toFile(), Seccomp.class);
      return r.withConfig(r.config().withLinux(linux.withSeccomp(seccomp)));
    } catch (NoSuchFileException | FileNotFoundException e) {
      return r; // the container has no filter
    } catch (IOException e) {
      throw new ContainerException(
          "cannot read the seccomp profile of \"" + id + "\" from " + file + ": " + e.getMessage());
    }
  }

  /** Every id with a complete state record, sorted. */
  public List<String> ids() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.filter(d -> Files.exists(d.resolve("state.json")))
          .forEach(d -> out.add(d.getFileName().toString()));
    } catch (IOException e) {
      return List.of();
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /** Removes a container's state directory and everything in it. */
  public void remove(String id) throws ContainerException {
    Path dir = dirOf(id);
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      throw new ContainerException("cannot remove state directory " + dir + ": " + e);
    }
    localLocks.remove(id);
  }
}
