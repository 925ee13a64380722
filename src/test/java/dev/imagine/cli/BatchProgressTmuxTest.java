package dev.imagine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.imagine.server.LocalBackend;
import dev.imagine.testing.TmuxSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imagine batch} as a child process: in a real terminal (a tmux pane) one progress bar
 * redrawn in place; with its output on a pipe (a log, CI) plain lines. The terminal test is
 * skipped without tmux (.ci/run installs it).
 */
@Timeout(120)
class BatchProgressTmuxTest {
  private static final Pattern BAR = Pattern.compile("\\[[#-]{24}\\] (\\d+)/12 saved · .*");
  final TmuxSession tmux = new TmuxSession("imagine-batch-test");

  @AfterEach
  void kill() throws Exception {
    if (TmuxSession.available()) {
      tmux.close();
    }
  }

  @Test
  void theBarUpdatesInPlaceOnATerminal(@TempDir Path dir) throws Exception {
    assumeTrue(TmuxSession.available(), "tmux is not installed: the terminal progress test needs it");
    writePrompts(dir);
    try (LocalBackend backend = LocalBackend.builder().latency(Duration.ofMillis(500)).start()) {
      String command = "cd '" + dir + "' && env -u IMAGINE_PROGRESS " + javaCommand(backend) + "; echo BATCH-ENDED $?; sleep 30";
      assertThat(tmux.start(150, 40, command)).isTrue();

      // while it runs: every look at the pane shows exactly one bar, and its count goes up
      Set<Integer> countsSeen = new LinkedHashSet<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      String pane;
      while (!(pane = tmux.pane()).contains("BATCH-ENDED")) {
        List<String> bars = bars(pane);
        assertThat(bars).as("at most one bar line at any moment:\n%s", pane).hasSizeLessThanOrEqualTo(1);
        bars.forEach(b -> countsSeen.add(saved(b)));
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the batch did not end in 90 s:\n" + pane);
        }
        Thread.sleep(40);
      }
      assertThat(countsSeen).as("the bar's count changed while it ran").hasSizeGreaterThanOrEqualTo(2);

      List<String> bars = bars(pane);
      assertThat(bars).as("one bar, redrawn in place:\n%s", pane).hasSize(1);
      assertThat(bars.get(0)).startsWith("[########################] 12/12 saved · 0 in flight");
      assertThat(pane).contains("12 of 12 items saved in o", "everything is saved in o", "BATCH-ENDED 0");
      assertThat(Files.list(dir.resolve("o")).filter(f -> f.toString().endsWith(".png")).count()).isEqualTo(12);
    }
  }

  @Test
  void onAPipeItPrintsPlainLines(@TempDir Path dir) throws Exception {
    writePrompts(dir);
    try (LocalBackend backend = LocalBackend.builder().latency(Duration.ofMillis(200)).start()) {
      List<String> command = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"),
          "dev.imagine.cli.Main", "batch", "p.txt", "--out", "o", "--concurrency", "2", "--quality", "low",
          "--base-url", backend.baseUrl()));
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
      pb.environment().remove("IMAGINE_PROGRESS");
      Process p = pb.start();
      byte[] bytes = p.getInputStream().readAllBytes();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String output = new String(bytes, StandardCharsets.UTF_8);

      assertThat(p.exitValue()).as(output).isZero();
      assertThat(output).as("no carriage returns or escape codes in a log").doesNotContain("\r", "\u001b");
      List<String> lines = output.lines().filter(l -> l.matches("\\d+/12 saved · .*")).toList();
      assertThat(lines).as(output).hasSizeGreaterThanOrEqualTo(3).last().asString().startsWith("12/12 saved · 0 in flight");
      assertThat(output).contains("12 of 12 items saved in o", "everything is saved in o");
    }
  }

  private static void writePrompts(Path dir) throws IOException {
    List<String> prompts = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      prompts.add("a mug, variant " + i);
    }
    Files.write(dir.resolve("p.txt"), prompts);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String javaCommand(LocalBackend backend) {
    return "'" + java() + "' -cp '" + System.getProperty("java.class.path") + "' dev.imagine.cli.Main batch p.txt --out o"
        + " --concurrency 2 --quality low --base-url " + backend.baseUrl();
  }

  private static List<String> bars(String pane) {
    return pane.lines().map(String::strip).filter(l -> BAR.matcher(l).matches()).toList();
  }

  private static int saved(String bar) {
    Matcher m = BAR.matcher(bar);
    assertThat(m.matches()).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
