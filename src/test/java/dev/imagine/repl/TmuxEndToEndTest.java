package dev.imagine.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    Process p = new ProcessBuilder("tmux", "capture-pane", "-p", "-t", session).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return text;
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
