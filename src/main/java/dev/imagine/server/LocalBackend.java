package dev.imagine.server;

import java.time.Duration;

/**
 * An OpenAI-compatible Images server inside the jar, for work without a key or network and for
 * tests. (API outline; the implementation lands with the backend issue.)
 *
 * <pre>{@code
 * try (LocalBackend backend = LocalBackend.start()) {
 *   ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build();
 *   client.images().prompt("a red fox").generate();
 * }
 * }</pre>
 */
public final class LocalBackend implements AutoCloseable {
  private LocalBackend() {}

  /** Starts on 127.0.0.1 on a free port, with no key required and no latency. */
  public static LocalBackend start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The base URL to give a client, e.g. {@code http://127.0.0.1:41234/v1}. */
  public String baseUrl() {
    throw new UnsupportedOperationException("not yet");
  }

  /** The port listened on. */
  public int port() {
    throw new UnsupportedOperationException("not yet");
  }

  /** How many images generation/edit/variation requests it has performed (each request counts once). */
  public long generationCount() {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public void close() {}

  /** Configures a {@link LocalBackend}. */
  public static final class Builder {
    public Builder host(String host) { return this; }
    public Builder port(int port) { return this; }
    /** Requires this key as {@code Authorization: Bearer <key>}; default none. */
    public Builder apiKey(String apiKey) { return this; }
    /** Answers every request after this delay. */
    public Builder latency(Duration latency) { return this; }
    public LocalBackend start() { throw new UnsupportedOperationException("not yet"); }
  }
}
