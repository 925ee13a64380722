package dev.imagine;

import dev.imagine.internal.http.ClientConfig;
import dev.imagine.internal.http.ImageDestination;
import dev.imagine.internal.http.ImagesTransport;
import dev.imagine.internal.providers.Provider;
import dev.imagine.internal.providers.Providers;
import dev.imagine.internal.models.Costs;
import dev.imagine.internal.models.ModelCatalog;
import dev.imagine.internal.models.ServerModels;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A connection to one Images API server: thread-safe, reusable, and closed when done.
 *
 * <pre>{@code
 * try (ImagesClient client = ImagesClient.builder()
 *     .baseUrl("https://api.chatanywhere.tech/v1")
 *     .apiKey(System.getenv("OPENAI_API_KEY"))
 *     .build()) {
 *   ImageResult r = client.images().prompt("a red fox in snow").generate();
 *   r.image().save(Path.of("fox.png"));
 * }
 * }</pre>
 *
 * <p>Settings come from the builder, then the system properties {@code openai.apiKey} and
 * {@code openai.baseUrl}, then the environment variables {@code OPENAI_API_KEY} and
 * {@code OPENAI_BASE_URL}; the default base URL is {@value #DEFAULT_BASE_URL}.
 *
 * <p>Azure OpenAI is used when the builder names an endpoint with {@link Builder#azure(String)}, or
 * when {@code AZURE_OPENAI_ENDPOINT} is set and neither {@code OPENAI_API_KEY} nor a base URL is;
 * the key then comes from {@code AZURE_OPENAI_API_KEY} and the api-version from
 * {@code OPENAI_API_VERSION}. The request's model names the deployment:
 *
 * <pre>{@code
 * ImagesClient azure = ImagesClient.builder()
 *     .azure("https://my-resource.openai.azure.com")
 *     .apiKey(System.getenv("AZURE_OPENAI_API_KEY"))
 *     .build();
 * azure.images().model("my-gpt-image-deployment").prompt("a red fox").generate();
 * }</pre>
 *
 * <p>Failed requests are retried (twice by default) when that is safe: on 408, 409, 429 and 5xx
 * answers and when the connection failed before the request was sent, with jittered exponential
 * backoff that honours {@code retry-after}. A request that may already be running on the server (a
 * timeout, a connection lost after sending) is not sent again, since that would make and bill the
 * image twice, unless {@link Builder#retryUnsafe(boolean)} allows it. The exception is a pooled
 * keep-alive connection the server had closed while it sat idle: found closed before writing, or
 * closed before any answer within 30 ms of the request going out, the request is sent once more on
 * a new connection (not counted as a retry; listeners hear
 * {@link GenerationListener#resendingOnNewConnection}). Idle connections are kept 4 s, less than
 * common server idle timeouts; {@code Connection: close} and {@code Keep-Alive: timeout=N} are obeyed.
 */
public final class ImagesClient implements AutoCloseable {
  /** ChatAnywhere's mainland relay, the server of our users' API description. */
  public static final String DEFAULT_BASE_URL = ClientConfig.DEFAULT_BASE_URL;

  /** The hint for an OpenAI key sent to the default server is given once per process, not per client. */
  private static final AtomicBoolean OPENAI_KEY_HINT_GIVEN = new AtomicBoolean();

  private final ClientConfig config;
  private final ImagesTransport transport;
  private final ServerModels serverModels;
  private final Consumer<String> warnings;
  private final Set<String> warnedModels = ConcurrentHashMap.newKeySet();

  private ImagesClient(ClientConfig config, List<GenerationListener> listeners, Consumer<String> warnings) {
    this.config = config;
    this.transport = new ImagesTransport(config, listeners);
    this.warnings = warnings;
    Provider provider = config.provider();
    this.serverModels = new ServerModels(transport.vertx(), transport::web, provider.url("models", null), get -> config.addApiHeaders(get::putHeader), provider.hasKey() || !provider.needsKey());
  }

  /** Lets a test see the once-per-process hint again. */
  static void forgetHintsGiven() {
    OPENAI_KEY_HINT_GIVEN.set(false);
  }

  /** A client configured from system properties and the environment alone. */
  public static ImagesClient create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts a fluent request on this client: {@code client.images().prompt("...").generate()}. */
  public ImageGeneration images() {
    return new ImageGeneration(this, ImageRequest.builder().build());
  }

  /**
   * Sends the request without blocking. The request is checked first: a broken one fails the
   * future with {@link InvalidRequestException} and nothing is sent. A request without a model
   * goes to {@link #defaultModel()}.
   */
  public Future<ImageResult> generate(ImageRequest request) {
    return generate(request, null);
  }

  /** As {@link #generate(ImageRequest)}, reporting streamed partial previews to {@code onPartial}. */
  Future<ImageResult> generate(ImageRequest request, Consumer<GeneratedImage> onPartial) {
    return generate(request, onPartial, null, null);
  }

  /** As the other, with {@code callListener} (or null) hearing this call's events too, and its images going to {@code destination}. */
  private Future<ImageResult> generate(ImageRequest request, Consumer<GeneratedImage> onPartial, GenerationListener callListener,
      ImageDestination destination) {
    Objects.requireNonNull(request, "request");
    if (request.model() != null) {
      warnIfShutDown(request.model());
      return ImagesTransport.forCaller(transport.send(request, onPartial, callListener, destination).future());
    }
    try {
      request.validate(); // a broken request fails before the model list is asked for
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return ImagesTransport.forCaller(serverModels.defaultModel()
        .compose(model -> transport.send(request.toBuilder().model(model).build(), onPartial, callListener, destination).future()));
  }

  /** Sends and waits; an interrupt cancels the request (also while the model list is being asked for). */
  ImageResult generateAndWait(ImageRequest request, Consumer<GeneratedImage> onPartial) {
    if (request.model() != null) {
      warnIfShutDown(request.model());
      return transport.sendAndWait(request, onPartial);
    }
    request.validate();
    return transport.sendAndWait(request.toBuilder().model(await(serverModels.defaultModel())).build(), onPartial);
  }

  /**
   * The model requests without one go to: the best live image model this server's
   * {@code GET /models} lists (gpt-image-2 first), or gpt-image-2 when it lists none or has no
   * list. Asked once, with a short timeout, the first time it is needed; blocks until then.
   */
  public String defaultModel() {
    return serverModels.known().orElseGet(() -> await(serverModels.defaultModel()));
  }

  private static String await(Future<String> model) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("this call blocks and must not run on a Vert.x event loop; use generateAsync()");
    }
    try {
      return model.toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("generation cancelled while asking the server for its models; nothing was sent");
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot choose the default model", e.getCause()); // ServerModels never fails
    }
  }

  /** One line, once per model, when a request names a model OpenAI shut down: a reseller may still serve it. */
  private void warnIfShutDown(String model) {
    if (warnedModels.size() < 100 && warnedModels.add(model)) {
      ModelCatalog.shutDownNotice(model, ModelCatalog.today()).ifPresent(notice ->
          warnings.accept("imagine: " + notice + " (sending it anyway: some resellers still serve it)"));
    }
  }

  static {
    dev.imagine.internal.http.ClientAccess.register(client -> client.transport,
        (client, request, callListener, destination) -> client.generate(request, null, callListener, destination));
  }

  /**
   * What the request would cost, estimated before sending from the client's {@link PriceTable}
   * (model × quality × size × n, plus the prompt's tokens); empty when the table has no price for
   * the model or quality. {@code auto} and unset qualities are estimated as {@code high}.
   *
   * <pre>{@code
   * client.estimate(ImageRequest.builder().prompt("a fox").model(Model.GPT_IMAGE_2).quality(Quality.LOW).build())
   *     .ifPresent(usd -> System.out.println("about $" + usd));   // about $0.00817
   * }</pre>
   */
  public Optional<BigDecimal> estimate(ImageRequest request) {
    return Costs.estimate(config.prices(), request, modelFor(request));
  }

  /** As {@link #estimate(ImageRequest)} at Batch API prices (half of the client's table). */
  public Optional<BigDecimal> estimateBatch(ImageRequest request) {
    return Costs.estimate(config.prices().batch(), request, modelFor(request));
  }

  /** The prices {@link ImageResult#cost()} and the estimates use; {@link PriceTable#standard()} unless set. */
  public PriceTable prices() {
    return config.prices();
  }

  private String modelFor(ImageRequest request) {
    return request.model() != null ? request.model() : serverModels.known().orElse(ModelCatalog.FALLBACK_MODEL);
  }

  /** The base URL requests go to, e.g. {@code https://api.chatanywhere.tech/v1}. */
  public String baseUrl() {
    return config.baseUrl();
  }

  /** Whether an API key is configured (the key itself is never shown). */
  public boolean hasApiKey() {
    return config.provider().hasKey();
  }

  /** The Vert.x instance the client runs on. */
  public Vertx vertx() {
    return transport.vertx();
  }

  /** Closes the HTTP client, and the Vert.x instance if the client created it. Idempotent. */
  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "ImagesClient[" + config + "]";
  }

  /** Configures an {@link ImagesClient}; unset values come from system properties, then the environment. */
  public static final class Builder {
    private String apiKey;
    private String baseUrl;
    private String azureEndpoint;
    private String azureApiVersion;
    private Vertx vertx;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofMinutes(10);
    private int maxRetries = 2;
    private boolean retryUnsafe;
    private boolean downloadUrls = true;
    private String userAgent;
    private String proxy;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final List<GenerationListener> listeners = new ArrayList<>();
    private Map<String, String> environment = System.getenv();
    private PriceTable prices = PriceTable.standard();
    private Consumer<String> warnings = message -> System.err.println(message); // System.err at the time: the REPL redirects it

    private Builder() {}

    /** The API key, sent as {@code Authorization: Bearer <key>} (Azure: as {@code api-key}). */
    public Builder apiKey(String apiKey) {
      if (apiKey != null && dev.imagine.internal.http.Headers.hasControlChar(apiKey)) {
        throw new IllegalArgumentException("the API key contains a line break or control character; copy it again without them");
      }
      this.apiKey = apiKey;
      return this;
    }

    /** The server's base URL, paths are appended to it, e.g. {@code https://api.openai.com/v1}. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = ClientConfig.checkBaseUrl(baseUrl);
      return this;
    }

    /**
     * Sends requests to Azure OpenAI at this endpoint, e.g. {@code https://my-resource.openai.azure.com}:
     * to {@code {endpoint}/openai/deployments/{model}/images/generations?api-version=...} with the key
     * in an {@code api-key} header. See the class comment.
     */
    public Builder azure(String endpoint) {
      this.azureEndpoint = ClientConfig.checkBaseUrl(Objects.requireNonNull(endpoint, "endpoint"));
      return this;
    }

    /** The Azure api-version; default {@code OPENAI_API_VERSION}, else {@code 2025-04-01-preview}. */
    public Builder azureApiVersion(String apiVersion) {
      this.azureApiVersion = apiVersion;
      return this;
    }

    /** Runs on this Vert.x instance, which the caller keeps and closes; by default the client makes its own. */
    public Builder vertx(Vertx vertx) {
      this.vertx = vertx;
      return this;
    }

    /** Time allowed to open a connection; default 10 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** Time allowed for a whole answer; default 10 minutes, since GPT image generations can take over 3. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /** How many times a failed request may be retried when that is safe; default 2, 0 turns retries off. */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must be 0 or more, was " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * Also retries requests that may already be running on the server (timeouts, connections lost
     * after sending). Off by default: such a retry can make and bill the same image twice.
     */
    public Builder retryUnsafe(boolean retryUnsafe) {
      this.retryUnsafe = retryUnsafe;
      return this;
    }

    /** Whether {@code url} results are downloaded as soon as they arrive (they expire); default true. */
    public Builder downloadUrls(boolean downloadUrls) {
      this.downloadUrls = downloadUrls;
      return this;
    }

    /** The {@code User-Agent} header; default {@code imagine/<version>}. */
    public Builder userAgent(String userAgent) {
      dev.imagine.internal.http.Headers.check("User-Agent", userAgent);
      this.userAgent = userAgent;
      return this;
    }

    /**
     * Sends requests through this HTTP proxy, e.g. {@code http://user:pass@proxy.example:3128}. By
     * default {@code HTTPS_PROXY} / {@code HTTP_PROXY} are honoured (with {@code NO_PROXY}).
     */
    public Builder proxy(String proxyUrl) {
      this.proxy = proxyUrl;
      return this;
    }

    /** A header sent with every request (e.g. an organization or a reseller's option). */
    public Builder header(String name, String value) {
      dev.imagine.internal.http.Headers.check(name, value);
      headers.put(name, Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * The prices of {@link ImageResult#cost()} and {@link ImagesClient#estimate(ImageRequest)};
     * default {@link PriceTable#standard()}, OpenAI's list prices in US dollars. Resellers bill
     * differently: give their prices here.
     */
    public Builder prices(PriceTable prices) {
      this.prices = Objects.requireNonNull(prices, "prices");
      return this;
    }

    /**
     * Adds a listener that hears about every request this client sends (started, partial images,
     * retries, completed, failed); any number, called in the order added. See {@link GenerationListener}.
     */
    public Builder listener(GenerationListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Where one-line warnings go: a model OpenAI shut down, a key that looks like OpenAI's sent to
     * the default server. Default {@code System.err}; each is given once.
     */
    public Builder warnings(Consumer<String> warnings) {
      this.warnings = Objects.requireNonNull(warnings, "warnings");
      return this;
    }

    /** The environment to read {@code OPENAI_*} and {@code AZURE_OPENAI_*} variables from; for tests. */
    Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    public ImagesClient build() {
      Providers.Settings where = new Providers.Settings(apiKey, baseUrl, azureEndpoint, azureApiVersion);
      ClientConfig config = ClientConfig.resolve(where, vertx, connectTimeout, requestTimeout,
          maxRetries, retryUnsafe, downloadUrls, userAgent, headers, proxy, prices, System.getProperties(), environment);
      if (Providers.sendsOpenAiProjectKeyToTheDefault(where, System.getProperties(), environment)
          && OPENAI_KEY_HINT_GIVEN.compareAndSet(false, true)) {
        warnings.accept("imagine: your key looks like an OpenAI project key (sk-proj-...) but no base URL is set, so "
            + "requests go to ChatAnywhere (" + DEFAULT_BASE_URL + "), where OpenAI keys do not work. For OpenAI set "
            + "OPENAI_BASE_URL=https://api.openai.com/v1 (or ImagesClient.builder().baseUrl(...)); see docs/providers.md");
      }
      return new ImagesClient(config, listeners, warnings);
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
