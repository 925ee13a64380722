package dev.imagine.internal.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagine.GeneratedImage;
import dev.imagine.ImageInput;
import dev.imagine.ImageRequest;
import dev.imagine.ImagesClient;
import dev.imagine.ImagineException;
import dev.imagine.batch.BatchProgress;
import dev.imagine.batch.BatchReport;
import dev.imagine.batch.ItemOutcome.Status;
import dev.imagine.internal.files.AtomicFiles;
import dev.imagine.internal.http.ApiCalls;
import dev.imagine.internal.http.ClientAccess;
import dev.imagine.internal.http.RequestBodies;
import dev.imagine.internal.wire.Json;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Batch API mode: writes the items as JSONL request lines ({@code custom_id} = item number),
 * uploads them ({@code purpose=batch}), creates a batch per endpoint and per limit-sized chunk,
 * and waits for it, polling with backoff; then downloads the output and error files and saves each
 * item's images or records why it failed. The journal records the input file before the batch is
 * created and the batch id once it is, so a killed run re-attaches to its batch (also when it was
 * killed while creating it: the batch is looked up by its input file) and never creates a second.
 */
public final class ProviderBatchRunner {
  private static final String WINDOW = "24h";
  private static final Set<String> FINISHED = Set.of("completed", "failed", "expired", "cancelled");

  private final List<ImageRequest> asked;
  private List<ImageRequest> requests;
  private final BatchSettings settings;
  private final ImagesClient client;
  private final ApiCalls api;
  private BatchFolder folder;
  private long started;
  private int imagesThisRun;
  private int failedThisRun;
  private BigDecimal spent = BigDecimal.ZERO;
  private String stopReason;
  private final Map<String, JsonNode> lastSeen = new LinkedHashMap<>();

  public ProviderBatchRunner(List<ImageRequest> requests, BatchSettings settings) {
    this.asked = requests;
    this.settings = settings;
    this.client = settings.client();
    this.api = ClientAccess.transport(client).api();
  }

  public BatchReport run() {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("a batch blocks until it is done and must not run on a Vert.x event loop");
    }
    requests = DirectRunner.checkAll(asked, client);
    started = System.nanoTime();
    folder = BatchFolder.open(settings.out(), asked, "batch-api");
    try {
      folder.settleInterrupted();
      resolveSubmitting();
      List<Integer> todo = withinBudget(folder.toSend(settings.retryUnknown()));
      for (List<Integer> chunk : chunks(todo)) {
        submit(chunk);
      }
      waitForOpenBatches();
      return folder.report(Duration.ofNanos(System.nanoTime() - started), Optional.of(spent), stopReason);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopReason = "the run was interrupted; the provider batch goes on: run the same command again to collect it";
      return folder.report(Duration.ofNanos(System.nanoTime() - started), Optional.of(spent), stopReason);
    } finally {
      folder.close();
    }
  }

  /**
   * Asks the provider to cancel every batch of the folder still running; items already made are
   * collected by the next run.
   *
   * @return the batch ids asked to cancel
   */
  public static List<String> cancel(Path out, ImagesClient client) {
    ApiCalls api = ClientAccess.transport(client).api();
    List<String> cancelled = new ArrayList<>();
    JournalState state = JournalState.replay(Journal.readOnly(out));
    for (JournalState.ProviderBatch b : state.batches.values()) {
      if (!b.finished()) {
        await(api.json(HttpMethod.POST, "batches/" + b.id() + "/cancel", Map.of()));
        cancelled.add(b.id());
      }
    }
    return cancelled;
  }

  // ---------------------------------------------------------------- submitting

  /** A run killed between uploading and recording the batch: find the batch by its input file, or start over. */
  private void resolveSubmitting() {
    if (folder.state.submitting.isEmpty()) {
      return;
    }
    JsonNode list = await(api.json(HttpMethod.GET, "batches?limit=100", null));
    for (Map.Entry<String, List<Integer>> s : new LinkedHashMap<>(folder.state.submitting).entrySet()) {
      JsonNode found = null;
      for (JsonNode b : list.path("data")) {
        if (s.getKey().equals(b.path("input_file_id").asText())) {
          found = b;
        }
      }
      ObjectNode e;
      if (found != null) {
        e = created(found.path("id").asText(), s.getKey(), s.getValue());
      } else {
        e = Journal.event("batch_abandoned");
        e.put("input_file_id", s.getKey());
      }
      folder.record(e);
    }
  }

  private List<Integer> withinBudget(List<Integer> todo) {
    List<Integer> fits = new ArrayList<>();
    BigDecimal sum = BigDecimal.ZERO;
    for (int item : todo) {
      Optional<BigDecimal> one = Pricing.estimate(client, requests.get(item - 1), true);
      if (settings.budget() != null) {
        if (one.isEmpty()) {
          stopReason = "no price is known for model " + requests.get(item - 1).model() + " (item " + item
              + "), so the budget of $" + settings.budget().toPlainString() + " cannot be kept; nothing was sent";
          return List.of();
        }
        if (sum.add(one.get()).compareTo(settings.budget()) > 0) {
          stopReason = "the budget of $" + settings.budget().toPlainString() + " is reached at the batch price ($"
              + sum.toPlainString() + " for " + fits.size() + " items); the rest are sent by the next run";
          break;
        }
      }
      sum = sum.add(one.orElse(BigDecimal.ZERO));
      fits.add(item);
    }
    spent = sum;
    return fits;
  }

  /** The items split by endpoint (a batch has one) and by the request and size limits. */
  private List<List<Integer>> chunks(List<Integer> todo) {
    Map<String, List<List<Integer>>> byEndpoint = new LinkedHashMap<>();
    Map<String, Long> bytes = new LinkedHashMap<>();
    for (int item : todo) {
      String url = url(requests.get(item - 1));
      long size = line(item).length + 1L;
      List<List<Integer>> chunks = byEndpoint.computeIfAbsent(url, k -> new ArrayList<>());
      if (chunks.isEmpty() || chunks.get(chunks.size() - 1).size() >= settings.provider().maxRequests()
          || bytes.get(url) + size > settings.provider().maxBytes()) {
        chunks.add(new ArrayList<>());
        bytes.put(url, 0L);
      }
      chunks.get(chunks.size() - 1).add(item);
      bytes.put(url, bytes.get(url) + size);
    }
    return byEndpoint.values().stream().flatMap(List::stream).toList();
  }

  private void submit(List<Integer> items) {
    Path input = settings.out().resolve(".imagine-batch-input-" + items.get(0) + ".jsonl");
    try {
      try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
        for (int item : items) {
          w.write(new String(line(item), StandardCharsets.UTF_8));
          w.write('\n');
        }
      }
      JsonNode file = await(api.upload(input, "batch"));
      String fileId = file.path("id").asText();
      ObjectNode submitting = Journal.event("batch_submitting");
      submitting.put("input_file_id", fileId);
      items.forEach(submitting.withArray("items")::add);
      folder.record(submitting); // on disk before the batch is asked for
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("input_file_id", fileId);
      body.put("endpoint", url(requests.get(items.get(0) - 1)));
      body.put("completion_window", WINDOW);
      body.put("metadata", Map.of("imagine_batch", settings.out().toAbsolutePath().getFileName().toString()));
      JsonNode batch = await(api.json(HttpMethod.POST, "batches", body));
      folder.record(created(batch.path("id").asText(), fileId, items));
      lastSeen.put(batch.path("id").asText(), batch);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the batch input file " + input + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(input);
      } catch (IOException ignored) {
        // a hidden leftover, rewritten by the next run
      }
    }
  }

  private static ObjectNode created(String batchId, String fileId, List<Integer> items) {
    ObjectNode e = Journal.event("batch_created");
    e.put("batch_id", batchId);
    e.put("input_file_id", fileId);
    items.forEach(e.withArray("items")::add);
    return e;
  }

  /** One JSONL request line: {@code custom_id}, {@code method}, {@code url}, {@code body}. */
  private byte[] line(int item) {
    ImageRequest r = requests.get(item - 1);
    Map<String, Object> body = new LinkedHashMap<>(RequestBodies.fields(r));
    if (r.model().startsWith("dall-e") && r.responseFormat() == null) {
      body.put("response_format", "b64_json"); // a batch's answers come back as a file, not as URLs that expire
    }
    if (!r.images().isEmpty()) { // edits travel as JSON in a batch: images as data URLs
      List<Map<String, String>> images = new ArrayList<>();
      r.images().forEach(i -> images.add(Map.of("image_url", dataUrl(i))));
      body.put("images", images);
      if (r.mask() != null) {
        body.put("mask", Map.of("image_url", dataUrl(r.mask())));
      }
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("custom_id", String.valueOf(item));
    line.put("method", "POST");
    line.put("url", url(r));
    line.put("body", body);
    try {
      return Json.MAPPER.writeValueAsBytes(line);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write item " + item + " as a batch line", e);
    }
  }

  private static String dataUrl(ImageInput image) {
    return "data:" + image.mimeType() + ";base64," + Base64.getEncoder().encodeToString(image.bytes());
  }

  private static String url(ImageRequest r) {
    return r.images().isEmpty() ? "/v1/images/generations" : "/v1/images/edits";
  }

  // ---------------------------------------------------------------- waiting and collecting

  private void waitForOpenBatches() throws InterruptedException {
    long waitMs = settings.provider().pollInterval().toMillis();
    long maxWaitMs = Math.min(60_000, waitMs * 30);
    while (true) {
      List<JournalState.ProviderBatch> open = folder.state.batches.values().stream().filter(b -> !b.finished()).toList();
      if (open.isEmpty()) {
        progress("done");
        return;
      }
      for (JournalState.ProviderBatch b : open) {
        JsonNode batch;
        try {
          batch = await(api.json(HttpMethod.GET, "batches/" + b.id(), null));
        } catch (ImagineException e) {
          progress("could not ask for " + b.id() + " (" + e.getMessage() + "); asking again");
          continue; // a look is safe to repeat
        }
        seen(b.id(), batch);
        if (FINISHED.contains(batch.path("status").asText())) {
          try {
            collect(b, batch);
          } catch (CannotCollect e) {
            stopReason = e.getMessage();
            progress("stopped");
            return;
          }
        }
      }
      progress(statusWords());
      if (folder.state.batches.values().stream().anyMatch(b -> !b.finished())) {
        TimeUnit.MILLISECONDS.sleep(waitMs);
        waitMs = Math.min(maxWaitMs, (long) (waitMs * 1.5));
      }
    }
  }

  private void seen(String id, JsonNode batch) {
    JsonNode before = lastSeen.put(id, batch);
    JsonNode counts = batch.path("request_counts");
    if (before == null || !before.path("status").equals(batch.path("status"))
        || !before.path("request_counts").equals(counts)) {
      ObjectNode e = Journal.event("batch_status");
      e.put("batch_id", id);
      e.put("status", batch.path("status").asText());
      e.put("total", counts.path("total").asInt());
      e.put("completed", counts.path("completed").asInt());
      e.put("failed", counts.path("failed").asInt());
      folder.record(e);
    }
  }

  private void collect(JournalState.ProviderBatch b, JsonNode batch) {
    Set<Integer> answered = new HashSet<>();
    for (String field : List.of("output_file_id", "error_file_id")) {
      String fileId = batch.path(field).asText(null);
      if (fileId == null || fileId.isEmpty() || fileId.equals("null")) {
        continue;
      }
      Path part = settings.out().resolve(".imagine-batch-" + fileId + ".jsonl.part");
      try {
        try {
          await(api.download("files/" + fileId + "/content", part));
        } catch (UncheckedIOException e) {
          throw new CannotCollect(b, "cannot download its " + field.replace("_id", "").replace('_', ' ') + " into "
              + settings.out().toAbsolutePath(), e);
        }
        try (BufferedReader r = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
          String text;
          while ((text = r.readLine()) != null) {
            if (!text.isBlank()) {
              Integer item = outputLine(b, Json.MAPPER.readTree(text));
              if (item != null) {
                answered.add(item);
              }
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the batch's " + field + " " + fileId + ": " + e.getMessage()
            + "; run the same command again to collect it", e);
      } finally {
        try {
          Files.deleteIfExists(part);
        } catch (IOException ignored) {
          // hidden, replaced next time
        }
      }
    }
    String status = batch.path("status").asText();
    String why = status.equals("failed") ? failureWords(batch) : "the batch ended " + status + " before this item was made";
    for (int item : b.items()) {
      if (!answered.contains(item) && !isSaved(item)) {
        folder.failed(item, true, why + " (batch " + b.id() + ")", null);
        failedThisRun++;
      }
    }
    ObjectNode e = Journal.event("batch_finished");
    e.put("batch_id", b.id());
    e.put("status", status);
    folder.record(e);
  }

  /**
   * The folder cannot take a finished batch's results (a full disk, a folder made read-only): the
   * batch stays open in the journal, so the next run downloads its output again and saves what is
   * missing; nothing is made or paid for twice.
   */
  private static final class CannotCollect extends RuntimeException {
    CannotCollect(JournalState.ProviderBatch b, String what, UncheckedIOException e) {
      super("stopped collecting batch " + b.id() + ": " + what + " (" + reason(e) + "). Free some space there (or make"
          + " the folder writable), then run the same command again: the images are collected from the batch's output"
          + " file, which the provider keeps, not made again", e);
    }

    private static String reason(UncheckedIOException e) {
      return e.getCause() == null ? String.valueOf(e.getMessage()) : AtomicFiles.reason(e.getCause());
    }
  }

  private static String failureWords(JsonNode batch) {
    JsonNode first = batch.path("errors").path("data").path(0);
    return "the provider rejected the batch: " + first.path("message").asText("no reason given")
        + (first.hasNonNull("code") ? " (" + first.path("code").asText() + ")" : "");
  }

  /** Saves or records one output line; returns its item, or null for a line not of this batch. */
  private Integer outputLine(JournalState.ProviderBatch b, JsonNode line) {
    int item;
    try {
      item = Integer.parseInt(line.path("custom_id").asText());
    } catch (NumberFormatException e) {
      return null;
    }
    if (!b.items().contains(item) || isSaved(item)) {
      return b.items().contains(item) ? item : null;
    }
    JsonNode response = line.path("response");
    int statusCode = response.path("status_code").asInt(0);
    String requestId = response.path("request_id").asText(null);
    if (statusCode == 200 && response.path("body").path("data").isArray()) {
      List<GeneratedImage> images = new ArrayList<>();
      JsonNode data = response.path("body").path("data");
      ImageRequest request = requests.get(item - 1);
      for (int i = 0; i < data.size(); i++) {
        String b64 = data.get(i).path("b64_json").asText(null);
        if (b64 != null) {
          images.add(new GeneratedImage(Base64.getMimeDecoder().decode(b64), i, request.prompt(),
              data.get(i).path("revised_prompt").asText(null), null));
        }
      }
      if (images.isEmpty()) {
        folder.failed(item, true, "the batch's answer held no base64 image (request id " + requestId + ")", requestId);
        failedThisRun++;
        return item;
      }
      List<Path> files;
      try {
        files = folder.save(item, images);
      } catch (UncheckedIOException e) {
        throw new CannotCollect(b, "cannot save item " + item + "'s images in " + settings.out().toAbsolutePath(), e);
      }
      imagesThisRun += files.size();
      folder.saved(item, files, requestId, Pricing.estimate(client, request, true).orElse(null), "batch " + b.id());
      return item;
    }
    JsonNode error = response.path("body").path("error");
    if (error.isMissingNode() || error.isNull()) {
      error = line.path("error");
    }
    String message = error.path("message").asText("no reason given");
    String code = error.path("code").asText(null);
    boolean retry = statusCode == 0 || statusCode == 408 || statusCode == 409 || statusCode == 429 || statusCode >= 500;
    folder.failed(item, retry, (statusCode == 0 ? "" : statusCode + " ") + message + (code == null ? "" : " (" + code + ")")
        + " in batch " + b.id(), requestId);
    failedThisRun++;
    return item;
  }

  private boolean isSaved(int item) {
    JournalState.Entry e = folder.state.items.get(item);
    return e != null && e.status == Status.SAVED && !e.sentWithoutOutcome;
  }

  private String statusWords() {
    List<String> words = new ArrayList<>();
    lastSeen.forEach((id, b) -> {
      if (!FINISHED.contains(b.path("status").asText()) || lastSeen.size() == 1) {
        JsonNode c = b.path("request_counts");
        words.add(b.path("status").asText() + " " + c.path("completed").asInt() + "/" + c.path("total").asInt());
      }
    });
    return words.isEmpty() ? "collecting" : String.join(", ", words);
  }

  private void progress(String status) {
    if (settings.onProgress() == null) {
      return;
    }
    int inBatches = 0;
    for (JournalState.ProviderBatch b : folder.state.batches.values()) {
      if (!b.finished()) {
        inBatches += b.items().size();
      }
    }
    try {
      settings.onProgress().accept(new BatchProgress(requests.size(), folder.count(Status.SAVED), failedThisRun,
          folder.count(Status.UNKNOWN), inBatches, imagesThisRun, Duration.ofNanos(System.nanoTime() - started),
          Optional.of(spent), status));
    } catch (RuntimeException ignored) {
      // a progress display must not stop the batch
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImagineException("interrupted while waiting for the provider");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new ImagineException(String.valueOf(e.getCause().getMessage()), null, e.getCause());
    }
  }
}
