package dev.berth.cli.bench.browser;

import com.fasterxml.jackson.databind.JsonNode;

/** One tab of a {@link HeadlessChromium}: navigate, run a script before the page's, evaluate. */
public final class BrowserPage implements AutoCloseable {
  private final DevTools devTools;
  private final String sessionId;
  private final String targetId;
  private final String contextId;

  BrowserPage(DevTools devTools, String sessionId, String targetId, String contextId) {
    this.devTools = devTools;
    this.sessionId = sessionId;
    this.targetId = targetId;
    this.contextId = contextId;
  }

  /** Closes the tab and throws its context (cache, storage, connections) away. */
  @Override
  public void close() throws Exception {
    devTools.call(null, "Target.closeTarget", DevTools.params().put("targetId", targetId), 30_000);
    devTools.call(
        null,
        "Target.disposeBrowserContext",
        DevTools.params().put("browserContextId", contextId),
        30_000);
  }

  /** Runs {@code source} in every document this tab loads from now on, before its own scripts. */
  public void beforeEachLoad(String source) throws Exception {
    devTools.call(
        sessionId,
        "Page.addScriptToEvaluateOnNewDocument",
        DevTools.params().put("source", source),
        10_000);
  }

  /** Starts loading {@code url}, failing when the browser cannot (errorText). */
  public void navigate(String url) throws Exception {
    JsonNode r =
        devTools.call(sessionId, "Page.navigate", DevTools.params().put("url", url), 30_000);
    if (r.hasNonNull("errorText")) {
      throw new IllegalStateException("loading " + url + " failed: " + r.get("errorText").asText());
    }
  }

  /** Any other DevTools command to this tab, without parameters. */
  public JsonNode call(String method) throws Exception {
    return devTools.call(sessionId, method, DevTools.params(), 60_000);
  }

  /** The value of a JavaScript expression (a promise is awaited), as JSON. */
  public JsonNode evaluate(String expression) throws Exception {
    JsonNode r =
        devTools.call(
            sessionId,
            "Runtime.evaluate",
            DevTools.params()
                .put("expression", expression)
                .put("awaitPromise", true)
                .put("returnByValue", true),
            60_000);
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException(
          "script failed: "
              + r.path("exceptionDetails")
                  .path("exception")
                  .path("description")
                  .asText(r.path("exceptionDetails").toString()));
    }
    return r.path("result").path("value");
  }
}
