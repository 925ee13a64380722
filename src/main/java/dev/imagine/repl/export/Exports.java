package dev.imagine.repl.export;

import dev.imagine.internal.files.AtomicFiles;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;

/**
 * Writes a {@link SessionLog} as a notebook ({@code .ipynb}), a script ({@code .jsh}) or an HTML
 * gallery ({@code .html}), chosen by the file's extension; atomically, never over an existing file
 * unless asked. Lines that look like they carry a key, and the given secret values, are left out.
 *
 * <pre>{@code
 * Exports.write(log, Path.of("session.ipynb"), new Exports.Setup("0.1.0", true), List.of(apiKey), false);
 * }</pre>
 */
public final class Exports {
  /** What the notebook's first cell needs: imagine's version, and whether the session ran on the local backend. */
  public record Setup(String version, boolean localBackend) {}

  private Exports() {}

  /** The extensions {@link #write} knows. */
  public static final String KINDS = ".ipynb, .jsh or .html";

  /**
   * @param secrets values to blank wherever they appear (the API key, header values)
   * @param replace whether an existing file may be replaced
   * @return the file written
   * @throws IllegalArgumentException for an extension other than {@link #KINDS}
   * @throws UncheckedIOException saying why, e.g. the file exists
   */
  public static Path write(SessionLog log, Path file, Setup setup, Collection<String> secrets, boolean replace) {
    Redactor redactor = new Redactor(secrets);
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    byte[] bytes;
    if (name.endsWith(".ipynb")) {
      bytes = NotebookFormat.write(log.cells(), redactor, setup);
    } else if (name.endsWith(".jsh")) {
      bytes = ScriptFormat.write(log.cells(), redactor, Instant.now());
    } else if (name.endsWith(".html") || name.endsWith(".htm")) {
      bytes = GalleryPage.write(log.cells(), redactor, Instant.now());
    } else {
      throw new IllegalArgumentException("cannot export to '" + file + "': give a file ending in " + KINDS);
    }
    if (!replace && Files.exists(file)) {
      String message = "not exported: " + file + " already exists; choose another name, or add --replace to overwrite it";
      throw new UncheckedIOException(message, new FileAlreadyExistsException(file.toString()));
    }
    return replace ? AtomicFiles.write(file, bytes, StandardCopyOption.REPLACE_EXISTING) : AtomicFiles.write(file, bytes);
  }
}
