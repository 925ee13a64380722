package dev.imagine.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.AuthenticationException;
import dev.imagine.ConnectionException;
import dev.imagine.GeneratedImage;
import dev.imagine.GenerationListener;
import dev.imagine.ImageRequest;
import dev.imagine.ImageResult;
import dev.imagine.ImagineException;
import dev.imagine.InvalidRequestException;
import dev.imagine.RateLimitException;
import dev.imagine.RequestTimeoutException;
import dev.imagine.Usage;
import dev.imagine.internal.rules.ImageParams;
import dev.imagine.internal.wire.ImagePayloadExtractor;
import dev.imagine.internal.wire.ImagesResponseBody;
import dev.imagine.internal.wire.Json;
import dev.imagine.internal.wire.StreamEvent;
import dev.imagine.internal.wire.UsageBody;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.WebClientInternal;
import io.vertx.ext.web.codec.BodyCodec;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends images requests over one Vert.x {@link WebClient}: non-blocking end to end, with retries
 * that never make the server generate twice (see {@link dev.imagine.ImagesClient}), streamed
 * decoding of base64 images, prompt download of {@code url} results, and cancellation.
 */
public final class ImagesTransport {
  private static final int DOWNLOAD_ATTEMPTS = 3;

  private final ClientConfig config;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final WebClient web;
  /** Requests being sent, so the interceptor can tell their call when the request goes out. */
  private final Map<HttpRequest<?>, Call> sending = new ConcurrentHashMap<>();
  private final Map<Call, Boolean> inFlight = new ConcurrentHashMap<>();
  private final Listeners listeners;
  private volatile boolean closed;

  public ImagesTransport(ClientConfig config, List<GenerationListener> listeners) {
    this.config = config;
    this.listeners = new Listeners(listeners);
    this.ownsVertx = config.vertx() == null;
    // Daemon threads: a script or main() that made images must be able to exit without close().
    this.vertx = ownsVertx ? Vertx.vertx(new VertxOptions().setUseDaemonThread(true)) : config.vertx();
    WebClientOptions options = new WebClientOptions()
        .setUserAgent(config.userAgent())
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
        .setDecompressionSupported(true)
        .setKeepAlive(true);
    if (config.proxy() != null) {
      options.setProxyOptions(proxyOptions(config.proxy()));
    }
    // Generations wait minutes for the server: allow many at once rather than queueing behind 5.
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(1024).setMaxWaitQueueSize(-1);
    this.web = WebClient.create(vertx, options, pool);
    ((WebClientInternal) web).addInterceptor(ctx -> {
      if (ctx.phase() == ClientPhase.SEND_REQUEST) {
        Call call = sending.get(ctx.request());
        if (call != null) {
          call.requestGoingOut(ctx.clientRequest());
        }
      }
      ctx.next();
    });
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The client's HTTP client, for its other calls (the model list). */
  public WebClient web() {
    return web;
  }

  private static ProxyOptions proxyOptions(URI proxy) {
    ProxyOptions p = new ProxyOptions().setType(ProxyType.HTTP).setHost(proxy.getHost()).setPort(proxy.getPort());
    String userInfo = proxy.getUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      p.setUsername(colon < 0 ? userInfo : userInfo.substring(0, colon));
      if (colon >= 0) {
        p.setPassword(userInfo.substring(colon + 1));
      }
    }
    return p;
  }

  /** Starts a request; the returned call's future completes on a Vert.x thread. */
  public Call send(ImageRequest request, Consumer<GeneratedImage> onPartial) {
    Call call = new Call(request, onPartial, contextForCall());
    try {
      request.validate();
      if (closed) {
        throw new IllegalStateException("this ImagesClient is closed; build a new one");
      }
      if (config.apiKey() == null && !config.isLoopback()) {
        throw new AuthenticationException("No API key is set for " + config.baseUrl()
            + ": set OPENAI_API_KEY (or -Dopenai.apiKey, or ImagesClient.builder().apiKey(...)). Nothing was sent.",
            0, null, "missing_api_key", null, null, null);
      }
    } catch (RuntimeException e) {
      call.promise.fail(e);
      return call;
    }
    inFlight.put(call, Boolean.TRUE);
    listeners.started(request);
    call.context.runOnContext(v -> attempt(call, 0));
    call.promise.future().onComplete(ar -> {
      inFlight.remove(call);
      if (ar.succeeded()) {
        listeners.completed(request, ar.result());
      } else {
        listeners.failed(request, ar.cause());
      }
    });
    return call;
  }

  /**
   * The context a call runs on: the caller's when it is on Vert.x, else a new event-loop context.
   * Vert.x binds {@code getOrCreateContext()} to the calling thread, so one thread sending many
   * requests would decode every response on a single event loop; new contexts take the event loops
   * in turn and spread the work over all cores.
   */
  private Context contextForCall() {
    Context current = Vertx.currentContext();
    if (current == null && vertx instanceof VertxInternal internal) {
      return internal.createEventLoopContext();
    }
    return vertx.getOrCreateContext();
  }

  /**
   * Sends and waits. An interrupt of the waiting thread cancels the request on the wire and
   * throws {@link CancellationException}.
   */
  public ImageResult sendAndWait(ImageRequest request, Consumer<GeneratedImage> onPartial) {
    Call call = send(request, onPartial);
    try {
      return call.future().toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException e) {
      call.cancel();
      Thread.currentThread().interrupt();
      throw new CancellationException("generation cancelled; the request was aborted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new ImagineException(String.valueOf(cause.getMessage()), null, cause);
    }
  }

  private String url(ImageRequest request) {
    ImageParams.Endpoint endpoint = request.images().isEmpty() ? ImageParams.Endpoint.GENERATIONS : ImageParams.Endpoint.EDITS;
    return config.baseUrl() + "/" + endpoint.path();
  }

  private void attempt(Call call, int attempt) {
    if (call.isDone()) {
      return;
    }
    ImageRequest request = call.request;
    String url = url(request);
    HttpRequest<ResponseBodyStream> http = web.postAbs(url)
        .as(ResponseBodyStream.codec(event -> onEvent(call, event)));
    if (config.apiKey() != null) {
      http.bearerTokenAuthentication(config.apiKey());
    }
    config.headers().forEach(http::putHeader);
    request.headers().forEach(http::putHeader);
    http.putHeader("Accept", request.partialImages() != null ? "text/event-stream, application/json" : "application/json");
    call.startAttempt();
    call.timer = vertx.setTimer(config.requestTimeout().toMillis(), id -> call.timeOut());
    sending.put(http, call);
    Future<HttpResponse<ResponseBodyStream>> response;
    if (request.images().isEmpty()) {
      response = http.putHeader("Content-Type", "application/json").sendBuffer(RequestBodies.json(request));
    } else {
      RequestBodies.Multipart form = RequestBodies.multipart(request);
      response = http.putHeader("Content-Type", form.contentType()).sendBuffer(form.body());
    }
    response.onComplete(ar -> {
      sending.remove(http);
      vertx.cancelTimer(call.timer);
      if (call.isDone()) {
        return;
      }
      if (ar.succeeded()) {
        onResponse(call, attempt, url, ar.result());
      } else {
        onFailure(call, attempt, url, ar.cause());
      }
    });
  }

  private void onResponse(Call call, int attempt, String url, HttpResponse<ResponseBodyStream> response) {
    int status = response.statusCode();
    String requestId = response.getHeader("x-request-id");
    ResponseBodyStream body = response.body();
    if (status >= 200 && status < 300) {
      try {
        if (body != null && body.isEventStream()) {
          completeFromEvents(call, requestId);
        } else {
          completeFromBody(call, url, status, requestId, body == null ? new ImagePayloadExtractor() : body.body());
        }
      } catch (RuntimeException e) {
        call.promise.tryFail(e);
      }
      return;
    }
    ErrorMapper.ServerError error = ErrorMapper.parse(body == null ? new byte[0] : body.body().skeleton());
    Duration serverDelay = RetryPolicy.serverDelay(response.headers());
    dev.imagine.ApiException failure = ErrorMapper.toException(status, response.statusMessage(), error, requestId, url,
        serverDelay, call.request.model());
    boolean quotaExhausted = failure instanceof RateLimitException r && r.isQuotaExhausted()
        || ErrorMapper.isLowBalance(String.valueOf(error.message()).toLowerCase(java.util.Locale.ROOT));
    if (attempt < config.maxRetries() && RetryPolicy.retryableStatus(status, response.headers(), quotaExhausted)) {
      Duration delay = serverDelay != null ? serverDelay : RetryPolicy.backoff(attempt);
      if (delay.compareTo(RetryPolicy.MAX_SERVER_DELAY) <= 0) {
        retryLater(call, attempt, delay, failure);
        return;
      }
    }
    call.promise.tryFail(failure);
  }

  private void onFailure(Call call, int attempt, String url, Throwable cause) {
    String host = hostOf(url);
    ImagineException failure;
    boolean safeToRetry;
    if (call.cancelled) {
      call.promise.tryFail(new CancellationException("generation cancelled; the request was aborted"));
      return;
    } else if (call.timedOut) {
      failure = new RequestTimeoutException("No answer from " + url + " within " + human(config.requestTimeout())
          + (call.sent ? ". The server may still be making (and billing) the image, so the request was not sent again"
              + " (ImagesClient.builder().retryUnsafe(true) allows that); raise requestTimeout(...) for slow models"
              : ". The request never got a connection: check the server and your network"), cause);
      safeToRetry = !call.sent || config.retryUnsafe();
    } else if (!call.sent || isConnectFailure(cause)) {
      failure = new ConnectionException("Could not connect to " + host + ": " + describe(cause)
          + ". Check the base URL (" + config.baseUrl() + ") and your network", false, cause);
      safeToRetry = true;
    } else {
      failure = new ConnectionException("The connection to " + host + " was lost after the request was sent ("
          + describe(cause) + "). The server may have made (and billed) the image, so the request was not sent again;"
          + " ImagesClient.builder().retryUnsafe(true) allows that", true, cause);
      safeToRetry = config.retryUnsafe();
    }
    if (safeToRetry && attempt < config.maxRetries()) {
      retryLater(call, attempt, RetryPolicy.backoff(attempt), failure);
    } else {
      call.promise.tryFail(failure);
    }
  }

  private void retryLater(Call call, int attempt, Duration delay, Throwable cause) {
    listeners.retrying(call.request, attempt + 1, delay, cause);
    call.timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> call.context.runOnContext(v -> attempt(call, attempt + 1)));
  }

  private static boolean isConnectFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof UnknownHostException
          || c.getClass().getName().endsWith("ConnectTimeoutException")) {
        return true;
      }
    }
    return false;
  }

  private void completeFromBody(Call call, String url, int status, String requestId, ImagePayloadExtractor body) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body.skeleton());
    } catch (Exception e) {
      root = null;
    }
    if (root != null && ErrorMapper.isErrorBody(root)) {
      throw ErrorMapper.toException(status, null, ErrorMapper.parse(body.skeleton()), requestId, url, null);
    }
    if (root == null || !root.path("data").isArray()) {
      String excerpt = ErrorMapper.readable(new String(body.skeleton(), java.nio.charset.StandardCharsets.UTF_8));
      throw new ImagineException("The server answered " + status + " but not with images JSON"
          + (body.endedInsidePayload() ? " (the body ended in the middle of an image)" : "")
          + (excerpt == null || excerpt.isEmpty() ? " (empty body)" : ": " + excerpt)
          + (requestId == null ? "" : " (request id " + requestId + ")")
          + ". Check that the base URL points at an OpenAI-compatible API", requestId, null);
    }
    ImagesResponseBody parsed = Json.MAPPER.convertValue(root, ImagesResponseBody.class);
    List<ImagesResponseBody.ImageData> data = parsed.data();
    List<Future<GeneratedImage>> images = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      ImagesResponseBody.ImageData d = data.get(i);
      List<byte[]> bytes = body.payload(d.b64Json());
      if (bytes != null) {
        images.add(Future.succeededFuture(new GeneratedImage(bytes, i, call.request.prompt(), d.revisedPrompt(), null)));
      } else if (d.url() != null && config.downloadUrls()) {
        images.add(download(d.url(), i, call, d.revisedPrompt()));
      } else if (d.url() != null) {
        images.add(Future.succeededFuture(new GeneratedImage(new byte[0], i, call.request.prompt(), d.revisedPrompt(), d.url())));
      }
    }
    Future.all(images).onComplete(ar -> {
      if (ar.succeeded()) {
        List<GeneratedImage> done = new ArrayList<>();
        images.forEach(f -> done.add(f.result()));
        call.promise.tryComplete(new ImageResult(call.request, Instant.ofEpochSecond(parsed.created()), done,
            usage(parsed.usage()), parsed.size(), parsed.quality(), parsed.background(), parsed.outputFormat(),
            requestId, call.elapsed(), config.prices()));
      } else {
        List<String> urls = data.stream().map(ImagesResponseBody.ImageData::url).filter(u -> u != null).toList();
        call.promise.tryFail(new ImagineException("The images were made but downloading them failed: "
            + ar.cause().getMessage() + ". They stay at these URLs for about an hour: " + String.join(" ", urls),
            requestId, ar.cause()));
      }
    });
  }

  private Future<GeneratedImage> download(String url, int index, Call call, String revisedPrompt) {
    return downloadAttempt(url, 0).map(bytes -> new GeneratedImage(bytes, index, call.request.prompt(), revisedPrompt, url));
  }

  private Future<byte[]> downloadAttempt(String url, int attempt) {
    HttpRequest<io.vertx.core.buffer.Buffer> get = web.getAbs(url).as(BodyCodec.buffer())
        .timeout(config.requestTimeout().toMillis());
    if (config.apiKey() != null && sameOrigin(url, config.baseUrl())) {
      get.bearerTokenAuthentication(config.apiKey()); // never hand the key to another host
    }
    return get.send().compose(r -> r.statusCode() == 200 && r.body() != null
        ? Future.succeededFuture(r.body().getBytes())
        : Future.<byte[]>failedFuture(new ImagineException("GET " + url + " answered " + r.statusCode())))
        .recover(e -> attempt + 1 < DOWNLOAD_ATTEMPTS
            ? Future.<Void>future(p -> vertx.setTimer(RetryPolicy.backoff(attempt).toMillis(), id -> p.complete()))
                .compose(v -> downloadAttempt(url, attempt + 1))
            : Future.failedFuture(e));
  }

  private void onEvent(Call call, ImagePayloadExtractor event) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(event.skeleton());
    } catch (Exception e) {
      return; // "[DONE]" and other non-JSON lines
    }
    if (root == null || !root.isObject()) {
      return;
    }
    StreamEvent e = Json.MAPPER.convertValue(root, StreamEvent.class);
    if (e.error() != null || "error".equals(e.type())) {
      ErrorMapper.ServerError error = ErrorMapper.parse(event.skeleton());
      call.streamError = ErrorMapper.toException(200, "(stream)", error, null, url(call.request), null);
      return;
    }
    List<byte[]> bytes = event.payload(e.b64Json());
    if (bytes == null) {
      return;
    }
    if (e.type() != null && e.type().endsWith(".partial_image")) {
      int index = e.partialImageIndex() == null ? 0 : e.partialImageIndex();
      GeneratedImage preview = new GeneratedImage(bytes, index, call.request.prompt(), null, null);
      if (call.onPartial != null) {
        call.onPartial.accept(preview);
      }
      listeners.partialImage(call.request, preview);
    } else if (e.type() != null && e.type().endsWith(".completed")) {
      call.completed.add(new GeneratedImage(bytes, call.completed.size(), call.request.prompt(), null, null));
      call.lastEvent = e;
    }
  }

  private void completeFromEvents(Call call, String requestId) {
    if (call.streamError != null) {
      throw call.streamError;
    }
    if (call.completed.isEmpty()) {
      throw new ImagineException("The stream ended without a completed image"
          + (requestId == null ? "" : " (request id " + requestId + ")"), requestId, null);
    }
    StreamEvent last = call.lastEvent;
    Instant created = last.createdAt() == null ? Instant.now() : Instant.ofEpochSecond(last.createdAt());
    call.promise.tryComplete(new ImageResult(call.request, created, call.completed, usage(last.usage()), last.size(),
        last.quality(), last.background(), last.outputFormat(), requestId, call.elapsed(), config.prices()));
  }

  private static Usage usage(UsageBody u) {
    if (u == null) {
      return null;
    }
    UsageBody.Details d = u.inputTokensDetails();
    return new Usage(orZero(u.inputTokens()), orZero(u.outputTokens()), orZero(u.totalTokens()),
        d == null ? null : d.textTokens(), d == null ? null : d.imageTokens());
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  private static boolean sameOrigin(String a, String b) {
    try {
      URI x = URI.create(a);
      URI y = URI.create(b);
      return x.getScheme().equalsIgnoreCase(y.getScheme()) && x.getHost().equalsIgnoreCase(y.getHost()) && x.getPort() == y.getPort();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String hostOf(String url) {
    URI u = URI.create(url);
    return u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }

  private static String human(Duration d) {
    return d.toMinutes() >= 1 && d.toSecondsPart() == 0 ? d.toMinutes() + " min" : d.toMillis() / 1000.0 + " s";
  }

  /** Closes the HTTP client and, if owned, Vert.x; requests still running fail. Idempotent. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    inFlight.keySet().forEach(call -> call.promise.tryFail(new ImagineException("the client was closed while the request ran")));
    web.close();
    if (ownsVertx) {
      Future<Void> done = vertx.close();
      if (!Context.isOnEventLoopThread()) {
        try {
          done.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // closing is best effort: threads are daemons
        }
      }
    }
  }

  /** One request through its attempts. Its fields are touched on its Vert.x context only, except the flags. */
  public final class Call {
    final ImageRequest request;
    final Consumer<GeneratedImage> onPartial;
    final Context context;
    final Promise<ImageResult> promise = Promise.promise();
    final long started = System.nanoTime();
    final List<GeneratedImage> completed = new ArrayList<>();
    StreamEvent lastEvent;
    ImagineException streamError;
    volatile boolean cancelled;
    volatile boolean timedOut;
    volatile boolean sent;
    volatile HttpClientRequest current;
    volatile long timer = -1;

    Call(ImageRequest request, Consumer<GeneratedImage> onPartial, Context context) {
      this.request = request;
      this.onPartial = onPartial;
      this.context = context;
    }

    public Future<ImageResult> future() {
      return promise.future();
    }

    /** Aborts the request on the wire; the future fails with {@link CancellationException}. */
    public void cancel() {
      cancelled = true;
      context.runOnContext(v -> {
        vertx.cancelTimer(timer);
        HttpClientRequest r = current;
        if (r != null) {
          r.reset(0, new CancellationException("cancelled"));
        }
        promise.tryFail(new CancellationException("generation cancelled; the request was aborted"));
      });
    }

    void startAttempt() {
      sent = false;
      timedOut = false;
      current = null;
      completed.clear();
      lastEvent = null;
      streamError = null;
    }

    void requestGoingOut(HttpClientRequest request) {
      current = request;
      sent = true;
    }

    void timeOut() {
      timedOut = true;
      HttpClientRequest r = current;
      if (r != null) {
        r.reset(0, new java.util.concurrent.TimeoutException("request timeout"));
      } else {
        // still waiting for a connection: nothing reached the server
        promise.tryFail(new RequestTimeoutException("No connection to " + url(request) + " within "
            + human(config.requestTimeout()) + "; nothing was sent. Check the server and your network", null));
      }
    }

    boolean isDone() {
      return promise.future().isComplete();
    }

    Duration elapsed() {
      return Duration.ofNanos(System.nanoTime() - started);
    }
  }
}
