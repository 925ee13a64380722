package dev.imagine.internal.http;

import dev.imagine.GeneratedImage;
import dev.imagine.GenerationListener;
import dev.imagine.ImageRequest;
import dev.imagine.ImageResult;
import dev.imagine.ImagineException;
import dev.imagine.InvalidRequestException;
import dev.imagine.NotSentException;
import dev.imagine.internal.models.ModelCatalog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.WebClientInternal;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A client's connection to its server: its Vert.x Web clients ({@link LoopClients}, one per event
 * loop), the requests in flight, and the checks before anything is sent. Each request is an {@link ImageCall}: non-blocking end to
 * end, with retries that never make the server generate twice (see {@link dev.imagine.ImagesClient}),
 * streamed decoding of base64 images, prompt download of {@code url} results, and cancellation.
 */
public final class ImagesTransport {
  /** What every call of this client shares. */
  record Shared(ClientConfig config, Vertx vertx, LoopClients clients, Listeners listeners,
      UrlDownloader downloader, Map<HttpRequest<?>, ImageCall> sending) {}

  /**
   * Seconds an idle pooled connection is kept: below the idle timeouts common servers use (5 s for
   * Node.js, uvicorn and Apache, 60 s and more behind load balancers), so we seldom send on a
   * connection the server is closing. A server's {@code Keep-Alive: timeout=N} replaces it, and
   * {@code Connection: close} ends the connection after its answer (Vert.x reads both).
   */
  static final int IDLE_KEEP_ALIVE_SECONDS = 4;

  private final ClientConfig config;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final LoopClients clients;
  private final Shared shared;
  private final Map<ImageCall, Boolean> inFlight = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public ImagesTransport(ClientConfig config, List<GenerationListener> listeners) {
    this.config = config;
    this.ownsVertx = config.vertx() == null;
    // Daemon threads: a script or main() that made images must be able to exit without close().
    this.vertx = ownsVertx ? Vertx.vertx(new VertxOptions().setUseDaemonThread(true)) : config.vertx();
    WebClientOptions options = new WebClientOptions()
        .setUserAgent(config.userAgent())
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
        .setDecompressionSupported(true)
        .setKeepAlive(true)
        .setKeepAliveTimeout(IDLE_KEEP_ALIVE_SECONDS)
        // bodies of megabytes: hand them over in the socket's reads (up to 64 KiB), not 8 KiB slices
        .setMaxChunkSize(64 * 1024);
    if (config.proxy() != null) {
      options.setProxyOptions(proxyOptions(config.proxy()));
    }
    // Generations wait minutes for the server: allow many at once rather than queueing behind 5.
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(1024).setMaxWaitQueueSize(-1);
    // Requests being sent, so the interceptor can tell their call when the request goes out (what
    // fails before that is safe to retry, what fails after may be running on the server), whether
    // it went out on a connection used before, and when an answer starts.
    Map<HttpRequest<?>, ImageCall> sending = new ConcurrentHashMap<>();
    StaleConnections stale = new StaleConnections();
    Handler<HttpContext<?>> interceptor = ctx -> {
      ImageCall call = sending.get(ctx.request());
      if (ctx.phase() == ClientPhase.SEND_REQUEST) {
        HttpClientRequest wire = ctx.clientRequest();
        // every request (images, files, batches, /models, downloads) hears its failures through its
        // response future; without a handler of its own, Vert.x also logs one cut short as an error
        wire.exceptionHandler(failure -> { });
        boolean firstUse = stale.firstUse(wire.connection());
        if (call == null) {
          ctx.next();
          return;
        }
        if (firstUse) {
          write(ctx, call, wire, false, () -> 0);
        } else {
          // a pooled connection: check it is open and write the request in one task on its event loop
          stale.writeIfOpen(wire.connection(), () -> write(ctx, call, wire, true, stale.closedAt(wire.connection())),
              () -> ctx.fail(new StaleConnections.ClosedBeforeSending()));
        }
        return;
      }
      if (call != null && ctx.phase() == ClientPhase.RECEIVE_RESPONSE) {
        call.answerStarted(ctx.clientResponse().getHeader("x-request-id"));
      }
      ctx.next();
    };
    // the fresh ones (one connection per request) re-send a request that met a connection the server had closed
    this.clients = new LoopClients(vertx, keepAlive -> {
      WebClient client = WebClient.create(vertx, keepAlive ? options : new WebClientOptions(options).setKeepAlive(false), pool);
      ((WebClientInternal) client).addInterceptor(interceptor);
      return client;
    });
    this.shared = new Shared(config, vertx, clients, new Listeners(listeners), new UrlDownloader(vertx, clients, config),
        sending);
  }

  /** Writes the request on {@code wire} now, on this thread, unless its call has ended meanwhile. */
  private static void write(HttpContext<?> ctx, ImageCall call, HttpClientRequest wire, boolean reused, LongSupplier closedAt) {
    if (call.requestGoingOut(wire, reused, closedAt)) {
      ctx.next();
    } else {
      ctx.fail(new CancellationException("the call ended before its request was sent"));
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Calls to the API's other endpoints (files, batches) on this client's connection and settings. */
  public ApiCalls api() {
    return new ApiCalls(shared);
  }

  /** The client's HTTP client for a request sent from this thread, for its other calls (the model list). */
  public WebClient web() {
    return clients.here();
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
  public ImageCall send(ImageRequest request, Consumer<GeneratedImage> onPartial) {
    return send(request, onPartial, null, null);
  }

  /**
   * As the other, with {@code callListener} (when not null) hearing this call's events after the
   * client's listeners: a batch learns of a 429 on the first retry, not only when retries run out;
   * and the images going to {@code destination} as they decode (memory when null): a batch streams
   * them to files in its folder.
   */
  public ImageCall send(ImageRequest request, Consumer<GeneratedImage> onPartial, GenerationListener callListener,
      ImageDestination destination) {
    GenerationListener listeners = callListener == null ? shared.listeners()
        : new Listeners(List.of(shared.listeners(), callListener));
    ImageCall call = new ImageCall(shared, request, onPartial, destination == null ? ImageDestination.memory() : destination,
        listeners, contextForCall());
    try {
      request.validate();
      boolean dallE = ModelCatalog.find(request.model()).map(m -> !m.family().isGptImage()).orElse(false);
      if (dallE && RequestBodies.isJsonEdit(request)) {
        throw new InvalidRequestException("image", request.model() + " edits take image files (ImageInput.of(...));"
            + " images by URL, data URL or file id need a GPT image model");
      }
      if (closed) {
        throw new IllegalStateException("this ImagesClient is closed; build a new one");
      }
      if (!config.provider().hasKey() && config.provider().needsKey()) {
        throw new NotSentException("No API key is set for " + config.baseUrl() + ": set "
            + config.provider().keySetting() + ". Nothing was sent.");
      }
    } catch (RuntimeException e) {
      call.promise.fail(e);
      return call;
    }
    inFlight.put(call, Boolean.TRUE);
    listeners.started(request);
    call.start();
    call.future().onComplete(ar -> {
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
   * The context a call runs on, always an event loop's: the caller's when it is on one, else a new
   * event-loop context. Vert.x binds {@code getOrCreateContext()} to the calling thread, so one
   * thread sending many requests would decode every response on a single event loop; new contexts
   * take the event loops in turn and spread the work over all cores. A worker context's tasks run
   * one at a time, so a call on it would wait behind a {@code generate()} blocking there (forever),
   * and its answers would cross threads (see {@link LoopClients}): a worker's calls run on its event loop.
   */
  private Context contextForCall() {
    VertxInternal internal = (VertxInternal) vertx;
    if (Vertx.currentContext() == null) {
      return internal.createEventLoopContext();
    }
    ContextInternal current = internal.getOrCreateContext();
    return current.isEventLoopContext() ? current
        : internal.contextBuilder().withEventLoop(current.nettyEventLoop()).withClassLoader(current.classLoader()).build();
  }

  /**
   * {@code result}, heard on the caller's context when that is a worker's (as Vert.x's own clients
   * do: a worker verticle's callbacks stay on its thread); else as it completes, on the call's event loop.
   */
  public static <T> Future<T> forCaller(Future<T> result) {
    Context current = Vertx.currentContext();
    if (current == null || current.isEventLoopContext()) {
      return result;
    }
    Promise<T> heard = ((ContextInternal) current).promise();
    result.onComplete(heard);
    return heard.future();
  }

  /**
   * Sends and waits. An interrupt of the waiting thread cancels the request on the wire and
   * throws {@link CancellationException}.
   */
  public ImageResult sendAndWait(ImageRequest request, Consumer<GeneratedImage> onPartial) {
    ImageCall call = send(request, onPartial);
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

  /** Closes the HTTP client and, if owned, Vert.x; requests still running fail. Idempotent. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    inFlight.keySet().forEach(call -> call.promise.tryFail(new ImagineException("the client was closed while the request ran")));
    clients.close();
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
}
