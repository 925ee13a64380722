package dev.imagine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.imagine.ImageGeneration;
import dev.imagine.ImageResult;
import dev.imagine.ImagesClient;
import dev.imagine.server.LocalBackend;
import io.vertx.core.Future;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A smoke test of the benchmark suite's first scenario (bench/, run by bench/run.sh), small enough
 * for CI: many slow generations in flight at once through imagine's async API against the embedded
 * local backend. The suite itself, with openai-java beside imagine, is not run in CI.
 */
class BenchSmokeTest {
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void manySlowGenerationsAtOnceFinishInAboutOneLatencyOnAFewThreads() throws Exception {
    LocalBackend backend;
    try {
      backend = LocalBackend.builder().latency(Duration.ofSeconds(1)).start();
    } catch (UnsupportedOperationException e) {
      assumeTrue(false, "LocalBackend is not implemented in this build yet");
      return;
    }
    int concurrency = 32;
    try (ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).maxRetries(0).build()) {
      ImageGeneration g = client.images().prompt("a lighthouse").model("gpt-image-1").size("1024x1024").n(2);
      // warm-up wave: the in-process backend's own thread pools grow to their working size here
      List<Future<ImageResult>> warmup = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        warmup.add(g.generateAsync());
      }
      Future.all(warmup).toCompletionStage().toCompletableFuture().get(40, TimeUnit.SECONDS);
      int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
      long t0 = System.nanoTime();
      List<Future<ImageResult>> all = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        all.add(g.generateAsync());
      }
      Future.all(all).toCompletionStage().toCompletableFuture().get(40, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - t0) / 1e9;
      int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();

      long images = all.stream().mapToLong(f -> f.result().images().size()).sum();
      assertThat(images).isEqualTo(2L * concurrency);
      assertThat(all).allSatisfy(f -> assertThat(f.result().image().size()).isPositive());
      // all in flight at once: about one latency, where one at a time would take 32 (half that is
      // a bound no loaded machine reaches by slowness alone)
      assertThat(seconds).as("wall time of %d concurrent generations", concurrency).isLessThan(concurrency / 2.0);
      // no thread per request: a second wave needs no new threads (backend included, it runs in this JVM)
      assertThat(threadsAfter - threadsBefore).isLessThan(concurrency / 4);
    } finally {
      backend.close();
    }
  }
}
