package dev.imagine.repl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The startup file that makes plain {@code jshell} ready for the DSL:
 * {@code jshell --class-path imagine-all.jar --startup DEFAULT --startup <file>}.
 */
public final class StartupFile {
  private StartupFile() {}

  /** The file's text (the same imports the REPL starts with). */
  public static String text() {
    return Evaluator.startupText();
  }

  /**
   * Writes the file to {@code target}, or when {@code null} to
   * {@code $XDG_CONFIG_HOME/imagine/imagine-startup.jsh} (else {@code ~/.config/imagine/…}),
   * replacing an older copy; returns where.
   */
  public static Path write(Path target) {
    Path file = target != null ? target : Repl.historyFile(System.getenv()).resolveSibling("imagine-startup.jsh");
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      Files.writeString(file, text(), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The version of imagine. */
  public static String version() {
    return dev.imagine.internal.Version.VERSION;
  }
}
