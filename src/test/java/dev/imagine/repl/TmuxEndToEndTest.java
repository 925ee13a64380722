package dev.imagine.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing in a real terminal: {@code dev.imagine.cli.Main} in a tmux pane, typed at with
 * {@code send-keys}, read with {@code capture-pane}. Skipped where tmux is not installed.
 */
class TmuxEndToEndTest {
  final String session = "imagine-test-" + ProcessHandle.current().pid();

  @AfterEach
  void kill() throws Exception {
    tmux("kill-session", "-t", session);
  }

  @Test
  void newUserGeneratesAnImageAndSeesItDrawn(@TempDir Path dir) throws Exception {
    assumeTrue(tmuxAvailable(), "tmux is not installed: the end-to-end test needs it");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command = "cd '" + dir + "' && env -u OPENAI_API_KEY -u IMAGINE_IMAGES XDG_CONFIG_HOME='" + dir
        + "/config' XDG_DATA_HOME='" + dir + "/data' '" + java + "' -cp '" + System.getProperty("java.class.path") + "' dev.imagine.cli.Main;"
        + " echo REPL-ENDED; sleep 30";
    assertThat(tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)).isZero();
    awaitPane("imagine>", 20);
    assertThat(pane()).contains("No OPENAI_API_KEY set: using the embedded local backend");
    tmux("send-keys", "-t", session, "-l", "images().prompt(\"a red fox in snow\").generate()");
    tmux("send-keys", "-t", session, "Enter");
    awaitPane("✓ 1 image · gpt-image-2 · 1024x1024", 30);
    awaitPane("▀", 10); // tmux answers the probe without sixel or kitty: half blocks
    tmux("send-keys", "-t", session, "-l", "/exit");
    tmux("send-keys", "-t", session, "Enter");
    awaitPane("REPL-ENDED", 15);
    assertThat(dir.resolve("imagine-output")).isDirectory();
    assertThat(Files.readString(dir.resolve("config/imagine/history"))).contains("a red fox in snow");
  }

  @Test
  void firstScreenHasNoWarningAndCtrlCOnABusyLoopLeavesTheReplIdle(@TempDir Path dir) throws Exception {
    assumeTrue(tmuxAvailable(), "tmux is not installed: the end-to-end test needs it");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command = "cd '" + dir + "' && env -u OPENAI_API_KEY -u IMAGINE_IMAGES XDG_CONFIG_HOME='" + dir
        // native access as scripts/imagine and the jar's manifest give it; C1 only: C2's compiles of javac, queued by the last snippets, would go on for seconds on a loaded machine
        + "/config' '" + java + "' -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED -cp '" + System.getProperty("java.class.path")
        + "' dev.imagine.cli.Main; echo REPL-ENDED $?; sleep 30";
    assertThat(tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)).isZero();
    awaitPane("imagine>", 30);
    assertThat(pane().lines()).as("the first screen on Java " + Runtime.version().feature())
        .noneMatch(l -> l.startsWith("WARNING"));
    ProcessHandle shell = ProcessHandle.of(Long.parseLong(tmuxOutput("display-message", "-p", "-t", session,
        "#{pane_pid}").strip())).orElseThrow();
    ProcessHandle repl = shell.descendants().filter(p -> p.info().command().orElse("").endsWith("/java")).findFirst()
        .orElseThrow(() -> new AssertionError("no java process under the pane's shell " + shell.pid()));

    type("long n = 0");
    awaitPane("n ==> 0", 30);
    // a loop that ends by itself first, so that the JIT work it causes is behind us when measuring
    type("for (int k = 0; k < 20_000_000; k++) { n++; } \"warmed up\"");
    awaitPane("==> \"warmed up\"", 60);
    settle(repl);
    type("while (true) { n++; }");
    Thread.sleep(1000);
    double busy = coresUsedOver(repl, 2000);
    tmux("send-keys", "-t", session, "C-c");
    awaitPane("cancelled: stopped at a loop", 10);
    double after = coresUsedOver(repl, 3000);
    String jdk = " on Java " + Runtime.version().feature() + " (" + String.format("%.3f", busy) + " while busy)";
    assertThat(after).as("cores the REPL's JVM used in the 3 s after Ctrl-C" + jdk).isLessThan(0.10);
    // a loaded machine gives the loop only a share of a core: the drop after Ctrl-C must show too
    assertThat(after).as("cores used after Ctrl-C against while busy" + jdk).isLessThan(busy / 3);

    type("n > 0 ? \"ran \" + (n + 1) : \"never ran\"");
    awaitPane("==> \"ran ", 15);
    assertThat(pane()).doesNotContain("==> \"never ran\"");
  }

  private void type(String line) throws Exception {
    tmux("send-keys", "-t", session, "-l", line);
    tmux("send-keys", "-t", session, "Enter");
  }

  /** Waits (at most 30 s) until the process uses under a tenth of a core, so a measurement starts from quiet. */
  private static void settle(ProcessHandle process) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (coresUsedOver(process, 1000) > 0.05 && System.nanoTime() < end) {
      // JShell's and the JIT's work after the last snippet
    }
  }

  /** The process's CPU time over the next {@code millis}, in cores (1.0 = one core all the time). */
  private static double coresUsedOver(ProcessHandle process, long millis) throws InterruptedException {
    Duration before = cpu(process);
    long t0 = System.nanoTime();
    Thread.sleep(millis);
    return cpu(process).minus(before).toNanos() / (double) (System.nanoTime() - t0);
  }

  private static Duration cpu(ProcessHandle process) {
    return process.info().totalCpuDuration().orElseThrow(() -> new AssertionError("no CPU time for " + process.pid()));
  }

  private static String tmuxOutput(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux"));
    command.addAll(List.of(args));
    return dev.imagine.Children.run(new ProcessBuilder(command), Duration.ofSeconds(10)).output();
  }

  private void awaitPane(String text, int seconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!pane().contains(text)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("no \"" + text + "\" in the pane:\n" + pane());
      }
      Thread.sleep(100);
    }
  }

  private String pane() throws IOException, InterruptedException {
    return dev.imagine.Children.run(new ProcessBuilder("tmux", "capture-pane", "-p", "-t", session), Duration.ofSeconds(10))
        .output();
  }

  private static boolean tmuxAvailable() {
    try {
      return tmux("-V") == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static int tmux(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
