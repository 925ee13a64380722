package dev.imagine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.server.LocalBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class BatchCommandTest extends dev.imagine.server.SharedBackend {
  @TempDir
  Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return BatchCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("IMAGINE_PROGRESS", "plain"));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void savesEveryPromptAndSaysSoWithExitCode0() throws Exception {
    Path prompts = Files.write(dir.resolve("p.txt"), List.of("a red fox", "", "{\"prompt\": \"a blue fox\", \"size\": \"512x512\"}"));
    Path outDir = dir.resolve("foxes");

    int code = run(prompts.toString(), "--out", outDir.toString(), "--model", "dall-e-2", "--size", "256x256",
        "--base-url", backend.baseUrl());

    assertThat(code).as(out() + err).isZero();
    assertThat(outDir.resolve("0001-a-red-fox.png")).isRegularFile();
    assertThat(outDir.resolve("0002-a-blue-fox.png")).isRegularFile();
    assertThat(out()).contains("2/2 saved", "2 of 2 items saved", "everything is saved in " + outDir);

    out.reset();
    long made = backend.generationCount();
    assertThat(run(prompts.toString(), "--out", outDir.toString(), "--model", "dall-e-2", "--size", "256x256",
        "--base-url", backend.baseUrl())).isZero();
    assertThat(backend.generationCount()).as("a rerun of a finished batch sends nothing").isEqualTo(made);

    out.reset();
    assertThat(run("--status", outDir.toString())).isZero();
    assertThat(out()).startsWith("2 of 2 items saved in " + outDir);
  }

  @Test
  void whatIsLeftAndTheCommandToContinueEndAnIncompleteRun() throws Exception {
    Path prompts = Files.write(dir.resolve("p.txt"), List.of("one", "two", "three"));
    Path outDir = dir.resolve("o u t");
    try (LocalBackend down = LocalBackend.builder().fault(dev.imagine.server.Fault.SERVICE_UNAVAILABLE).start()) {
      int code = run(prompts.toString(), "--out", outDir.toString(), "--model", "dall-e-2", "--size", "256x256",
          "--base-url", down.baseUrl(), "--concurrency", "2");
      assertThat(code).isEqualTo(1);
    }
    assertThat(out()).contains("0 of 3 items saved", "3 failed, sent again by the next run", "503", "left: 3 to send",
        "to continue: imagine batch " + prompts + " --out '" + outDir + "' --model dall-e-2");
  }

  @Test
  void viaTheBatchApiTheImagesLandTooAndCancelSaysWhenNothingRuns() throws Exception {
    Path prompts = Files.write(dir.resolve("p.txt"), List.of("one", "two"));
    Path outDir = dir.resolve("b");
    assertThat(run(prompts.toString(), "--out", outDir.toString(), "--via", "batch-api", "--model", "dall-e-2",
        "--size", "256x256", "--base-url", backend.baseUrl())).as(out() + err).isZero();
    assertThat(outDir.resolve("0001-one.png")).isRegularFile();
    assertThat(outDir.resolve("0002-two.png")).isRegularFile();
    assertThat(out()).contains("completed 2/2", "everything is saved");
    out.reset();
    assertThat(run("--cancel", outDir.toString(), "--base-url", backend.baseUrl())).isZero();
    assertThat(out()).contains("no provider batch of " + outDir + " is running");
  }

  @Test
  void dryRunSendsNothing() throws Exception {
    Path prompts = Files.write(dir.resolve("p.txt"), List.of("one", "two"));
    long before = backend.requestCount();
    assertThat(run(prompts.toString(), "--out", dir.resolve("o").toString(), "--n", "2", "--dry-run",
        "--base-url", backend.baseUrl())).isZero();
    assertThat(out()).containsPattern("2 items, 4 images; estimated cost \\$\\d+\\.\\d+; nothing was sent");
    assertThat(backend.requestCount()).isEqualTo(before);
    assertThat(dir.resolve("o")).doesNotExist();
  }

  @Test
  void theBudgetStopsSendingAndTheNextRunSendsTheRest() throws Exception {
    Path prompts = Files.write(dir.resolve("p.txt"), List.of("one", "two", "three"));
    String outDir = dir.resolve("o").toString();
    long made = backend.generationCount();
    // gpt-image-2 (the backend's default) at low quality is about $0.0082 an image: two fit in 2 cents, three do not
    assertThat(run(prompts.toString(), "--out", outDir, "--quality", "low", "--budget", "0.02",
        "--concurrency", "1", "--base-url", backend.baseUrl())).isEqualTo(1);
    assertThat(out()).contains("2 of 3 items saved", "1 not sent", "stopped: the budget of $0.02 is reached");
    assertThat(backend.generationCount() - made).isEqualTo(2);

    assertThat(run(prompts.toString(), "--out", outDir, "--quality", "low", "--budget", "0.02",
        "--base-url", backend.baseUrl())).isZero();
    assertThat(backend.generationCount() - made).isEqualTo(3);
  }

  @Test
  void badInputIsExitCode2NamingTheLineAndSendsNothing() throws Exception {
    Path prompts = Files.write(dir.resolve("p.txt"), List.of("fine", "{\"prompt\": 3}"));
    long before = backend.requestCount();
    assertThat(run(prompts.toString(), "--out", dir.resolve("o").toString(), "--base-url", backend.baseUrl())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("line 2", "'prompt' must be a string");
    assertThat(run(prompts.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--out DIR is required");
    Path sizes = Files.write(dir.resolve("s.txt"), List.of("fine", "{\"prompt\": \"x\", \"size\": \"7x7\"}"));
    // with a model given, no GET /models either: not a single request reaches the server
    assertThat(run(sizes.toString(), "--out", dir.resolve("o").toString(), "--model", "gpt-image-2", "--base-url",
        backend.baseUrl())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("item 2", "size", "nothing was sent");
    assertThat(backend.requestCount()).isEqualTo(before);
  }
}
