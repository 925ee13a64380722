package dev.imagine.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.ImageRequest;
import dev.imagine.ImagesClient;
import dev.imagine.batch.ItemOutcome.Status;
import dev.imagine.internal.batch.BatchFolder;
import dev.imagine.internal.batch.Journal;
import dev.imagine.internal.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Batch API mode against the local backend's /v1/files and /v1/batches. */
@Timeout(120)
class ProviderBatchTest extends dev.imagine.server.SharedBackend {
  @TempDir
  Path dir;

  /** The child of the kill test: runs 12 items through the Batch API with slow batch steps. */
  public static void main(String[] args) {
    try (ImagesClient client = ImagesClient.builder().baseUrl(args[0]).header("x-imagine-batch-delay-ms", "1500").build()) {
      Batch.of(requests(12)).client(client).out(Path.of(args[1])).viaBatchApi().pollInterval(Duration.ofMillis(50)).run();
    }
  }

  @Test
  void twelvePromptsBecomeOneFileAndOneBatchAndTwelveImages() throws Exception {
    int before = batches().size();
    try (ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
      List<BatchProgress> seen = new ArrayList<>();
      BatchReport report = Batch.of(requests(12)).client(client).out(dir).viaBatchApi()
          .pollInterval(Duration.ofMillis(50)).onProgress(seen::add).run();

      assertThat(report.complete()).as(report.summary()).isTrue();
      assertThat(imageFiles()).hasSize(12);
      assertThat(report.files()).containsExactlyInAnyOrderElementsOf(imageFiles());
      List<JsonNode> batches = batches();
      assertThat(batches).hasSize(before + 1);
      JsonNode batch = batches.get(0);
      assertThat(batch.path("status").asText()).isEqualTo("completed");
      assertThat(batch.path("request_counts").path("total").asInt()).isEqualTo(12);
      assertThat(batch.path("endpoint").asText()).isEqualTo("/v1/images/generations");
      assertThat(seen).anySatisfy(p -> assertThat(p.status()).contains("/12"));
      assertThat(Journal.readOnly(dir)).filteredOn(e -> e.path("event").asText().equals("batch_created")).hasSize(1);
    }
  }

  @Test
  void aLineThatFailsInTheBatchIsReportedForItsItem() throws Exception {
    try (ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).header("x-imagine-batch-fail", "5").build()) {
      BatchReport report = Batch.of(requests(12)).client(client).out(dir).viaBatchApi()
          .pollInterval(Duration.ofMillis(50)).run();

      assertThat(report.with(Status.SAVED)).hasSize(11);
      assertThat(report.with(Status.FAILED)).singleElement().satisfies(item -> {
        assertThat(item.number()).isEqualTo(5);
        assertThat(item.message()).contains("500", "in batch batch_");
        assertThat(item.requestId()).startsWith("req_");
      });
      assertThat(imageFiles()).hasSize(11);
    }
  }

  @Test
  void aKilledRunReattachesToItsBatchInsteadOfCreatingAnother() throws Exception {
    int before = batches().size();
    Path out = killWhen(backend.baseUrl(), () -> hasEvent(dir.resolve("out"), "batch_created"));
    assertThat(batches().get(0).path("status").asText()).isIn("validating", "in_progress");
    assertThat(String.join("\n", BatchFolder.openProviderBatches(out)))
        .contains("goes on at the provider, but no run here is waiting for it", "run the same imagine batch command again",
            "--via batch-api", "imagine batch --cancel " + out)
        .doesNotContain("stopped:");

    rerunCompletes(out);
    assertThat(batches()).as("the rerun re-attached; no second batch").hasSize(before + 1);
  }

  /** Killed after the batch was created at the provider, before its id came back: the rerun finds it by its input file. */
  @Test
  void killedBetweenCreatingAndRecordingTheBatchTheRerunFindsIt() throws Exception {
    try (HoldingProxy proxy = new HoldingProxy(backend.port(), r -> 0, r -> isCreate(r) ? 60_000 : 0)) {
      int before = batches().size();
      Path out = killAfterUpload(proxy, () -> proxy.arrivals().stream().anyMatch(a -> a.path().equals("/v1/batches")));
      assertThat(batches()).as("the backend made the batch").hasSize(before + 1);

      rerunCompletes(out);
      assertThat(batches()).as("re-attached by input file id; no second batch").hasSize(before + 1);
    }
  }

  /** Killed after uploading, before the create request left: the rerun creates exactly one batch. */
  @Test
  void killedBetweenUploadingAndCreatingTheRerunCreatesExactlyOne() throws Exception {
    try (HoldingProxy proxy = new HoldingProxy(backend.port(), r -> isCreate(r) ? 60_000 : 0, r -> 0)) {
      int before = batches().size();
      Path out = killAfterUpload(proxy, () -> true);
      assertThat(batches()).as("the create request never reached the backend").hasSize(before);

      rerunCompletes(out);
      assertThat(batches()).as("one batch, made by the rerun").hasSize(before + 1);
    }
  }

  private static boolean isCreate(io.vertx.core.http.HttpServerRequest r) {
    return r.method().name().equals("POST") && r.path().equals("/v1/batches");
  }

  /** Runs the child through the proxy, kills it once the upload is journalled and {@code also} holds, before the batch id is. */
  private Path killAfterUpload(HoldingProxy proxy, BooleanSupplier also) throws Exception {
    Path out = killWhen(proxy.baseUrl(), () -> hasEvent(dir.resolve("out"), "batch_submitting") && also.getAsBoolean());
    assertThat(hasEvent(out, "batch_created")).as("killed before the batch id was journalled").isFalse();
    return out;
  }

  /** Runs the child (12 items into DIR/out via the Batch API at {@code baseUrl}) and SIGKILLs it once {@code ready} holds. */
  private Path killWhen(String baseUrl, BooleanSupplier ready) throws Exception {
    Path out = dir.resolve("out");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ProviderBatchTest.class.getName(), baseUrl, out.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!ready.getAsBoolean()) {
        assertThat(child.isAlive()).as("the child runs until killed; log: %s", log()).isTrue();
        assertThat(System.nanoTime()).as("the moment to kill within 60 s").isLessThan(deadline);
        Thread.sleep(20);
      }
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    return out;
  }

  private static void rerunCompletes(Path out) throws IOException {
    try (ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
      BatchReport report = Batch.of(requests(12)).client(client).out(out).viaBatchApi()
          .pollInterval(Duration.ofMillis(50)).run();
      assertThat(report.complete()).as(report.summary()).isTrue();
    }
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s.filter(p -> p.toString().endsWith(".png"))).hasSize(12);
    }
  }

  private String log() throws IOException {
    return Files.readString(dir.resolve("child.log"));
  }

  private static boolean hasEvent(Path out, String type) {
    return Files.exists(Journal.in(out)) && Journal.readOnly(out).stream().anyMatch(e -> e.path("event").asText().equals(type));
  }

  static List<ImageRequest> requests(int count) {
    List<ImageRequest> list = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      list.add(ImageRequest.builder().prompt("catalogue shot " + i).model("dall-e-2").size("256x256").build());
    }
    return list;
  }

  private List<Path> imageFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".png")).toList();
    }
  }

  /** The backend's batches, newest first. */
  private static List<JsonNode> batches() throws Exception {
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(backend.baseUrl() + "/batches"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    List<JsonNode> list = new ArrayList<>();
    Json.MAPPER.readTree(r.body()).path("data").forEach(list::add);
    return list;
  }
}
