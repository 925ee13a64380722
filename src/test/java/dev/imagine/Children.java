package dev.imagine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Child processes a test starts and waits for, never without end: the output goes to a file (so a
 * child that writes a lot cannot block on a full pipe, and reading it never waits for the child),
 * and one that outlives its time is killed and reported with what it said.
 */
public final class Children {
  private Children() {}

  /** How a child ended: its exit code and everything it wrote (stdout and stderr together). */
  public record Ended(int exitCode, String output) {}

  /** Runs {@code command} to its end within {@code limit}; an {@link AssertionError} with its output if it takes longer. */
  public static Ended run(ProcessBuilder command, Duration limit) {
    Path log = null;
    try {
      log = Files.createTempFile("imagine-child", ".log");
      Process p = command.redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(String.join(" ", command.command()) + " did not end within " + limit.toSeconds()
            + " s and was killed; it wrote:\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Ended(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + command.command(), e);
    } finally {
      if (log != null) {
        try {
          Files.deleteIfExists(log);
        } catch (IOException ignored) {
          // a temp file
        }
      }
    }
  }
}
