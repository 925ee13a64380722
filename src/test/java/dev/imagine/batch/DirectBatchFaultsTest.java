package dev.imagine.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.ImageRequest;
import dev.imagine.ImagesClient;
import dev.imagine.batch.ItemOutcome.Status;
import dev.imagine.internal.batch.Journal;
import dev.imagine.server.LocalBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct mode over loopback with a fifth of the items meeting a fault: nothing is lost, nothing is
 * generated twice, and a second run finishes the job except what may already be billed.
 */
@Timeout(120)
class DirectBatchFaultsTest {
  /** 8 of 40 items (20 %): refused past the client's retries, or cut off after the server made the image. */
  private static final Map<Integer, String> FAULTS = Map.of(
      3, "429;times=5;retry-after-ms=50",
      13, "429;times=5;retry-after-ms=50",
      7, "500;times=3",
      17, "500;times=3",
      23, "drop;times=1",
      33, "drop;times=1",
      27, "drop-mid-body;times=1",
      37, "drop-mid-body;times=1");
  private static final List<Integer> CUT_OFF = List.of(23, 27, 33, 37);
  private static final List<Integer> REFUSED = List.of(3, 7, 13, 17);

  @TempDir
  Path out;

  @Test
  void faultsLoseNothingAndNoItemIsGeneratedTwice() throws IOException {
    try (LocalBackend backend = LocalBackend.builder().latency(Duration.ofMillis(20)).start();
         ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
      Batch batch = Batch.of(requests()).client(client).out(out).concurrency(8);

      BatchReport first = batch.run();

      assertThat(numbers(first, Status.SAVED)).hasSize(32).doesNotContainAnyElementsOf(FAULTS.keySet());
      assertThat(numbers(first, Status.FAILED)).containsExactlyElementsOf(REFUSED);
      assertThat(numbers(first, Status.UNKNOWN)).containsExactlyElementsOf(CUT_OFF);
      assertThat(first.with(Status.UNKNOWN)).allSatisfy(i -> assertThat(i.message()).contains("after the request was sent"));
      assertThat(imageFiles()).hasSize(32);
      // the 32 answered and the 4 cut off were made; refusals make nothing
      assertThat(backend.generationCount()).isEqualTo(36);
      assertThat(first.summary()).contains("4 outcome unknown", "#23", "#37", "4 failed, sent again by the next run");

      BatchReport second = batch.run();

      assertThat(numbers(second, Status.SAVED)).hasSize(36).containsAll(REFUSED);
      assertThat(numbers(second, Status.UNKNOWN)).containsExactlyElementsOf(CUT_OFF);
      assertThat(second.complete()).isFalse();
      assertThat(backend.generationCount()).as("each of the 40 items made exactly once").isEqualTo(40);
      // sent twice: only the four refused the first time, which the server did not make
      assertThat(sentPerItem()).allSatisfy((item, times) ->
          assertThat(times).as("item %d sent", item).isEqualTo(REFUSED.contains(item) ? 2 : 1));
      assertThat(sentPerItem()).hasSize(40);
      List<Path> files = imageFiles();
      assertThat(files).hasSize(36);
      assertThat(second.files()).containsExactlyInAnyOrderElementsOf(files);
      assertThat(files).allSatisfy(f -> assertThat(Files.size(f)).isPositive());
      assertThat(files.stream().map(f -> f.getFileName().toString().substring(0, 4)).distinct()).hasSize(36);
    }
  }

  private static List<ImageRequest> requests() {
    List<ImageRequest> list = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      ImageRequest.Builder b = ImageRequest.builder().prompt("variant " + i + " of a product shot")
          .model("dall-e-2").size("256x256").responseFormat("b64_json");
      String fault = FAULTS.get(i);
      if (fault != null) {
        b.header("x-imagine-fault", fault).header("x-imagine-fault-key", "item-" + i);
      }
      list.add(b.build());
    }
    return list;
  }

  static List<Integer> numbers(BatchReport report, Status status) {
    return report.with(status).stream().map(ItemOutcome::number).toList();
  }

  private List<Path> imageFiles() throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
  }

  private Map<Integer, Integer> sentPerItem() {
    Map<Integer, Integer> sent = new TreeMap<>();
    for (JsonNode e : Journal.readOnly(out)) {
      if (e.path("event").asText().equals("sent")) {
        sent.merge(e.path("item").asInt(), 1, Integer::sum);
      }
    }
    return sent;
  }
}
