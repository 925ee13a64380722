package dev.imagine.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.ImageRequest;
import dev.imagine.ImagesClient;
import dev.imagine.batch.ItemOutcome.Status;
import dev.imagine.server.LocalBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A 429 slows the whole batch down": the first 429 (which the client retries by itself) holds back
 * every item not yet sent for the server's {@code retry-after}. A proxy in front of the local
 * backend notes when each request arrives; only lower bounds are asserted.
 */
@Timeout(60)
class BatchRateLimitTest {
  private static final long RETRY_AFTER_MS = 3000;
  @TempDir
  Path out;

  @Test
  void theFirst429HoldsBackTheOtherItemsForItsRetryAfter() throws Exception {
    List<HoldingProxy.Arrival> arrivals;
    try (LocalBackend backend = LocalBackend.builder().latency(Duration.ofMillis(200)).start();
         HoldingProxy proxy = new HoldingProxy(backend.port())) {
      List<ImageRequest> requests = new ArrayList<>();
      for (int i = 1; i <= 6; i++) {
        ImageRequest.Builder b = ImageRequest.builder().prompt("item " + i).model("dall-e-2").size("256x256");
        if (i == 1) {
          b.header("x-imagine-fault", "429;times=1;retry-after-ms=" + RETRY_AFTER_MS);
        }
        requests.add(b.build());
      }
      try (ImagesClient client = ImagesClient.builder().baseUrl(proxy.baseUrl()).build()) {
        BatchReport report = Batch.of(requests).client(client).out(out).concurrency(2).run();

        assertThat(report.with(Status.SAVED)).as(report.summary()).hasSize(6);
      }
      assertThat(backend.generationCount()).isEqualTo(6);
      arrivals = proxy.arrivals();
    }

    HoldingProxy.Arrival refused = arrivals.stream().filter(a -> a.status() == 429).findFirst().orElseThrow();
    assertThat(refused.prompt()).isEqualTo("item 1");
    long heldUntil = refused.nanos() + TimeUnit.MILLISECONDS.toNanos(RETRY_AFTER_MS);
    for (int i = 3; i <= 6; i++) {
      String prompt = "item " + i;
      HoldingProxy.Arrival first = arrivals.stream().filter(a -> prompt.equals(a.prompt())).findFirst().orElseThrow();
      assertThat(first.nanos()).as("%s went out %d ms after the 429, inside its retry-after of %d ms", prompt,
          TimeUnit.NANOSECONDS.toMillis(first.nanos() - refused.nanos()), RETRY_AFTER_MS).isGreaterThanOrEqualTo(heldUntil);
    }
  }
}
