package dev.imagine.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.ImagesClient;
import dev.imagine.Mounts;
import dev.imagine.batch.ItemOutcome.Status;
import dev.imagine.internal.batch.Journal;
import dev.imagine.server.LocalBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk when a provider batch's results come in (a real 8 MiB tmpfs; skipped without root):
 * the run stops saying what to do, leaves no half-written file, and the rerun collects the same
 * batch's output again: one batch, every image made once, all saved.
 */
@Timeout(180)
class BatchApiDiskTroubleTest {
  private static final int ITEMS = 6;

  @TempDir
  Path dir;

  @Test
  void theOutputFileDoesNotFitAndTheRerunCollectsTheSameBatch() throws Exception {
    runWithRoom(size -> size.image() * 3 / 2, "cannot download its output file into");
  }

  @Test
  void theImagesDoNotFitAndTheRerunSavesTheRestFromTheSameBatch() throws Exception {
    runWithRoom(size -> size.outputFile() + size.image() * 3 / 2, "cannot save item");
  }

  record Sizes(long image, long outputFile) {}

  private void runWithRoom(java.util.function.ToLongFunction<Sizes> room, String why) throws Exception {
    Path out = dir.resolve("shots");
    try (Mounts disk = Mounts.full(out);
         LocalBackend backend = LocalBackend.builder().start();
         ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
      disk.free();
      long image = client.generate(BatchDiskTroubleTest.request(0)).toCompletionStage().toCompletableFuture().get().image().size();
      Sizes sizes = new Sizes(image, ITEMS * (image * 4 / 3 + 1024));
      assertThat(sizes.outputFile() + ITEMS * image).as("it all fits on the 8 MiB disk once freed").isLessThan(7 << 20);
      long ballastBytes = Files.getFileStore(out).getUsableSpace() - room.applyAsLong(sizes);
      Path ballast = Files.write(out.resolve("ballast.bin"), new byte[(int) ballastBytes]);
      Batch batch = Batch.of(BatchDiskTroubleTest.requests(ITEMS)).client(client).out(out).viaBatchApi().pollInterval(Duration.ofMillis(50));

      BatchReport first = batch.run();

      assertThat(first.complete()).isFalse();
      assertThat(first.stopReason()).contains("stopped collecting batch batch_", why, "the disk is full",
          "run the same command again", "not made again");
      assertThat(first.with(Status.FAILED)).as("nothing made is recorded as failed (it would be sent again)").isEmpty();
      assertThat(BatchDiskTroubleTest.names(out)).as("no half-written file").noneMatch(n -> n.endsWith(".part"));
      long made = backend.generationCount() - 1; // not the one measured

      Files.delete(ballast);
      BatchReport second = batch.run();

      assertThat(second.complete()).as(second.summary()).isTrue();
      assertThat(backend.generationCount() - 1).as("the batch was not made again").isEqualTo(made).isEqualTo(ITEMS);
      assertThat(BatchDiskTroubleTest.names(out).stream().filter(n -> n.endsWith(".png"))).hasSize(ITEMS);
      assertThat(Journal.readOnly(out)).filteredOn(e -> e.path("event").asText().equals("batch_created")).hasSize(1);
    }
  }
}
