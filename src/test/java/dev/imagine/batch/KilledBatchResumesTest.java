package dev.imagine.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.ImagesClient;
import dev.imagine.batch.ItemOutcome.Status;
import dev.imagine.internal.batch.BatchInput;
import dev.imagine.internal.batch.Journal;
import dev.imagine.ImageRequest;
import dev.imagine.server.LocalBackend;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imagine batch} in a child JVM killed with SIGKILL halfway, then run again: every image
 * that arrived is kept, and no item is sent twice.
 */
@Timeout(180)
class KilledBatchResumesTest {
  @TempDir
  Path dir;

  @Test
  void aKillMidRunThenARerunLosesNothingAndRepeatsNothing() throws Exception {
    Path prompts = dir.resolve("prompts.txt");
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      lines.add("catalogue image " + i + ", a ceramic mug on white");
    }
    Files.write(prompts, lines);
    Path out = dir.resolve("out");
    try (LocalBackend backend = LocalBackend.builder().latency(Duration.ofMillis(150), Duration.ofMillis(400)).start()) {
      Process child = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), "dev.imagine.cli.Main",
          "batch", prompts.toString(), "--out", out.toString(), "--concurrency", "4", "--model", "dall-e-2",
          "--size", "256x256", "--base-url", backend.baseUrl())
          .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
      try {
        waitForSaved(out, 10, child);
      } finally {
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, mid-request
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      Map<Integer, Integer> sentBeforeKill = sentPerItem(out);
      assertThat(sentBeforeKill.size()).as("killed midway").isBetween(10, 39);
      long madeBeforeRerun = backend.generationCount();

      List<ImageRequest> requests = BatchInput.read(prompts,
          ImageRequest.builder().model("dall-e-2").size("256x256").build());
      BatchReport rerun;
      try (ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
        rerun = Batch.of(requests).client(client).out(out).concurrency(4).run();
      }

      Map<Integer, Integer> sent = sentPerItem(out);
      assertThat(sent).hasSize(40);
      assertThat(sent.values()).as("no item sent twice").containsOnly(1);
      // the cut-off requests were in flight at the kill; the server may have made them, so they wait for the user
      List<Integer> unknown = DirectBatchFaultsTest.numbers(rerun, Status.UNKNOWN);
      assertThat(unknown).hasSizeLessThanOrEqualTo(4).allSatisfy(i -> assertThat(sentBeforeKill).containsKey(i));
      assertThat(rerun.with(Status.SAVED)).hasSize(40 - unknown.size());
      Set<Path> files = new HashSet<>(imageFiles(out));
      assertThat(files).containsExactlyInAnyOrderElementsOf(rerun.files());
      assertThat(backend.generationCount()).as("made at most once per item")
          .isBetween(40L - unknown.size(), 40L);
      assertThat(madeBeforeRerun).isLessThanOrEqualTo(sentBeforeKill.size());
    }
  }

  private static void waitForSaved(Path out, int saved, Process child) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (Files.exists(Journal.in(out))
          && Journal.readOnly(out).stream().filter(e -> e.path("event").asText().equals("saved")).count() >= saved) {
        return;
      }
      if (!child.isAlive()) {
        throw new AssertionError("the batch ended before it could be killed: " + child.exitValue());
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no " + saved + " saved items within 90 s");
  }

  private static Map<Integer, Integer> sentPerItem(Path out) {
    Map<Integer, Integer> sent = new TreeMap<>();
    for (JsonNode e : Journal.readOnly(out)) {
      if (e.path("event").asText().equals("sent")) {
        sent.merge(e.path("item").asInt(), 1, Integer::sum);
      }
    }
    return sent;
  }

  private static List<Path> imageFiles(Path out) throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      return s.filter(p -> p.toString().endsWith(".png")).toList();
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : "")).toString();
  }
}
