package dev.imagine.internal.http;

import dev.imagine.ConnectionException;
import dev.imagine.GeneratedImage;
import dev.imagine.GenerationListener;
import dev.imagine.ImageRequest;
import dev.imagine.ImageResult;
import dev.imagine.ImagineException;
import dev.imagine.RateLimits;
import dev.imagine.RequestTimeoutException;
import dev.imagine.internal.rules.ImageParams;
import dev.imagine.internal.wire.ImagePayloadExtractor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One request through its attempts: sends each attempt, knows whether it went out, times it out,
 * cancels it, and asks {@link RetryDecision} whether to go again. What an answer means is
 * {@link ResponseDecoder}'s business; fetching {@code url} images is {@link UrlDownloader}'s. Its
 * state is touched on its Vert.x context only, except the volatile flags.
 */
public final class ImageCall {
  private static final System.Logger LOG = System.getLogger(ImageCall.class.getName());
  private final ImagesTransport.Shared shared;
  private final ClientConfig config;
  final ImageRequest request;
  private final Consumer<GeneratedImage> onPartial;
  private final ImageDestination destination;
  final GenerationListener listeners;
  final Context context;
  final Promise<ImageResult> promise = Promise.promise();
  private final long started = System.nanoTime();
  private final String url;
  private volatile boolean cancelled;
  private volatile boolean timedOut;
  private volatile boolean sent;
  private volatile boolean reusedConnection;
  private volatile boolean answerStarted;
  /** The {@code x-request-id} of the answer under way, for a failure that cuts it off. */
  private volatile String answerRequestId;
  private volatile long sentAt;
  private volatile LongSupplier connectionClosedAt = () -> 0;
  private boolean resentOnNewConnection;
  private volatile HttpClientRequest current;
  private volatile long timer = -1;

  /**
   * @param destination where the images of a JSON answer go as they decode
   * @param listeners the client's, or the client's and this call's own
   */
  ImageCall(ImagesTransport.Shared shared, ImageRequest request, Consumer<GeneratedImage> onPartial,
      ImageDestination destination, GenerationListener listeners, Context context) {
    this.shared = shared;
    this.config = shared.config();
    this.request = request;
    this.onPartial = onPartial;
    this.destination = destination;
    this.listeners = listeners;
    this.context = context;
    ImageParams.Endpoint endpoint = request.images().isEmpty() ? ImageParams.Endpoint.GENERATIONS : ImageParams.Endpoint.EDITS;
    this.url = config.provider().url(endpoint.path(), request.model());
  }

  public Future<ImageResult> future() {
    return promise.future();
  }

  /** Aborts the request on the wire; the future fails with {@link CancellationException}. */
  public void cancel() {
    synchronized (this) { // after this, requestGoingOut writes nothing, and what it wrote before is in current
      cancelled = true;
    }
    context.runOnContext(v -> {
      shared.vertx().cancelTimer(timer);
      HttpClientRequest r = current;
      if (r != null) {
        r.reset(0, new CancellationException("cancelled"));
      }
      promise.tryFail(new CancellationException("generation cancelled; the request was aborted"));
    });
  }

  void start() {
    context.runOnContext(v -> attempt(0, false));
  }

  private void attempt(int attempt, boolean newConnection) {
    if (isDone()) {
      return;
    }
    ResponseDecoder.EventStream events = new ResponseDecoder.EventStream(request, url);
    AttemptOutputs outputs = new AttemptOutputs();
    HttpRequest<ResponseBodyStream> http = (newConnection ? shared.clients().fresh(context) : shared.clients().pooled(context)).postAbs(url)
        .as(ResponseBodyStream.codec(event -> onEvent(events, event), outputs::open));
    config.addApiHeaders(http::putHeader);
    request.headers().forEach(http::putHeader);
    http.putHeader("Accept", request.partialImages() != null ? "text/event-stream, application/json" : "application/json");
    sent = false;
    reusedConnection = false;
    answerStarted = false;
    answerRequestId = null;
    timedOut = false;
    current = null;
    connectionClosedAt = () -> 0;
    timer = shared.vertx().setTimer(config.requestTimeout().toMillis(), id -> timeOut());
    shared.sending().put(http, this);
    RequestBodies.Body body = RequestBodies.of(request);
    Future<HttpResponse<ResponseBodyStream>> response = http.putHeader("Content-Type", body.contentType())
        .sendBuffer(body.body());
    response.onComplete(ar -> {
      shared.sending().remove(http);
      shared.vertx().cancelTimer(timer);
      if (isDone()) {
        outputs.discard();
        return;
      }
      if (ar.succeeded()) {
        onResponse(attempt, events, outputs, ar.result());
      } else {
        outputs.discard(); // before a retry starts outputs of its own
        onFailure(attempt, ar.cause());
      }
    });
  }

  /**
   * The outputs one attempt's images went to, so that an attempt which ends without handing its
   * images over (an error, a cut connection, a retry, a cancel) discards them: no file of an image
   * that never completed is left behind.
   */
  private final class AttemptOutputs {
    private final List<ImageDestination.Output> opened = new ArrayList<>();

    synchronized ImageDestination.Output open() {
      ImageDestination.Output output = destination.open();
      opened.add(output);
      return output;
    }

    synchronized void discard() {
      opened.forEach(ImageDestination.Output::discard);
      opened.clear();
    }

    /** Discards the outputs no item of the answer refers to. */
    synchronized void discardAllBut(List<ImageDestination.Output> used) {
      opened.stream().filter(o -> !used.contains(o)).forEach(ImageDestination.Output::discard);
    }
  }

  private void onEvent(ResponseDecoder.EventStream events, ImagePayloadExtractor event) {
    GeneratedImage preview = events.onEvent(event);
    if (preview != null) {
      if (onPartial != null) {
        onPartial.accept(preview);
      }
      listeners.partialImage(request, preview);
    }
  }

  private void onResponse(int attempt, ResponseDecoder.EventStream events, AttemptOutputs outputs,
      HttpResponse<ResponseBodyStream> response) {
    int status = response.statusCode();
    String requestId = response.getHeader("x-request-id");
    Map<String, String> headers = new HashMap<>();
    response.headers().forEach(headers::put);
    RateLimits limits = RateLimits.of(headers);
    ResponseBodyStream body = response.body();
    if (status >= 200 && status < 300) {
      try {
        if (body != null && body.isEventStream()) {
          outputs.discard();
          promise.tryComplete(events.finish(requestId, elapsed(), config.prices(), limits));
        } else {
          complete(ResponseDecoder.images(status, requestId, url, body == null ? new ImagePayloadExtractor() : body.body()),
              outputs, requestId, limits);
        }
      } catch (RuntimeException e) {
        outputs.discard();
        promise.tryFail(e);
      }
      return;
    }
    outputs.discard();
    Instant now = Instant.now();
    Duration serverDelay = RetryDecision.serverDelay(response.headers(), now);
    ResponseDecoder.ErrorAnswer error = ResponseDecoder.error(status, response.statusMessage(),
        body == null ? new byte[0] : body.body().skeleton(), requestId, url, serverDelay, request.model(),
        config.provider().keySetting(), limits);
    RetryDecision.Decision next = RetryDecision.afterAnswer(attempt, config.maxRetries(), status, response.headers(),
        error.permanent(), now, ThreadLocalRandom.current().nextDouble());
    if (next.retry()) {
      retryLater(attempt, next.delay(), error.exception());
    } else {
      promise.tryFail(error.exception());
    }
  }

  /**
   * Completes with every image once it is where its destination keeps it, fetching {@code url}
   * images first when the client does.
   */
  private void complete(ResponseDecoder.ImagesAnswer answer, AttemptOutputs outputs, String requestId, RateLimits limits) {
    List<Future<GeneratedImage>> images = new ArrayList<>();
    List<ImageDestination.Output> used = new ArrayList<>();
    for (ResponseDecoder.Item item : answer.items()) {
      if (item.bytes() != null) {
        ImageDestination.Output output = (ImageDestination.Output) item.bytes(); // every output here came from outputs.open()
        used.add(output);
        images.add(output.image(item.index(), request.prompt(), item.revisedPrompt()));
      } else if (config.downloadUrls()) {
        images.add(shared.downloader().download(item.url())
            .map(bytes -> new GeneratedImage(bytes, item.index(), request.prompt(), item.revisedPrompt(), item.url())));
      } else {
        images.add(Future.succeededFuture(new GeneratedImage(new byte[0], item.index(), request.prompt(), item.revisedPrompt(), item.url())));
      }
    }
    outputs.discardAllBut(used);
    Future.all(images).onComplete(ar -> onContext(() -> {
      if (ar.succeeded()) {
        List<GeneratedImage> done = new ArrayList<>();
        images.forEach(f -> done.add(f.result()));
        if (!promise.tryComplete(ResponseDecoder.result(request, answer, done, requestId, elapsed(), config.prices(), limits))) {
          outputs.discard(); // cancelled or closed while the last pieces were written
        }
      } else {
        outputs.discard();
        promise.tryFail(ResponseDecoder.downloadFailed(answer, requestId, ar.cause()));
      }
    }));
  }

  /** Runs {@code action} on this call's context: at once when already there, as images kept in memory are. */
  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private void onFailure(int attempt, Throwable cause) {
    if (cancelled) {
      promise.tryFail(new CancellationException("generation cancelled; the request was aborted"));
      return;
    }
    String host = hostOf(url);
    ImagineException failure;
    RetryDecision.Failure kind;
    String requestId = answerRequestId;
    if (timedOut) {
      String what = answerStarted ? "The whole answer from " + url + " did not arrive within "
          + human(config.requestTimeout()) + (requestId == null ? "" : " (request " + requestId + ")")
          : "No answer from " + url + " within " + human(config.requestTimeout());
      failure = new RequestTimeoutException(what
          + (sent ? ". The server may still be making (and billing) the image, so the request was not sent again"
              + " (ImagesClient.builder().retryUnsafe(true) allows that); raise requestTimeout(...) for slow models"
              : ". The request never got a connection: check the server and your network"), requestId, cause);
      kind = sent ? RetryDecision.Failure.TIMED_OUT_AFTER_SENDING : RetryDecision.Failure.NOT_SENT;
    } else if (!sent && !isConnectFailure(cause) && !resentOnNewConnection) {
      // a pooled connection the server had closed, found before anything was written on it
      resendOnNewConnection(attempt, Duration.ZERO, cause);
      return;
    } else if (!sent || isConnectFailure(cause)) {
      failure = new ConnectionException("Could not connect to " + host + ": " + describe(cause)
          + ". Check the base URL (" + config.baseUrl() + ") and your network", false, cause);
      kind = RetryDecision.Failure.NOT_SENT;
    } else {
      // from when the connection's event loop saw the close, not when this busy context heard of it
      long closedAt = connectionClosedAt.getAsLong();
      Duration sinceSent = Duration.ofNanos((closedAt != 0 ? closedAt : System.nanoTime()) - sentAt);
      if (RetryDecision.resendOnNewConnection(reusedConnection, answerStarted, sinceSent, resentOnNewConnection)) {
        resendOnNewConnection(attempt, sinceSent, cause);
        return;
      }
      String when = answerStarted ? ", while its answer was arriving (" + (requestId == null ? "" : "request "
          + requestId + ", ") + describe(cause) + ")" : " (" + describe(cause) + ")";
      failure = new ConnectionException("The connection to " + host + " was lost after the request was sent" + when
          + ". The server may have made (and billed) the image, so the request was not sent again;"
          + " ImagesClient.builder().retryUnsafe(true) allows that", true, requestId, cause);
      kind = RetryDecision.Failure.LOST_AFTER_SENDING;
    }
    RetryDecision.Decision next = RetryDecision.afterFailure(attempt, config.maxRetries(), kind, config.retryUnsafe(),
        ThreadLocalRandom.current().nextDouble());
    if (next.retry()) {
      retryLater(attempt, next.delay(), failure);
    } else {
      promise.tryFail(failure);
    }
  }

  private void retryLater(int attempt, Duration delay, Throwable cause) {
    listeners.retrying(request, attempt + 1, delay, cause);
    timer = shared.vertx().setTimer(Math.max(1, delay.toMillis()), id -> context.runOnContext(v -> attempt(attempt + 1, false)));
  }

  /** The server closed the pooled connection as the request arrived (see {@link RetryDecision#resendOnNewConnection}). */
  private void resendOnNewConnection(int attempt, Duration sinceSent, Throwable cause) {
    resentOnNewConnection = true;
    LOG.log(System.Logger.Level.DEBUG, () -> "re-sending POST " + url + " on a new connection: the pooled one closed " + sinceSent.toMillis() + " ms after the request went out, before"
        + " any answer (" + describe(cause) + ")");
    listeners.resendingOnNewConnection(request, cause);
    attempt(attempt, true);
  }

  /**
   * Called by the transport's interceptor just before it writes the request on {@code wire}, on any
   * thread; {@code reused} when that connection carried a request before, {@code closedAt} when its
   * event loop saw it close ({@link System#nanoTime()}, 0 while open). False when the call has
   * ended (timed out waiting, cancelled): then the request must not be written.
   */
  synchronized boolean requestGoingOut(HttpClientRequest wire, boolean reused, LongSupplier closedAt) {
    if (cancelled || timedOut || isDone()) {
      return false; // the caller was told nothing was sent: keep it so
    }
    current = wire;
    sentAt = System.nanoTime();
    reusedConnection = reused;
    connectionClosedAt = closedAt;
    sent = true;
    return true;
  }

  /** Called by the transport's interceptor when the head of an answer arrived, with its {@code x-request-id}. */
  void answerStarted(String requestId) {
    answerRequestId = requestId;
    answerStarted = true;
  }

  private void timeOut() {
    HttpClientRequest r;
    synchronized (this) {
      timedOut = true;
      r = current;
    }
    if (r != null) {
      r.reset(0, new java.util.concurrent.TimeoutException("request timeout"));
    } else {
      // still waiting for a connection: nothing reached the server
      promise.tryFail(new RequestTimeoutException("No connection to " + url + " within "
          + human(config.requestTimeout()) + "; nothing was sent. Check the server and your network", null));
    }
  }

  boolean isDone() {
    return promise.future().isComplete();
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - started);
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
}
