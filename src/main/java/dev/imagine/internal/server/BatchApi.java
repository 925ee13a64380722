package dev.imagine.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagine.internal.rules.ImageParams.Endpoint;
import dev.imagine.internal.wire.Json;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The local backend's Files and Batch APIs, enough for a batch of images to run offline:
 * {@code POST /v1/files} (multipart, {@code purpose=batch}), {@code GET /v1/files/{id}} and
 * {@code /content}; {@code POST /v1/batches}, {@code GET /v1/batches} and {@code /{id}},
 * {@code POST /v1/batches/{id}/cancel}. A batch goes {@code validating → in_progress →
 * finalizing → completed} (or {@code cancelling → cancelled}), each step after the processing
 * delay, making its lines' images one at a time off the event loop.
 *
 * <p>For tests, on {@code POST /v1/batches}: {@code x-imagine-batch-delay-ms: N} sets the wait at
 * each step (default 200), and {@code x-imagine-batch-fail: 3,7} makes the lines with those
 * {@code custom_id}s fail with a 500 in the error file.
 */
final class BatchApi {
  static final String DELAY_HEADER = "x-imagine-batch-delay-ms";
  static final String FAIL_HEADER = "x-imagine-batch-fail";
  private static final long DEFAULT_DELAY_MS = 200;
  private static final int MAX_LINES = 50_000;
  private static final Map<String, Endpoint> ENDPOINTS = Map.of(
      "/v1/images/generations", Endpoint.GENERATIONS, "/v1/images/edits", Endpoint.EDITS);

  /** One route: a method and a path pattern, and what answers it. */
  private record Route(HttpMethod method, Pattern path, BiFunction<HttpServerRequest, Matcher, Future<Reply>> answer) {}

  private record StoredFile(String id, String filename, String purpose, byte[] bytes, long createdAt) {}

  private final Vertx vertx;
  private final ImageService service;
  private final Consumer<Endpoint> counter;
  private final List<Route> routes = new ArrayList<>();
  private final Map<String, StoredFile> files = new LinkedHashMap<>();
  private final Map<String, Job> batches = new LinkedHashMap<>();

  BatchApi(Vertx vertx, ImageService service, Consumer<Endpoint> counter) {
    this.vertx = vertx;
    this.service = service;
    this.counter = counter;
    routes.add(new Route(HttpMethod.POST, Pattern.compile("/v1/files"), (req, m) -> upload(req)));
    routes.add(new Route(HttpMethod.GET, Pattern.compile("/v1/files"), (req, m) -> Future.succeededFuture(fileList())));
    routes.add(new Route(HttpMethod.GET, Pattern.compile("/v1/files/(file-[^/]+)"),
        (req, m) -> Future.succeededFuture(Reply.json(200, fileObject(file(m.group(1)))))));
    routes.add(new Route(HttpMethod.GET, Pattern.compile("/v1/files/(file-[^/]+)/content"), (req, m) -> {
      StoredFile f = file(m.group(1));
      return Future.succeededFuture(Reply.of(200, "application/octet-stream", Reply.wrap(f.bytes())));
    }));
    routes.add(new Route(HttpMethod.POST, Pattern.compile("/v1/batches"), this::create));
    routes.add(new Route(HttpMethod.GET, Pattern.compile("/v1/batches"), (req, m) -> Future.succeededFuture(batchList())));
    routes.add(new Route(HttpMethod.GET, Pattern.compile("/v1/batches/([^/]+)"),
        (req, m) -> Future.succeededFuture(Reply.json(200, job(m.group(1)).toJson()))));
    routes.add(new Route(HttpMethod.POST, Pattern.compile("/v1/batches/([^/]+)/cancel"), (req, m) -> cancel(m.group(1))));
  }

  /** Whether this path is one of ours (image URL files {@code /v1/files/img-…} are not). */
  boolean owns(String path) {
    return path.equals("/v1/files") || path.startsWith("/v1/files/file-")
        || path.equals("/v1/batches") || path.startsWith("/v1/batches/");
  }

  /** The answer for a request on one of our paths; 404 or 405 (with the allowed methods) from the table. */
  Future<Reply> handle(HttpServerRequest req) {
    String path = req.path();
    List<String> allowed = new ArrayList<>();
    for (Route r : routes) {
      Matcher m = r.path().matcher(path);
      if (m.matches()) {
        if (r.method() == req.method()) {
          try {
            return r.answer().apply(req, m);
          } catch (ApiFailure f) {
            return Future.succeededFuture(Reply.error(f));
          }
        }
        allowed.add(r.method().name());
      }
    }
    if (allowed.isEmpty()) {
      return Future.succeededFuture(Reply.error(new ApiFailure(404, "invalid_request_error", null, "unknown_url",
          "Invalid URL (" + req.method().name() + " " + path + ")")));
    }
    return Future.succeededFuture(Reply.error(new ApiFailure(405, "invalid_request_error", null, "method_not_allowed",
        "Invalid method for URL (" + req.method().name() + " " + path + "); use " + String.join(", ", allowed)))
        .header("allow", String.join(", ", allowed)));
  }

  // ---------------------------------------------------------------- files

  private Future<Reply> upload(HttpServerRequest req) {
    String type = req.getHeader("content-type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
      throw ApiFailure.invalid(null, "Upload a file as multipart/form-data with the fields 'file' and 'purpose'");
    }
    Promise<Reply> answer = Promise.promise();
    req.setExpectMultipart(true);
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    String[] filename = {null};
    req.uploadHandler(u -> {
      if (u.name().equals("file")) {
        filename[0] = u.filename();
        u.handler(chunk -> data.writeBytes(chunk.getBytes()));
      } else {
        u.handler(chunk -> { });
      }
    });
    req.exceptionHandler(e -> answer.tryComplete(Reply.error(ApiFailure.invalid(null, "The upload could not be read: " + e))));
    req.endHandler(v -> {
      try {
        String purpose = req.formAttributes().get("purpose");
        if (purpose == null || purpose.isBlank()) {
          throw ApiFailure.invalid("purpose", "Missing required parameter: 'purpose'.");
        }
        if (filename[0] == null) {
          throw ApiFailure.invalid("file", "Missing required parameter: 'file'.");
        }
        StoredFile f = new StoredFile(id("file-"), filename[0], purpose, data.toByteArray(), Instant.now().getEpochSecond());
        synchronized (this) {
          files.put(f.id(), f);
        }
        answer.tryComplete(Reply.json(200, fileObject(f)));
      } catch (ApiFailure f) {
        answer.tryComplete(Reply.error(f));
      }
    });
    return answer.future();
  }

  private synchronized StoredFile file(String id) {
    StoredFile f = files.get(id);
    if (f == null) {
      throw new ApiFailure(404, "invalid_request_error", "file_id", "file_not_found", "No such File object: " + id);
    }
    return f;
  }

  private synchronized StoredFile store(String filename, String purpose, byte[] bytes) {
    StoredFile f = new StoredFile(id("file-"), filename, purpose, bytes, Instant.now().getEpochSecond());
    files.put(f.id(), f);
    return f;
  }

  private static ObjectNode fileObject(StoredFile f) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", f.id());
    o.put("object", "file");
    o.put("bytes", f.bytes().length);
    o.put("created_at", f.createdAt());
    o.put("filename", f.filename());
    o.put("purpose", f.purpose());
    o.put("status", "processed");
    return o;
  }

  private synchronized Reply fileList() {
    ObjectNode list = Json.MAPPER.createObjectNode();
    list.put("object", "list");
    ArrayNode data = list.putArray("data");
    files.values().forEach(f -> data.add(fileObject(f)));
    return Reply.json(200, list);
  }

  // ---------------------------------------------------------------- batches

  private Future<Reply> create(HttpServerRequest req, Matcher unused) {
    long delay = parseDelay(req.getHeader(DELAY_HEADER));
    Set<String> failing = req.getHeader(FAIL_HEADER) == null ? Set.of()
        : java.util.Arrays.stream(req.getHeader(FAIL_HEADER).split(",")).map(String::strip).collect(Collectors.toSet());
    return req.body().map(body -> {
      JsonNode root;
      try {
        root = Json.MAPPER.readTree(body.getBytes());
      } catch (IOException e) {
        throw ApiFailure.invalid(null, "We could not parse the JSON body of your request.");
      }
      if (root == null || !root.isObject()) {
        throw ApiFailure.invalid(null, "The request body must be a JSON object with input_file_id, endpoint and completion_window");
      }
      String inputFileId = root.path("input_file_id").asText(null);
      String endpoint = root.path("endpoint").asText(null);
      String window = root.path("completion_window").asText(null);
      if (inputFileId == null) {
        throw ApiFailure.invalid("input_file_id", "Missing required parameter: 'input_file_id'.");
      }
      if (endpoint == null || !ENDPOINTS.containsKey(endpoint)) {
        throw ApiFailure.invalid("endpoint", "Invalid 'endpoint': '" + endpoint + "'. The local backend batches "
            + String.join(" and ", ENDPOINTS.keySet()));
      }
      if (!"24h".equals(window)) {
        throw ApiFailure.invalid("completion_window", "Invalid 'completion_window': '" + window + "'. Use '24h'.");
      }
      StoredFile input = file(inputFileId);
      if (!"batch".equals(input.purpose())) {
        throw ApiFailure.invalid("input_file_id", "File " + inputFileId + " has purpose '" + input.purpose()
            + "', not 'batch'.");
      }
      Job job = new Job(id("batch_"), input, endpoint, delay, failing, root.path("metadata"));
      synchronized (this) {
        batches.put(job.id, job);
      }
      vertx.setTimer(Math.max(1, delay), t -> job.start());
      return Reply.json(200, job.toJson());
    }).recover(e -> e instanceof ApiFailure f ? Future.succeededFuture(Reply.error(f)) : Future.failedFuture(e));
  }

  private Future<Reply> cancel(String id) {
    Job job = job(id);
    job.cancel();
    return Future.succeededFuture(Reply.json(200, job.toJson()));
  }

  private synchronized Job job(String id) {
    Job j = batches.get(id);
    if (j == null) {
      throw new ApiFailure(404, "invalid_request_error", null, "batch_not_found", "No batch found with id '" + id + "'.");
    }
    return j;
  }

  private synchronized Reply batchList() {
    ObjectNode list = Json.MAPPER.createObjectNode();
    list.put("object", "list");
    ArrayNode data = list.putArray("data");
    List<Job> newestFirst = new ArrayList<>(batches.values());
    java.util.Collections.reverse(newestFirst);
    newestFirst.forEach(j -> data.add(j.toJson()));
    list.put("has_more", false);
    return Reply.json(200, list);
  }

  private static long parseDelay(String header) {
    if (header == null) {
      return DEFAULT_DELAY_MS;
    }
    try {
      long ms = Long.parseLong(header.strip());
      if (ms >= 0) {
        return ms;
      }
    } catch (NumberFormatException ignored) {
      // below
    }
    throw ApiFailure.invalid(null, DELAY_HEADER + " must be a number of milliseconds, not '" + header + "'");
  }

  private static String id(String prefix) {
    byte[] random = new byte[12];
    ThreadLocalRandom.current().nextBytes(random);
    return prefix + HexFormat.of().formatHex(random);
  }

  /** One batch and its progress; its fields are guarded by itself. */
  private final class Job {
    final String id;
    final StoredFile input;
    final String endpoint;
    final long delayMs;
    final Set<String> failing;
    final JsonNode metadata;
    final long createdAt = Instant.now().getEpochSecond();
    String status = "validating";
    int total;
    int completed;
    int failed;
    boolean cancelRequested;
    String outputFileId;
    String errorFileId;
    final Map<String, Long> times = new LinkedHashMap<>();
    ObjectNode validationError;

    Job(String id, StoredFile input, String endpoint, long delayMs, Set<String> failing, JsonNode metadata) {
      this.id = id;
      this.input = input;
      this.endpoint = endpoint;
      this.delayMs = delayMs;
      this.failing = failing;
      this.metadata = metadata;
    }

    /** Validates the input lines, then makes them one by one on a worker. */
    void start() {
      List<JsonNode> lines;
      try {
        lines = parseLines();
      } catch (ApiFailure f) {
        synchronized (this) {
          status = "failed";
          validationError = Json.MAPPER.createObjectNode();
          validationError.put("code", f.error.code() == null ? "invalid_request" : f.error.code());
          validationError.put("message", f.error.message());
          times.put("failed_at", Instant.now().getEpochSecond());
        }
        return;
      }
      synchronized (this) {
        if (cancelRequested) {
          finish("cancelled", new ByteArrayOutputStream(), new ByteArrayOutputStream());
          return;
        }
        total = lines.size();
        status = "in_progress";
        times.put("in_progress_at", Instant.now().getEpochSecond());
      }
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      ByteArrayOutputStream errors = new ByteArrayOutputStream();
      vertx.executeBlocking(() -> {
        for (JsonNode line : lines) {
          synchronized (this) {
            if (cancelRequested) {
              break;
            }
          }
          boolean ok = runLine(line, output, errors);
          synchronized (this) {
            if (ok) {
              completed++;
            } else {
              failed++;
            }
          }
        }
        return null;
      }, false).onComplete(done -> {
        synchronized (this) {
          if (cancelRequested) {
            finish("cancelled", output, errors);
            return;
          }
          status = "finalizing";
          times.put("finalizing_at", Instant.now().getEpochSecond());
        }
        vertx.setTimer(Math.max(1, delayMs), t -> {
          synchronized (this) {
            finish("completed", output, errors);
          }
        });
      });
    }

    private List<JsonNode> parseLines() {
      String text = new String(input.bytes(), StandardCharsets.UTF_8);
      List<JsonNode> lines = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      int number = 0;
      for (String raw : text.split("\n")) {
        number++;
        if (raw.isBlank()) {
          continue;
        }
        JsonNode line;
        try {
          line = Json.MAPPER.readTree(raw);
        } catch (IOException e) {
          throw ApiFailure.invalid(null, "invalid_json_line", "Line " + number + " of the input file is not valid JSON.");
        }
        String customId = line.path("custom_id").asText(null);
        if (customId == null || !ids.add(customId)) {
          throw ApiFailure.invalid(null, "duplicate_custom_id", "Line " + number + ": custom_id is missing or not unique ("
              + customId + ").");
        }
        if (!endpoint.equals(line.path("url").asText()) || !"POST".equals(line.path("method").asText())) {
          throw ApiFailure.invalid(null, "mismatched_endpoint", "Line " + number + ": 'method' must be POST and 'url' "
              + endpoint + " like the batch's endpoint.");
        }
        lines.add(line);
      }
      if (lines.isEmpty() || lines.size() > MAX_LINES) {
        throw ApiFailure.invalid(null, "invalid_request", "A batch needs 1 to " + MAX_LINES + " requests, not " + lines.size() + ".");
      }
      return lines;
    }

    /** Makes one line's images and writes its output line; false when the line failed. */
    private boolean runLine(JsonNode line, ByteArrayOutputStream output, ByteArrayOutputStream errors) {
      String customId = line.path("custom_id").asText();
      String requestId = id("req_");
      ObjectNode head = Json.MAPPER.createObjectNode();
      head.put("id", id("batch_req_"));
      head.put("custom_id", customId);
      Reply reply;
      if (failing.contains(customId)) {
        reply = Reply.error(new ApiFailure(500, "server_error", null, null,
            "The server had an error while processing your request (local backend fault injection)."));
      } else {
        try {
          Endpoint e = ENDPOINTS.get(endpoint);
          byte[] body = Json.MAPPER.writeValueAsBytes(line.path("body"));
          ImageService.Plan plan = service.check(RequestParser.fromJson(e, Buffer.buffer(body)));
          counter.accept(plan.endpoint());
          reply = service.answer(plan, "", 0);
        } catch (ApiFailure f) {
          reply = Reply.error(f);
        } catch (IOException | RuntimeException ex) {
          reply = Reply.error(new ApiFailure(500, "server_error", null, null, "The local backend failed: " + ex));
        }
      }
      boolean ok = reply.status() == 200;
      ByteArrayOutputStream target = ok ? output : errors;
      String prefix = head.toString();
      target.writeBytes(prefix.substring(0, prefix.length() - 1).getBytes(StandardCharsets.UTF_8));
      target.writeBytes((",\"response\":{\"status_code\":" + reply.status() + ",\"request_id\":\"" + requestId
          + "\",\"body\":").getBytes(StandardCharsets.UTF_8));
      for (Reply.Piece p : reply.pieces()) {
        target.writeBytes(p.data().getBytes());
      }
      target.writeBytes("},\"error\":null}\n".getBytes(StandardCharsets.UTF_8));
      return ok;
    }

    synchronized void cancel() {
      if (status.equals("validating") || status.equals("in_progress")) {
        cancelRequested = true;
        status = "cancelling";
        times.put("cancelling_at", Instant.now().getEpochSecond());
      }
    }

    /** Called holding the lock. */
    private void finish(String end, ByteArrayOutputStream output, ByteArrayOutputStream errors) {
      if (output.size() > 0) {
        outputFileId = store(id + "_output.jsonl", "batch_output", output.toByteArray()).id();
      }
      if (errors.size() > 0) {
        errorFileId = store(id + "_errors.jsonl", "batch_output", errors.toByteArray()).id();
      }
      status = end;
      times.put(end + "_at", Instant.now().getEpochSecond());
    }

    synchronized ObjectNode toJson() {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("id", id);
      o.put("object", "batch");
      o.put("endpoint", endpoint);
      o.put("input_file_id", input.id());
      o.put("completion_window", "24h");
      o.put("status", status);
      o.put("output_file_id", outputFileId);
      o.put("error_file_id", errorFileId);
      o.put("created_at", createdAt);
      o.put("expires_at", createdAt + 24 * 3600);
      times.forEach(o::put);
      ObjectNode counts = o.putObject("request_counts");
      counts.put("total", total);
      counts.put("completed", completed);
      counts.put("failed", failed);
      if (validationError != null) {
        o.putObject("errors").put("object", "list").putArray("data").add(validationError);
      }
      if (metadata != null && metadata.isObject()) {
        o.set("metadata", metadata);
      }
      return o;
    }
  }
}
