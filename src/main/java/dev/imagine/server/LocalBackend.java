package dev.imagine.server;

import dev.imagine.internal.rules.ImageParams;
import dev.imagine.internal.server.BackendServer;
import dev.imagine.internal.server.BackendSettings;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * An OpenAI-compatible Images server inside the jar, for work without a key or network and for
 * tests: {@code POST /v1/images/generations}, {@code /edits} and {@code /variations} with the real
 * API's request and answer shapes, streaming, expiring {@code url} results, {@code GET /v1/models},
 * the real server's validation, and latency and faults on demand. Its images are real PNG or JPEG
 * files, drawn quickly and deterministically from the prompt (the same request gives the same bytes).
 *
 * <pre>{@code
 * try (LocalBackend backend = LocalBackend.start();
 *      ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
 *   client.images().prompt("a red fox").generate();
 *   assert backend.generationCount() == 1;
 * }
 * }</pre>
 *
 * <p>Failures for a test, for the whole server or per request:
 * <pre>{@code
 * LocalBackend flaky = LocalBackend.builder().faultFirst(1, Fault.SERVICE_UNAVAILABLE).start();
 * // or send the header  x-imagine-fault: 503;times=1  (with x-imagine-fault-key: <test name>)
 * }</pre>
 * See docs/local-backend.md for every endpoint, header and fault.
 */
public final class LocalBackend implements AutoCloseable {
  private final BackendServer server;

  private LocalBackend(BackendServer server) {
    this.server = server;
  }

  /** Starts on 127.0.0.1 on a free port, with no key required and no latency. */
  public static LocalBackend start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The base URL to give a client, e.g. {@code http://127.0.0.1:41234/v1}. */
  public String baseUrl() {
    return server.baseUrl();
  }

  /** The port listened on. */
  public int port() {
    return server.port();
  }

  /**
   * How many images generation/edit/variation requests it has performed (each request counts
   * once, whatever its {@code n}). A request counts when the server starts work on it, before any
   * latency, so a client that gives up and re-sends shows as two. Requests refused as invalid or
   * by a refusing {@link Fault} do not count; those cut off by a connection fault do.
   */
  public long generationCount() {
    return server.generationCount();
  }

  /**
   * Like {@link #generationCount()} for one endpoint.
   *
   * @param endpoint {@code "generations"}, {@code "edits"} or {@code "variations"}
   */
  public long generationCount(String endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    for (ImageParams.Endpoint e : ImageParams.Endpoint.values()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(endpoint) || e.path().equals(endpoint)) {
        return server.generationCount(e);
      }
    }
    throw new IllegalArgumentException("endpoint must be generations, edits or variations, not '" + endpoint + "'");
  }

  /**
   * How many times it made images for this prompt (generations and edits, counted as in
   * {@link #generationCount()}): more than 1 for one request of yours means the client sent it
   * again and a real server would have billed it twice. Remembered for the last 65,536 distinct
   * prompts; 0 for a prompt it never saw.
   *
   * <pre>{@code
   * String prompt = "a red fox, request " + UUID.randomUUID();   // one prompt per logical request
   * client.images().prompt(prompt).generate();
   * assert backend.timesGenerated(prompt) == 1 && backend.timesDelivered(prompt) == 1;
   * }</pre>
   */
  public long timesGenerated(String prompt) {
    return server.timesGenerated(Objects.requireNonNull(prompt, "prompt"));
  }

  /**
   * How many successful answers with images for this prompt it wrote to the connection to the last
   * byte: an image answer a client then fails to return was lost by the client. Answers cut by a
   * connection fault, or abandoned by the client while they were sent, do not count.
   * See {@link #timesGenerated(String)}.
   */
  public long timesDelivered(String prompt) {
    return server.timesDelivered(Objects.requireNonNull(prompt, "prompt"));
  }

  /**
   * The images requests it accepted (that passed validation), oldest first, the last 256: what
   * each asked for, as sent. Never a key or an image's bytes (a digest of each instead).
   */
  public List<ReceivedRequest> received() {
    return server.received();
  }

  /** Every HTTP request received, whatever became of it. */
  public long requestCount() {
    return server.requestCount();
  }

  /** Stops the server, and its Vert.x unless one was given to {@link Builder#vertx(Vertx)}. Blocks. */
  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "LocalBackend[" + baseUrl() + "]";
  }

  /** Configures a {@link LocalBackend}. A builder may start several servers. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private String apiKey;
    private Duration latencyMin = Duration.ZERO;
    private Duration latencyMax = Duration.ZERO;
    private Fault fault;
    private int faultTimes = -1;
    private Duration urlExpiry = BackendSettings.DEFAULT_URL_EXPIRY;
    private long maxBodyBytes = BackendSettings.DEFAULT_MAX_BODY_BYTES;
    private Vertx vertx;

    private Builder() {}

    /**
     * The address to bind; default {@code 127.0.0.1}. {@code 0.0.0.0} serves other machines: give it
     * an {@link #apiKey(String)} then ({@code imagine serve} makes one itself).
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port; default 0, a free port chosen at start ({@link LocalBackend#port()}). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, not " + port);
      }
      this.port = port;
      return this;
    }

    /** Requires this key as {@code Authorization: Bearer <key>} (401 {@code invalid_api_key} otherwise); default none. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** Answers every images request after this delay (streams spread it over their events). */
    public Builder latency(Duration latency) {
      return latency(latency, latency);
    }

    /** Answers every images request after a delay drawn uniformly between min and max. */
    public Builder latency(Duration min, Duration max) {
      Objects.requireNonNull(min, "min");
      Objects.requireNonNull(max, "max");
      if (min.isNegative() || max.compareTo(min) < 0) {
        throw new IllegalArgumentException("latency needs 0 <= min <= max, not " + min + ".." + max);
      }
      this.latencyMin = min;
      this.latencyMax = max;
      return this;
    }

    /** Plays this fault on every images request (null for none). */
    public Builder fault(Fault fault) {
      this.fault = fault;
      this.faultTimes = -1;
      return this;
    }

    /** Plays this fault on the first {@code times} valid images requests, then answers normally. */
    public Builder faultFirst(int times, Fault fault) {
      if (times < 0) {
        throw new IllegalArgumentException("times must be 0 or more, not " + times);
      }
      this.fault = Objects.requireNonNull(fault, "fault");
      this.faultTimes = times;
      return this;
    }

    /** How long {@code url} results can be downloaded; default 60 minutes, like the real API. */
    public Builder urlExpiry(Duration expiry) {
      Objects.requireNonNull(expiry, "expiry");
      if (expiry.isNegative() || expiry.isZero()) {
        throw new IllegalArgumentException("urlExpiry must be positive, not " + expiry);
      }
      this.urlExpiry = expiry;
      return this;
    }

    /** The largest request body accepted; bigger ones get 413. Default 64 MiB. */
    public Builder maxBodySize(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxBodySize must be positive, not " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /** Runs on this Vert.x, which {@link LocalBackend#close()} leaves running; default a Vert.x of its own. */
    public Builder vertx(Vertx vertx) {
      this.vertx = vertx;
      return this;
    }

    /** Starts the server and waits until it listens. Not on a Vert.x event loop: it blocks. */
    public LocalBackend start() {
      BackendSettings settings = new BackendSettings(host, port, apiKey, latencyMin, latencyMax, fault, faultTimes,
          urlExpiry, maxBodyBytes, vertx);
      try {
        return new LocalBackend(BackendServer.start(settings).toCompletionStage().toCompletableFuture().join());
      } catch (CompletionException e) {
        throw new IllegalStateException("cannot start the local backend on " + host + ":" + port + ": "
            + e.getCause().getMessage(), e.getCause());
      }
    }
  }
}
