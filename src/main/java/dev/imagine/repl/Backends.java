package dev.imagine.repl;

import dev.imagine.GenerationListener;
import dev.imagine.Images;
import dev.imagine.ImagesClient;
import dev.imagine.server.LocalBackend;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Which server the default client talks to: a remote one when a key is set, else the embedded
 * {@link LocalBackend} (offline, test images). Switched by {@code /backend}. Every client it builds
 * carries the REPL's listeners (progress, auto-save), so a switch keeps them.
 */
final class Backends implements AutoCloseable {
  private final Map<String, String> env;
  private final List<GenerationListener> listeners;
  private LocalBackend local;
  private ImagesClient client;
  private boolean remote;

  Backends(Map<String, String> env, List<GenerationListener> listeners) {
    this.env = env;
    this.listeners = List.copyOf(listeners);
  }

  private ImagesClient.Builder builder() {
    ImagesClient.Builder b = ImagesClient.builder();
    listeners.forEach(b::listener);
    return b;
  }

  /** The key from {@code -Dopenai.apiKey} or {@code OPENAI_API_KEY}; {@code null} when none. */
  String apiKey() {
    String key = System.getProperty("openai.apiKey");
    if (key == null || key.isBlank()) {
      key = env.get("OPENAI_API_KEY");
    }
    return key == null || key.isBlank() ? null : key.strip();
  }

  String configuredBaseUrl() {
    String url = System.getProperty("openai.baseUrl");
    if (url == null || url.isBlank()) {
      url = env.get("OPENAI_BASE_URL");
    }
    return url == null || url.isBlank() ? ImagesClient.DEFAULT_BASE_URL : url.strip();
  }

  /** Whether the REPL starts on the local backend (no key set). */
  boolean startsLocal() {
    return apiKey() == null;
  }

  /** Points the default client at the starting server; slow (a server start), so run it in the background. */
  synchronized void startDefault() {
    if (startsLocal()) {
      useLocal();
    } else {
      useRemote(null);
    }
  }

  /** Switches to the embedded backend, starting it if needed; returns a line saying so. */
  synchronized String useLocal() {
    if (local == null) {
      local = LocalBackend.start();
    }
    install(builder().baseUrl(local.baseUrl()).build(), false);
    return "Using the embedded local backend at " + local.baseUrl() + " (offline, test images).";
  }

  /** Switches to a remote server ({@code url} null: the configured one); needs a key. */
  synchronized String useRemote(String url) {
    String key = apiKey();
    if (key == null) {
      throw new IllegalStateException("No OPENAI_API_KEY set: a remote server needs a key. "
          + "Set OPENAI_API_KEY (or -Dopenai.apiKey) and start imagine again.");
    }
    String base = url == null || url.isBlank() ? configuredBaseUrl() : url.strip();
    install(builder().baseUrl(base).apiKey(key).build(), true);
    return "Using " + base + " (key set).";
  }

  private void install(ImagesClient next, boolean isRemote) {
    ImagesClient old = Images.setDefaultClient(next);
    client = next;
    remote = isRemote;
    if (old != null && old != next) {
      old.close();
    }
  }

  /** One line: which server, and whether a key is set (never the key). */
  synchronized String describe() {
    if (client == null) {
      return startsLocal() ? "embedded local backend (starting)" : configuredBaseUrl() + " (starting)";
    }
    return remote
        ? "remote: " + client.baseUrl() + " (key set)"
        : "embedded local backend: " + client.baseUrl() + " (offline, test images; no key needed)";
  }

  /** Whether the default client talks to a remote server (else the embedded local backend). */
  synchronized boolean isRemote() {
    return remote;
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
    if (local != null) {
      LocalBackend backend = local;
      local = null;
      // Closing waits for open connections to drain; nobody needs to wait for that on the way out.
      Thread t = new Thread(backend::close, "imagine-backend-close");
      t.setDaemon(true);
      t.start();
    }
  }

  /** Runs {@link #startDefault()} on a daemon thread. */
  CompletableFuture<Void> startDefaultInBackground() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        startDefault();
        f.complete(null);
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    }, "imagine-backend-start");
    t.setDaemon(true);
    t.start();
    return f;
  }
}
