package dev.imagine.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.ImageRequest;
import dev.imagine.ImagesClient;
import dev.imagine.batch.ItemOutcome.Status;
import dev.imagine.internal.batch.BatchInput;
import dev.imagine.server.LocalBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A direct batch streams each image to a hidden file in its folder while the answer arrives (the
 * file is seen growing before the answer has ended), names it when the answer is complete, and
 * leaves no such file behind when an answer is cut off, retried, or a run was killed.
 */
@Timeout(120)
class BatchStreamingTest {
  @TempDir
  Path out;
  @TempDir
  Path elsewhere;

  @Test
  void eachImageGrowsInItsFileWhileItsAnswerArrivesAndIsSavedWhole() throws Exception {
    try (LocalBackend backend = LocalBackend.start();
         ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
      // about 2 s an answer: the image's file is looked at many times while it comes in
      List<ImageRequest> slow = List.of(request(1, "slow-body;rate=200000"), request(2, "slow-body;rate=200000"));
      CompletableFuture<BatchReport> run = CompletableFuture.supplyAsync(
          () -> Batch.of(slow).client(client).out(out).concurrency(2).run());

      Map<String, Set<Long>> sizesSeen = new HashMap<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!run.isDone() && System.nanoTime() < deadline) {
        for (Path part : names(".imagine-streaming-")) {
          try {
            sizesSeen.computeIfAbsent(part.getFileName().toString(), k -> new HashSet<>()).add(Files.size(part));
          } catch (NoSuchFileException justNamed) {
            // moved into place between the listing and the look
          }
        }
        Thread.sleep(20);
      }
      BatchReport report = run.get(60, TimeUnit.SECONDS);

      assertThat(report.complete()).as(report.summary()).isTrue();
      assertThat(sizesSeen).as("each item's image had a file of its own while it arrived").hasSize(2);
      assertThat(sizesSeen.values()).as("seen growing, before the answer ended")
          .allSatisfy(sizes -> assertThat(sizes.stream().filter(s -> s > 0)).hasSizeGreaterThanOrEqualTo(2));
      assertThat(names("")).as("no hidden file left").filteredOn(p -> p.toString().endsWith(".part")).isEmpty();
      assertThat(report.files()).hasSize(2);
      for (int i = 1; i <= 2; i++) {
        byte[] sent = client.generate(request(i, null)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS)
            .image().bytes();
        assertThat(Files.readAllBytes(report.files().get(i - 1))).as("item %d saved as the backend made it", i).isEqualTo(sent);
      }
    }
  }

  @Test
  void anAnswerCutOffMidImageAndSentAgainLeavesOneWholeImageAndNoPart() throws Exception {
    try (LocalBackend backend = LocalBackend.start();
         ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).retryUnsafe(true).build()) {
      BatchReport report = Batch.of(List.of(request(1, "drop-mid-body;times=1"))).client(client).out(out).run();

      assertThat(report.complete()).as(report.summary()).isTrue();
      assertThat(backend.generationCount()).as("cut off once, then sent again (retryUnsafe)").isEqualTo(2);
      assertThat(names("")).filteredOn(p -> p.toString().endsWith(".part")).isEmpty();
      byte[] sent = client.generate(request(1, null)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS)
          .image().bytes();
      assertThat(Files.readAllBytes(report.files().get(0))).isEqualTo(sent);
    }
  }

  @Test
  void anAnswerCutOffMidImageLeavesNoHalfImage() throws Exception {
    try (LocalBackend backend = LocalBackend.start();
         ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
      BatchReport report = Batch.of(List.of(request(1, "drop-mid-body"))).client(client).out(out).run();

      assertThat(report.with(Status.UNKNOWN)).hasSize(1);
      assertThat(names("")).as("neither a half image nor its hidden file").filteredOn(p -> {
        String name = p.getFileName().toString();
        return name.endsWith(".part") || name.endsWith(".png");
      }).isEmpty();
    }
  }

  @Test
  void urlAnswersAndEventStreamsAreSavedAsBefore() throws Exception {
    try (LocalBackend backend = LocalBackend.start();
         ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
      ImageRequest byUrl = ImageRequest.builder().prompt("a catalogue photo by url").model("dall-e-2").size("256x256")
          .responseFormat("url").build();
      ImageRequest streamed = ImageRequest.builder().prompt("a catalogue photo with previews").model("gpt-image-2")
          .size("1024x1024").quality("low").partialImages(1).build();
      BatchReport report = Batch.of(List.of(byUrl, streamed)).client(client).out(out).run();

      assertThat(report.complete()).as(report.summary()).isTrue();
      assertThat(report.files()).hasSize(2).allSatisfy(f ->
          assertThat(javax.imageio.ImageIO.read(f.toFile())).as("%s is a whole image", f).isNotNull());
      assertThat(names("")).filteredOn(p -> p.toString().endsWith(".part")).isEmpty();
    }
  }

  @Test
  void theFilesAKilledRunWasStreamingIntoAreDeletedByTheNextRun() throws Exception {
    Files.createDirectories(out);
    Path killed = Files.write(out.resolve(".imagine-streaming-0001-4711.part"), new byte[1000]);
    Path someoneElses = Files.write(out.resolve(".notes.part"), new byte[10]);
    try (LocalBackend backend = LocalBackend.start();
         ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
      BatchReport report = Batch.of(List.of(request(1, null))).client(client).out(out).run();

      assertThat(report.complete()).isTrue();
      assertThat(killed).doesNotExist();
      assertThat(someoneElses).exists();
    }
  }

  @Test
  void aRunKilledMidImageLeavesOnlyAHiddenFileThatTheNextRunDeletes() throws Exception {
    Path prompts = elsewhere.resolve("prompts.jsonl");
    Files.write(prompts, List.of("{\"prompt\": \"a streamed catalogue photo 1\", \"response_format\": \"b64_json\"}",
        "{\"prompt\": \"a streamed catalogue photo 2\", \"response_format\": \"b64_json\"}"));
    try (LocalBackend backend = LocalBackend.builder().fault(dev.imagine.server.Fault.SLOW_BODY).start()) {
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "dev.imagine.cli.Main", "batch", prompts.toString(),
          "--out", out.toString(), "--concurrency", "2", "--model", "dall-e-2", "--size", "512x512",
          "--base-url", backend.baseUrl())
          .redirectErrorStream(true).redirectOutput(elsewhere.resolve("child.log").toFile()).start();
      List<Path> parts = List.of();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && child.isAlive()) {
          parts = Files.isDirectory(out) ? names(".imagine-streaming-") : List.of();
          if (parts.size() == 2 && parts.stream().allMatch(p -> p.toFile().length() > 0)) {
            break;
          }
          Thread.sleep(20);
        }
      } finally {
        child.destroyForcibly(); // SIGKILL while both images are halfway into their files
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(parts).as("both images were streaming when the run was killed").hasSize(2);
      assertThat(names("")).as("a kill leaves no image under a final name").noneMatch(p -> p.toString().endsWith(".png"));

      List<ImageRequest> requests = BatchInput.read(prompts, ImageRequest.builder().model("dall-e-2").size("512x512").build());
      BatchReport rerun;
      try (ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
        rerun = Batch.of(requests).client(client).out(out).run();
      }

      assertThat(rerun.with(Status.UNKNOWN)).as("cut off after sending: maybe billed, not sent again").hasSize(2);
      assertThat(names("")).as("the killed run's hidden files are gone").noneMatch(p -> p.toString().endsWith(".part"));
    }
  }

  private static ImageRequest request(int i, String fault) {
    ImageRequest.Builder b = ImageRequest.builder().prompt("a streamed catalogue photo " + i).model("dall-e-2")
        .size("512x512").responseFormat("b64_json");
    if (fault != null) {
      b.header("x-imagine-fault", fault).header("x-imagine-fault-key", "item " + i);
    }
    return b.build();
  }

  private List<Path> names(String prefix) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      files.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(found::add);
    }
    return found;
  }
}
