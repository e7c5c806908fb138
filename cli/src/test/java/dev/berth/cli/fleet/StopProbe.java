package dev.berth.cli.fleet;

/** A long-running command for UntilStoppedTest: waits as `berth up` does, says when it closes. */
public final class StopProbe {
  private StopProbe() {}

  public static void main(String[] args) throws Exception {
    boolean ignored =
        java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("SigIgn:"))
            .anyMatch(l -> new java.math.BigInteger(l.substring(7).strip(), 16).testBit(1));
    var stopped = UntilStopped.arm(() -> System.out.println("closed"), "stopping");
    System.out.println("ready, SIGINT ignored: " + ignored);
    System.out.flush();
    stopped.await();
  }
}
