package dev.berth.chaos.load;

/**
 * One API call of the load: which workload, what it asked for (replicas and revision of an apply,
 * or a delete), when it was sent and answered, and the answer's status (-1: no answer, a timeout or
 * a refused connection, so it may or may not have been applied).
 */
public record LoadOp(
    long seq,
    String workload,
    boolean delete,
    int replicas,
    int revision,
    long sentAtMillis,
    long answeredAtMillis,
    int status) {
  /** Acknowledged: the API said it was done (a delete of what was not there is done too). */
  public boolean acknowledged() {
    return (status >= 200 && status < 300) || (delete && status == 404);
  }

  /** Unknown outcome: no answer, or the server failed (it may have written before failing). */
  public boolean ambiguous() {
    return status < 0 || status >= 500;
  }

  /** The spec an apply sends. */
  public String spec(String image) {
    return "{\"name\":\""
        + workload
        + "\",\"image\":\""
        + image
        + "\",\"command\":[\"sleep\",\"1000000\"],\"replicas\":"
        + replicas
        + ",\"env\":{\"REV\":\""
        + revision
        + "\"},\"network\":\"none\"}";
  }
}
