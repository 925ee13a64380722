package dev.imagine.repl;

import dev.imagine.GenerationListener;
import dev.imagine.Images;
import dev.imagine.ImagesClient;
import dev.imagine.internal.providers.Providers;
import dev.imagine.server.LocalBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Which server the default client talks to: a remote one when a key is set (OpenAI's shape, or
 * Azure OpenAI configured by its environment variables), else the embedded
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
    String key = Providers.firstNonBlank(System.getProperty("openai.apiKey"), env.get("OPENAI_API_KEY"));
    return key == null ? null : key.strip();
  }

  /**
   * The Azure OpenAI endpoint, when the environment configures Azure ({@code AZURE_OPENAI_ENDPOINT}
   * and {@code AZURE_OPENAI_API_KEY}) and no OpenAI key or base URL is set; else {@code null}.
   */
  String azureEndpoint() {
    boolean openAi = apiKey() != null
        || Providers.firstNonBlank(System.getProperty("openai.baseUrl"), env.get("OPENAI_BASE_URL")) != null;
    String endpoint = Providers.firstNonBlank(env.get("AZURE_OPENAI_ENDPOINT"));
    return openAi || endpoint == null || Providers.firstNonBlank(env.get("AZURE_OPENAI_API_KEY")) == null
        ? null : endpoint.strip();
  }

  /** The keys this REPL may hold, for the exports and logs that must never show them. */
  List<String> secrets() {
    List<String> keys = new ArrayList<>();
    for (String k : new String[] {apiKey(), env.get("OPENAI_API_KEY"), env.get("AZURE_OPENAI_API_KEY")}) {
      if (k != null && !k.isBlank()) {
        keys.add(k.strip());
      }
    }
    return keys;
  }

  /** Which variable holds the key the remote server gets, or null when none is set. */
  String keySource() {
    return apiKey() != null ? "OPENAI_API_KEY" : azureEndpoint() != null ? "AZURE_OPENAI_API_KEY" : null;
  }

  String configuredBaseUrl() {
    String azure = azureEndpoint();
    String url = Providers.firstNonBlank(System.getProperty("openai.baseUrl"), env.get("OPENAI_BASE_URL"));
    return azure != null ? azure : url == null ? ImagesClient.DEFAULT_BASE_URL : url.strip();
  }

  /** Whether the REPL starts on the local backend (no key set, for OpenAI or for Azure). */
  boolean startsLocal() {
    return keySource() == null;
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
    boolean explicit = url != null && !url.isBlank();
    String azureEndpoint = azureEndpoint();
    if (!explicit && key == null && azureEndpoint != null) {
      ImagesClient.Builder azure = builder().azure(azureEndpoint).apiKey(env.get("AZURE_OPENAI_API_KEY").strip());
      String version = Providers.firstNonBlank(env.get("OPENAI_API_VERSION"));
      install((version == null ? azure : azure.azureApiVersion(version.strip())).build(), true);
      return "Using Azure OpenAI at " + azureEndpoint + " (AZURE_OPENAI_API_KEY set).";
    }
    if (key == null) {
      throw new IllegalStateException("No OPENAI_API_KEY set: a remote server needs a key. "
          + "Set OPENAI_API_KEY (or -Dopenai.apiKey) and start imagine again.");
    }
    String base = explicit ? url.strip() : configuredBaseUrl();
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
