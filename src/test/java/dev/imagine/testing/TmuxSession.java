package dev.imagine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A detached tmux session for end-to-end tests of what a real terminal shows: start a command in
 * a pane of a given size, read the pane as text, kill the session. Every tmux call is bounded.
 */
public final class TmuxSession implements AutoCloseable {
  private final String name;

  /** A session named after {@code prefix} and this JVM, not started yet. */
  public TmuxSession(String prefix) {
    this.name = prefix + "-" + ProcessHandle.current().pid();
  }

  /** Whether tmux is installed here. */
  public static boolean available() {
    try {
      return tmux("-V") == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Starts {@code shellCommand} in a detached pane of {@code columns} x {@code rows}; false when tmux refused. */
  public boolean start(int columns, int rows, String shellCommand) throws IOException, InterruptedException {
    return tmux("new-session", "-d", "-s", name, "-x", String.valueOf(columns), "-y", String.valueOf(rows), shellCommand) == 0;
  }

  /** The pane's visible text now. */
  public String pane() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("tmux", "capture-pane", "-p", "-t", name).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tmux capture-pane did not answer in 10 s");
    }
    return text;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    tmux("kill-session", "-t", name);
  }

  private static int tmux(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
