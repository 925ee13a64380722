package dev.imagine.internal.server;

import dev.imagine.internal.Digests;
import dev.imagine.internal.models.ModelCatalog;
import dev.imagine.internal.models.ModelInfo;
import dev.imagine.internal.rules.ImageParams;
import dev.imagine.internal.rules.ImageParams.Endpoint;
import dev.imagine.internal.wire.ApiError;
import dev.imagine.server.Fault;
import dev.imagine.server.ReceivedRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded OpenAI-compatible Images server on Vert.x core's {@link HttpServer}: routing, key
 * check, body limits, latency and faults, counters. The images themselves come from
 * {@link ImageService}, on worker threads so the event loop only moves bytes.
 */
public final class BackendServer {
  static final String LATENCY_HEADER = "x-imagine-latency-ms";
  private static final long CACHE_BYTES = 96L * 1024 * 1024;
  private static final long FILE_STORE_BYTES = 512L * 1024 * 1024;
  private static final int RATE_LIMIT_PER_MINUTE = 5000;
  /** The {@code created} time the model list shows (unix seconds). */
  private static final long MODELS_CREATED = 1_700_000_000L;
  private static final Map<String, Endpoint> IMAGE_PATHS = Map.of(
      "/v1/images/generations", Endpoint.GENERATIONS,
      "/v1/images/edits", Endpoint.EDITS,
      "/v1/images/variations", Endpoint.VARIATIONS);

  private final BackendSettings settings;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final ImageService service;
  private final FileStore files;
  private final FaultPlan.Counter faultCounter = new FaultPlan.Counter();
  private final AtomicInteger configuredFaultsLeft;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong generations = new AtomicLong();
  private final Map<Endpoint, AtomicLong> perEndpoint = new EnumMap<>(Endpoint.class);
  private final Deque<ReceivedRequest> received = new ConcurrentLinkedDeque<>();
  private final PromptTally tally = new PromptTally();
  private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
  private final AtomicLong windowCount = new AtomicLong();
  private final BatchApi batchApi;
  private HttpServer server;
  private long purgeTimer = -1;

  private BackendServer(BackendSettings settings) {
    this.settings = settings;
    this.ownsVertx = settings.vertx() == null;
    // daemon threads: a program that forgets close() can still exit
    this.vertx = ownsVertx ? Vertx.vertx(new VertxOptions().setUseDaemonThread(true)) : settings.vertx();
    this.files = new FileStore(settings.urlExpiry(), FILE_STORE_BYTES, System::nanoTime);
    this.service = new ImageService(new ImageCache(CACHE_BYTES), files);
    this.configuredFaultsLeft = new AtomicInteger(settings.faultTimes());
    for (Endpoint e : Endpoint.values()) {
      perEndpoint.put(e, new AtomicLong());
    }
    this.batchApi = new BatchApi(vertx, service, endpoint -> {
      generations.incrementAndGet();
      perEndpoint.get(endpoint).incrementAndGet();
    });
  }

  /** Starts a server; completes once it listens. */
  public static Future<BackendServer> start(BackendSettings settings) {
    BackendServer s = new BackendServer(settings);
    HttpServerOptions options = new HttpServerOptions()
        .setMaxFormAttributeSize(1024 * 1024) // a 32,000-character prompt in a form field must reach the rules
        .setMaxFormFields(1024)
        .setMaxFormBufferedBytes(1024 * 1024);
    s.server = s.vertx.createHttpServer(options).requestHandler(s::handle);
    long purgeEvery = Math.max(1000, Math.min(60_000, settings.urlExpiry().toMillis()));
    return s.server.listen(settings.port(), settings.host())
        .map(listening -> {
          s.purgeTimer = s.vertx.setPeriodic(purgeEvery, t -> s.files.purgeExpired());
          return s;
        })
        .recover(err -> {
          if (s.ownsVertx) {
            s.vertx.close();
          }
          return Future.failedFuture(err);
        });
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://<host>:<port>/v1}, with 127.0.0.1 for a wildcard host. */
  public String baseUrl() {
    String host = settings.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port() + "/v1";
  }

  public long requestCount() {
    return requests.get();
  }

  public long generationCount() {
    return generations.get();
  }

  /** The last {@value #RECEIVED_KEPT} accepted requests, oldest first. */
  public List<ReceivedRequest> received() {
    return List.copyOf(received);
  }

  private static final int RECEIVED_KEPT = 256;

  private void remember(ImageJob job, Endpoint endpoint) {
    ImageParams p = job.params();
    List<String> digests = job.images().stream().map(u -> Digests.sha256(u.bytes())).toList();
    received.addLast(new ReceivedRequest(endpoint.name().toLowerCase(Locale.ROOT), p.model(), p.prompt(),
        p.n(), p.size(), p.quality(), digests));
    while (received.size() > RECEIVED_KEPT) {
      received.pollFirst();
    }
  }

  /** How many times images were made for this prompt (of the last {@value PromptTally#KEPT} prompts). */
  public long timesGenerated(String prompt) {
    return tally.generatedCount(prompt);
  }

  /** How many answers with images for this prompt were written whole to the socket. */
  public long timesDelivered(String prompt) {
    return tally.deliveredCount(prompt);
  }

  public long generationCount(Endpoint endpoint) {
    return perEndpoint.get(endpoint).get();
  }

  /**
   * Stops listening, and stops Vert.x when this server made it; blocks until done (at most 10 s).
   * Each step is awaited from the calling thread: a callback chained on the event loop would never
   * run once that loop has shut down.
   */
  public void close() {
    if (purgeTimer >= 0) {
      vertx.cancelTimer(purgeTimer);
    }
    await(server.close());
    if (ownsVertx) {
      await(vertx.close());
    }
  }

  private static void await(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // closing is best effort: the threads are daemons
    }
  }

  // ---------------------------------------------------------------- requests

  private void handle(HttpServerRequest req) {
    requests.incrementAndGet();
    long started = System.nanoTime();
    Map<String, String> headers = commonHeaders();
    req.response().exceptionHandler(ignored -> { }); // a client that hangs up is not our error
    String path = req.path();
    HttpMethod method = req.method();
    Endpoint endpoint = IMAGE_PATHS.get(path);
    try {
      FaultPlan headerFault = FaultPlan.fromHeader(req.getHeader(FaultPlan.HEADER),
          req.getHeader(FaultPlan.KEY_HEADER));
      if (endpoint != null) {
        requireMethod(method, HttpMethod.POST, path);
        authorize(req);
        readImageRequest(req, endpoint, headers, headerFault, started);
      } else if (path.equals("/v1/models") || path.startsWith("/v1/models/")) {
        requireMethod(method, HttpMethod.GET, path);
        authorize(req);
        send(req, models(path.substring("/v1/models".length())), null, headers, started);
      } else if (batchApi.owns(path)) {
        authorize(req);
        batchApi.handle(req).onComplete(ar ->
            send(req, ar.succeeded() ? ar.result() : internalError(ar.cause()), null, headers, started));
      } else if (path.startsWith("/v1/files/") && path.indexOf('/', "/v1/files/".length()) < 0) {
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
          throw methodNotAllowed(method, path, "GET");
        }
        serveFile(req, path.substring("/v1/files/".length()), headerFault, headers, started);
      } else {
        throw new ApiFailure(404, "invalid_request_error", null, "unknown_url",
            "Invalid URL (" + method.name() + " " + path + ")");
      }
    } catch (ApiFailure f) {
      if (f.status == 405) {
        headers.put("allow", endpoint != null ? "POST" : path.startsWith("/v1/files/") ? "GET, HEAD" : "GET");
      }
      send(req, Reply.error(f), null, headers, started);
    }
  }

  private static void requireMethod(HttpMethod method, HttpMethod allowed, String path) {
    if (method != allowed) {
      throw methodNotAllowed(method, path, allowed.name());
    }
  }

  private static ApiFailure methodNotAllowed(HttpMethod method, String path, String allow) {
    return new ApiFailure(405, "invalid_request_error", null, "method_not_allowed",
        "Invalid method for URL (" + method.name() + " " + path + "); use " + allow);
  }

  private void authorize(HttpServerRequest req) {
    String key = settings.apiKey();
    if (key == null) {
      return;
    }
    String auth = req.getHeader("authorization");
    if (auth == null || auth.isBlank()) {
      throw new ApiFailure(401, "invalid_request_error", null, "invalid_api_key", "You didn't provide an API key. "
          + "You need to provide your API key in an Authorization header using Bearer auth "
          + "(i.e. Authorization: Bearer YOUR_KEY).");
    }
    String given = auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : "";
    // constant time: a test server is no reason to leak the key a byte at a time
    if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiFailure(401, "invalid_request_error", null, "invalid_api_key",
          "Incorrect API key provided. The local backend was started with a different key.");
    }
  }

  /** Reads the body within the size limit, JSON or multipart, then hands the request on. */
  private void readImageRequest(HttpServerRequest req, Endpoint endpoint, Map<String, String> headers,
      FaultPlan headerFault, long started) {
    long max = settings.maxBodyBytes();
    String declared = req.getHeader("content-length");
    if (declared != null && parseLong(declared) > max) {
      tooLarge(req, headers, started, parseLong(declared));
      return;
    }
    String type = req.getHeader("content-type");
    boolean json = type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json");
    // edits come as a form or, with images by URL or file id, as JSON; variations only as a form
    boolean multipart = endpoint == Endpoint.VARIATIONS || endpoint == Endpoint.EDITS && !json;
    if (multipart && (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data"))) {
      throw ApiFailure.invalid(null, "Invalid Content-Type header (" + type + "), expected multipart/form-data"
          + (endpoint == Endpoint.EDITS ? " (or application/json with images: [{\"image_url\": ...}])" : "") + ". "
          + "Send images/" + endpoint.name().toLowerCase(Locale.ROOT) + " as a form with the image as a file part.");
    }
    Buffer body = Buffer.buffer();
    List<ImageJob.Upload> uploads = new ArrayList<>();
    long[] received = {0};
    boolean[] failed = {false}; // answered already: too large or unreadable
    if (multipart) {
      req.setExpectMultipart(true);
      req.uploadHandler(upload -> {
        Buffer data = Buffer.buffer();
        upload.handler(chunk -> {
          if (!failed[0]) {
            data.appendBuffer(chunk);
          }
        });
        upload.endHandler(v -> uploads.add(new ImageJob.Upload(upload.name(), upload.filename(),
            upload.contentType(), data.getBytes())));
      });
    }
    req.handler(chunk -> {
      received[0] += chunk.length();
      if (failed[0]) {
        return;
      }
      if (received[0] > max) {
        failed[0] = true;
        tooLarge(req, headers, started, received[0]);
      } else if (!multipart) {
        body.appendBuffer(chunk);
      }
    });
    req.exceptionHandler(err -> {
      if (!failed[0]) {
        failed[0] = true;
        send(req, Reply.error(ApiFailure.invalid(null, "The request body could not be read: " + err.getMessage())),
            null, headers, started);
      }
    });
    req.endHandler(v -> {
      if (failed[0]) {
        return;
      }
      try {
        ImageJob job = multipart ? formJob(endpoint, req.formAttributes(), uploads)
            : RequestParser.fromJson(endpoint, body, this::storedImage);
        ImageService.Plan plan = service.check(job);
        remember(job, endpoint);
        perform(req, plan, headers, headerFault, latencyFor(req), started);
      } catch (ApiFailure f) {
        send(req, Reply.error(f), null, headers, started);
      }
    });
  }

  private static ImageJob formJob(Endpoint endpoint, MultiMap form, List<ImageJob.Upload> uploads) {
    List<ImageJob.Upload> images = new ArrayList<>();
    ImageJob.Upload mask = null;
    for (ImageJob.Upload u : uploads) {
      switch (u.field()) {
        case "image", "image[]" -> images.add(u);
        case "mask" -> {
          if (mask != null) {
            throw ApiFailure.invalid("mask", "only one mask may be sent");
          }
          mask = u;
        }
        default -> throw ApiFailure.invalid(u.field(), "Unexpected file part '" + u.field()
            + "'; files go in image, image[] or mask");
      }
    }
    return RequestParser.fromForm(endpoint, form, images, mask);
  }

  /**
   * Answers 413 at once, reads and drops whatever more the client sends (so it sees the answer
   * rather than a reset mid-upload), and closes the connection when the body ends or after 5 s.
   */
  private void tooLarge(HttpServerRequest req, Map<String, String> headers, long started, long size) {
    headers.put("connection", "close"); // so the client does not reuse a connection about to close
    req.handler(ignored -> { });
    req.endHandler(v -> req.connection().close());
    vertx.setTimer(5000, t -> req.connection().close());
    send(req, Reply.error(new ApiFailure(413, "invalid_request_error", null, "request_too_large",
        "Request body is too large (" + size + " bytes or more); the local backend accepts at most "
            + settings.maxBodyBytes() + " bytes.")), null, headers, started);
  }

  /**
   * Plays a refusing fault, or counts the generation (before any waiting, so a client that gives
   * up and retries shows as two) and makes the images on a worker while the latency runs.
   */
  private void perform(HttpServerRequest req, ImageService.Plan plan, Map<String, String> headers,
      FaultPlan headerFault, long latencyMs, long started) {
    FaultPlan fault = headerFault != null && headerFault.plays(faultCounter) ? headerFault : configuredFault();
    if (fault != null && fault.fault().refusal()) {
      later(latencyMs, () -> send(req, Refusals.of(fault), null, headers, started));
      return;
    }
    generations.incrementAndGet();
    perEndpoint.get(plan.endpoint()).incrementAndGet();
    tally.generated(plan.prompt());
    String fileBase = origin(req) + "/v1/files/";
    long spacing = plan.stream() ? latencyMs / Math.max(1, (long) plan.n() * (plan.partials() + 1)) : 0;
    Future<Reply> made = vertx.executeBlocking(() -> service.answer(plan, fileBase, spacing), false);
    Promise<Void> waited = Promise.promise();
    later(plan.stream() ? 0 : latencyMs, waited::complete); // a stream spreads the latency over its events
    Future.all(made, waited.future()).onComplete(all -> {
      Reply reply = made.succeeded() ? made.result() : internalError(made.cause());
      Future<Void> written = send(req, reply, fault, headers, started);
      if (reply.status() / 100 == 2) {
        written.onSuccess(v -> tally.delivered(plan.prompt()));
      }
    });
  }

  private FaultPlan configuredFault() {
    Fault f = settings.fault();
    if (f == null) {
      return null;
    }
    if (settings.faultTimes() >= 0 && configuredFaultsLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) <= 0) {
      return null;
    }
    return FaultPlan.of(f);
  }

  private static Reply internalError(Throwable cause) {
    return Reply.error(500, new ApiError("The local backend failed to make the image: " + cause,
        "server_error", null, null));
  }

  private void later(long ms, Runnable action) {
    if (ms <= 0) {
      action.run();
    } else {
      vertx.setTimer(ms, t -> action.run());
    }
  }

  private long latencyFor(HttpServerRequest req) {
    String h = req.getHeader(LATENCY_HEADER);
    long min = settings.latencyMin().toMillis(), max = settings.latencyMax().toMillis();
    if (h != null) {
      String[] range = h.strip().split("\\s*-\\s*", 2);
      min = parseLong(range[0]);
      max = range.length == 2 ? parseLong(range[1]) : min;
      if (min < 0 || max < min) {
        throw ApiFailure.invalid(null, LATENCY_HEADER + " '" + h + "' must be milliseconds, N or MIN-MAX");
      }
    }
    return max > min ? ThreadLocalRandom.current().nextLong(min, max + 1) : min;
  }

  /**
   * An image a JSON edit names by file id or URL that this backend holds: a file it served for a
   * {@code url} answer (by its name, or its {@code /v1/files/...} URL); {@code null} otherwise.
   */
  private FileStore.StoredFile storedImage(String fileIdOrUrl) {
    int files = fileIdOrUrl.indexOf("/v1/files/");
    return this.files.get(files < 0 ? fileIdOrUrl : fileIdOrUrl.substring(files + "/v1/files/".length()));
  }

  private void serveFile(HttpServerRequest req, String name, FaultPlan fault, Map<String, String> headers,
      long started) {
    if (fault != null && !fault.plays(faultCounter)) {
      fault = null;
    }
    FileStore.StoredFile f = files.get(name);
    if (f == null) {
      throw new ApiFailure(404, "invalid_request_error", null, "file_not_found", "No image file '" + name
          + "': it never existed or its URL expired (URLs are valid for "
          + settings.urlExpiry().toMinutes() + " minutes after the image was made)");
    }
    if (fault != null && fault.fault().refusal()) {
      send(req, Refusals.of(fault), null, headers, started);
      return;
    }
    Reply reply = Reply.of(200, f.mimeType(), Reply.wrap(f.bytes()));
    if (req.method() == HttpMethod.HEAD) {
      reply.pieces().clear();
      reply.header("content-length", String.valueOf(f.bytes().length));
    }
    send(req, reply, fault, headers, started);
  }

  /**
   * {@code GET /v1/models} lists the live models of the catalogue; {@code /v1/models/{id}} also
   * knows the shut-down ones, with their {@code shutdown_date}, since the backend still serves them.
   */
  private static Reply models(String rest) {
    if (rest.isEmpty() || rest.equals("/")) {
      List<Map<String, Object>> data = new ArrayList<>();
      ModelCatalog.liveIds(ModelCatalog.today()).forEach(id -> data.add(model(ModelCatalog.find(id).orElseThrow())));
      Map<String, Object> list = new LinkedHashMap<>();
      list.put("object", "list");
      list.put("data", data);
      return Reply.json(200, list);
    }
    String id = rest.substring(1);
    ModelInfo info = ModelCatalog.find(id).orElseThrow(() -> new ApiFailure(404, "invalid_request_error", "model",
        "model_not_found", "The model '" + id + "' does not exist or you do not have access to it."));
    return Reply.json(200, model(info));
  }

  private static Map<String, Object> model(ModelInfo info) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", info.id());
    m.put("object", "model");
    m.put("created", MODELS_CREATED);
    m.put("owned_by", "system");
    m.put("shutdown_date", info.shutdownDate() == null ? null : info.shutdownDate().toString());
    return m;
  }

  private Future<Void> send(HttpServerRequest req, Reply reply, FaultPlan fault, Map<String, String> headers,
      long started) {
    headers.put("openai-processing-ms", String.valueOf((System.nanoTime() - started) / 1_000_000));
    return ReplySender.send(vertx, req, reply, fault, headers);
  }

  /** Scheme, host and port the client used, so {@code url} results work however it reached us. */
  private String origin(HttpServerRequest req) {
    HostAndPort authority = req.authority();
    if (authority == null) {
      return baseUrl().substring(0, baseUrl().length() - "/v1".length());
    }
    String host = authority.host();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + (authority.port() > 0 ? ":" + authority.port() : "");
  }

  /** {@code x-request-id} and the rate-limit headers real servers send with every answer. */
  private Map<String, String> commonHeaders() {
    long now = System.nanoTime();
    long start = windowStart.get();
    if (now - start >= Duration.ofMinutes(1).toNanos() && windowStart.compareAndSet(start, now)) {
      windowCount.set(0);
      start = now;
    }
    long used = windowCount.incrementAndGet();
    long resetMs = Math.max(0, (start + Duration.ofMinutes(1).toNanos() - now) / 1_000_000);
    Map<String, String> h = new LinkedHashMap<>();
    byte[] id = new byte[16];
    ThreadLocalRandom.current().nextBytes(id);
    h.put("x-request-id", "req_" + HexFormat.of().formatHex(id));
    h.put("openai-version", "2020-10-01");
    h.put("x-ratelimit-limit-requests", String.valueOf(RATE_LIMIT_PER_MINUTE));
    h.put("x-ratelimit-remaining-requests", String.valueOf(Math.max(0, RATE_LIMIT_PER_MINUTE - used)));
    h.put("x-ratelimit-reset-requests", resetMs + "ms");
    return h;
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
