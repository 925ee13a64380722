package dev.imagine.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagine.ImageRequest;
import dev.imagine.ImagesClient;
import dev.imagine.server.LocalBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A progress listener that throws neither stops nor hangs the batch: an Error (a failed assertion in
 * it, say) comes out of {@code run()} once every item has its outcome.
 */
class BatchListenerTroubleTest {
  @TempDir
  Path out;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // run() waits uninterruptibly
  void aListenerThatThrowsAnErrorDoesNotHangTheBatch() throws Exception {
    List<ImageRequest> requests = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      requests.add(ImageRequest.builder().prompt("a lamp, take " + i).model("gpt-image-2").size("1024x1024").build());
    }
    AtomicInteger heard = new AtomicInteger();
    try (LocalBackend backend = LocalBackend.builder().start();
         ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
      Batch batch = Batch.of(requests).client(client).out(out).concurrency(2).onProgress(p -> {
        if (p.saved() > 0) { // mostly on the threads that save images, where nobody would see it
          heard.incrementAndGet();
          throw new AssertionError("a listener's own bug");
        }
      });
      assertThatThrownBy(batch::run).as("the listener's Error comes out of run(), once the batch is over")
          .isInstanceOf(AssertionError.class).hasMessage("a listener's own bug");

      BatchReport report = dev.imagine.internal.batch.BatchFolder.status(out).orElseThrow();
      assertThat(report.with(ItemOutcome.Status.SAVED)).as(report.summary()).hasSize(6);
      assertThat(heard.get()).as("the listener kept being called").isGreaterThanOrEqualTo(6);
    }
  }
}
