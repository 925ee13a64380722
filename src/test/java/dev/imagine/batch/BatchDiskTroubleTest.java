package dev.imagine.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.ImageRequest;
import dev.imagine.ImagesClient;
import dev.imagine.Mounts;
import dev.imagine.batch.ItemOutcome.Status;
import dev.imagine.internal.batch.Journal;
import dev.imagine.server.LocalBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up during a batch (a real 8 MiB tmpfs; skipped without root): nothing more is
 * sent, no half-written file is left, the images that arrived are kept aside and journalled, and
 * the rerun after space is freed moves them in instead of paying for them again.
 */
@Timeout(180)
class BatchDiskTroubleTest {
  private static final int ITEMS = 8;

  @TempDir
  Path dir;

  @Test
  void aFullDiskStopsSendingAndTheRerunSavesWhatArrivedWithoutPayingTwice() throws Exception {
    Path out = dir.resolve("shots");
    try (Mounts disk = Mounts.full(out);
         LocalBackend backend = LocalBackend.builder().latency(Duration.ofMillis(100)).start();
         ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
      disk.free();
      // room for about one and a half images: the second one to arrive meets a full disk
      long imageBytes = client.generate(request(0)).toCompletionStage().toCompletableFuture().get().image().size();
      assertThat(ITEMS * imageBytes).as("the batch fits on the 8 MiB disk once freed").isLessThan(7 * 1024 * 1024);
      long room = Files.getFileStore(out).getUsableSpace() - imageBytes * 3 / 2;
      Path ballast = Files.write(out.resolve("ballast.bin"), new byte[(int) room]);
      Batch batch = Batch.of(requests(ITEMS)).client(client).out(out).concurrency(2);

      BatchReport first = batch.run();

      assertThat(first.complete()).isFalse();
      assertThat(first.stopReason()).contains("cannot save images in " + out.toAbsolutePath(), "the disk is full",
          "run the same command again", "moved in without being sent again");
      long made = backend.generationCount() - 1; // not the one measured
      assertThat(made).as("stopped sending at the first image that could not be saved").isLessThan(ITEMS);
      List<ItemOutcome> unsaved = first.with(Status.FAILED);
      assertThat(unsaved).isNotEmpty().allSatisfy(i -> assertThat(i.message())
          .contains("made and paid for (request id req_", "the disk is full", "the next run moves it in without sending it again"));
      assertThat(first.with(Status.SAVED).size() + unsaved.size()).as("every image made is saved or kept").isEqualTo((int) made);
      assertThat(journalled(out, "failed")).hasSize(unsaved.size());
      assertThat(names(out)).as("no half-written file").noneMatch(n -> n.endsWith(".part"));

      Files.delete(ballast); // space freed
      BatchReport second = batch.run();

      assertThat(second.complete()).as(second.summary()).isTrue();
      assertThat(backend.generationCount() - 1).as("the kept images were not made again").isEqualTo(ITEMS);
      assertThat(names(out).stream().filter(n -> n.endsWith(".png"))).hasSize(ITEMS);
      assertThat(journalled(out, "saved")).anySatisfy(e -> assertThat(e.path("note").asText()).contains("moved in from"));
      // each image streamed to the disk as it decoded; the one that met the full disk midway kept the rest in memory
      try (Stream<Path> files = Files.list(out)) {
        assertThat(files.filter(p -> p.toString().endsWith(".png")).toList()).allSatisfy(png ->
            assertThat(javax.imageio.ImageIO.read(png.toFile()).getWidth()).as("%s is whole", png).isEqualTo(512));
      }
      assertThat(names(out)).noneMatch(n -> n.endsWith(".part"));
    }
  }

  /** Items 1 to {@code items} of a catalogue batch (also for {@link BatchApiDiskTroubleTest}). */
  static List<ImageRequest> requests(int items) {
    List<ImageRequest> list = new ArrayList<>();
    for (int i = 1; i <= items; i++) {
      list.add(request(i));
    }
    return list;
  }

  static ImageRequest request(int i) {
    return ImageRequest.builder().prompt("a catalogue photo, angle " + i).model("dall-e-2").size("512x512")
        .responseFormat("b64_json").build();
  }

  private static List<JsonNode> journalled(Path out, String event) {
    return Journal.readOnly(out).stream().filter(e -> e.path("event").asText().equals(event)).toList();
  }

  static List<String> names(Path out) throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
