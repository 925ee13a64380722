package dev.imagine.repl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Completes a path being typed to image files and folders ({@code folder/} stays open for more). */
final class FileCompletion {
  private static final int MAX = 200;

  private FileCompletion() {}

  /** Candidates replacing the last word of {@code before}: its folder's images and subfolders. */
  static List<String> images(String before) {
    String word = before.substring(before.lastIndexOf(' ') + 1);
    int slash = word.lastIndexOf('/');
    String prefix = slash < 0 ? "" : word.substring(0, slash + 1);
    Path folder = Path.of(prefix.isEmpty() ? "." : prefix);
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.limit(MAX)
          .filter(p -> Files.isDirectory(p) || isImage(p))
          .map(p -> prefix + p.getFileName() + (Files.isDirectory(p) ? "/" : ""))
          .sorted()
          .toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  private static boolean isImage(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".webp");
  }
}
