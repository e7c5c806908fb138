package dev.berth.controlplane.gitops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * `git http-backend` (git's own smart HTTP server, as a CGI program) behind a loopback HTTP server
 * that asks for a user name and password (Basic), as a forge's https endpoint does.
 */
final class GitHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final Path base;
  private final String user;
  private final String password;

  private GitHttpServer(HttpServer server, Path base, String user, String password) {
    this.server = server;
    this.base = base;
    this.user = user;
    this.password = password;
  }

  static GitHttpServer start(Path base, String user, String password) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    GitHttpServer g = new GitHttpServer(server, base, user, password);
    server.createContext("/git/", g::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    return g;
  }

  String url(String repository) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/git/" + repository + ".git";
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String expected =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
        ex.sendResponseHeaders(401, -1);
        return;
      }
      ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
      Map<String, String> env = pb.environment();
      env.put("GIT_PROJECT_ROOT", base.toString());
      env.put("GIT_HTTP_EXPORT_ALL", "1");
      env.put("REQUEST_METHOD", ex.getRequestMethod());
      env.put("PATH_INFO", ex.getRequestURI().getPath().substring("/git".length()));
      env.put(
          "QUERY_STRING",
          ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery());
      env.put("REMOTE_USER", user);
      env.put("REMOTE_ADDR", "127.0.0.1");
      putHeader(ex, env, "Content-Type", "CONTENT_TYPE");
      putHeader(ex, env, "Content-Encoding", "HTTP_CONTENT_ENCODING");
      putHeader(ex, env, "Git-Protocol", "GIT_PROTOCOL");
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream();
          InputStream body = ex.getRequestBody()) {
        body.transferTo(in);
      }
      byte[] out = p.getInputStream().readAllBytes();
      int[] split = split(out);
      String head = new String(out, 0, split[0], StandardCharsets.ISO_8859_1);
      int status = 200;
      for (String line : head.split("\r?\n")) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Status")) {
          status = Integer.parseInt(value.split(" ")[0]);
        } else {
          ex.getResponseHeaders().add(name, value);
        }
      }
      int bodyStart = split[1];
      int length = Math.max(0, out.length - bodyStart);
      ex.sendResponseHeaders(status, length == 0 ? -1 : length);
      if (length > 0) {
        ex.getResponseBody().write(out, bodyStart, length);
      }
    }
  }

  private static void putHeader(
      HttpExchange ex, Map<String, String> env, String header, String var) {
    String v = ex.getRequestHeaders().getFirst(header);
    if (v != null) {
      env.put(var, v);
    }
  }

  /** Where the CGI headers end and where the body starts (after the blank line). */
  private static int[] split(byte[] out) {
    for (int i = 0; i + 1 < out.length; i++) {
      if (out[i] == '\n' && out[i + 1] == '\n') {
        return new int[] {i, i + 2};
      }
      if (i + 3 < out.length
          && out[i] == '\r'
          && out[i + 1] == '\n'
          && out[i + 2] == '\r'
          && out[i + 3] == '\n') {
        return new int[] {i, i + 4};
      }
    }
    return new int[] {out.length, out.length};
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
