package dev.imagine.internal.files;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes files so that a reader never sees half of one: bytes go to a temporary file in the same
 * directory, which is then linked or moved into place. A failure (a full disk) removes the
 * temporary file and reports what happened; an existing file is never replaced unless asked.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes {@code bytes} to {@code target}; replaces an existing file only with {@code REPLACE_EXISTING}. */
  public static Path write(Path target, byte[] bytes, CopyOption... options) {
    return write(target, List.of(bytes), options);
  }

  /** What a file gets: written to the stream it is given. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes the pieces, one after another, as {@link #write(Path, byte[], CopyOption...)} writes one array. */
  public static Path write(Path target, List<byte[]> pieces, CopyOption... options) {
    return write(target, piecesOf(pieces), options);
  }

  private static Content piecesOf(List<byte[]> pieces) {
    return out -> {
      for (byte[] piece : pieces) {
        out.write(piece);
      }
    };
  }

  /** Writes what {@code content} writes, as {@link #write(Path, byte[], CopyOption...)} writes an array. */
  public static Path write(Path target, Content content, CopyOption... options) {
    boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
    Path dir = target.toAbsolutePath().getParent();
    Path temp = null;
    try {
      Files.createDirectories(dir);
      if (!replace && Files.exists(target)) {
        throw new FileAlreadyExistsException(target.toString());
      }
      temp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
      try (OutputStream out = Files.newOutputStream(temp)) {
        content.writeTo(out);
      }
      if (replace) {
        moveReplacing(temp, target);
      } else {
        // A hard link fails if the name is taken, so two writers can never clobber each other.
        linkOrMove(temp, target);
      }
      return target;
    } catch (IOException e) {
      throw notSaved(target, e);
    } finally {
      deleteQuietly(temp);
    }
  }

  /** Writes into {@code dir} as {@code base.ext}, or {@code base-2.ext}, {@code base-3.ext}... when taken. */
  public static Path writeNew(Path dir, String base, String ext, byte[] bytes) {
    return writeNew(dir, base, ext, List.of(bytes));
  }

  /** {@link #writeNew(Path, String, String, byte[])} for an image in pieces. */
  public static Path writeNew(Path dir, String base, String ext, List<byte[]> bytes) {
    return writeNew(dir, base, ext, piecesOf(bytes));
  }

  /** {@link #writeNew(Path, String, String, byte[])} for what {@code bytes} writes. */
  public static Path writeNew(Path dir, String base, String ext, Content bytes) {
    for (int i = 1; ; i++) {
      Path candidate = dir.resolve(i == 1 ? base + "." + ext : base + "-" + i + "." + ext);
      if (Files.exists(candidate)) {
        continue;
      }
      try {
        return write(candidate, bytes);
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof FileAlreadyExistsException)) {
          throw e;
        }
        // another writer took the name between the check and the link: try the next one
      }
    }
  }

  /**
   * A file-name-safe slug of free text: lower case ASCII letters and digits joined by dashes, at
   * most {@code max} characters, cut at a word boundary; {@code image} when nothing is left.
   */
  public static String slug(String text, int max) {
    if (text == null) {
      return "image";
    }
    String ascii = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
    String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (slug.length() > max) {
      slug = slug.substring(0, max);
      int dash = slug.lastIndexOf('-');
      if (dash > max / 2) {
        slug = slug.substring(0, dash);
      }
    }
    return slug.isEmpty() ? "image" : slug;
  }

  /**
   * Gives a finished file (in the target's folder, or on its file system) the name {@code target},
   * never replacing a file there: {@link FileAlreadyExistsException} when the name is taken.
   */
  public static void placeNew(Path file, Path target) throws IOException {
    linkOrMove(file, target);
    deleteQuietly(file); // the link's other name (a move left none)
  }

  private static void linkOrMove(Path temp, Path target) throws IOException {
    try {
      Files.createLink(target, temp);
    } catch (UnsupportedOperationException | SecurityException e) {
      Files.move(temp, target); // fails, without replacing, if the target exists
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (IOException e) {
      if (Files.exists(target)) {
        throw new FileAlreadyExistsException(target.toString());
      }
      Files.move(temp, target); // file systems without hard links (FAT, some network mounts)
    }
  }

  private static void moveReplacing(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** What a failure to save {@code target} says: the name taken, or why nothing was written there. */
  public static UncheckedIOException notSaved(Path target, IOException e) {
    if (e instanceof FileAlreadyExistsException) {
      return new UncheckedIOException("not saved: " + target + " already exists; choose another name, "
          + "or pass StandardCopyOption.REPLACE_EXISTING to overwrite it", e);
    }
    return new UncheckedIOException("could not save " + target + ": " + reason(e)
        + "; nothing was written there, and the image is still in memory to save elsewhere", e);
  }

  /** Why a write failed, in words: "the disk is full", "the folder is read-only", or the exception's own. */
  public static String reason(IOException e) {
    String msg = e.getMessage();
    if (msg != null && (msg.contains("No space left") || msg.contains("Disk quota exceeded"))) {
      return "the disk is full";
    }
    if (msg != null && msg.contains("Read-only file system")) {
      return "the folder is read-only (a read-only file system)";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + msg;
    }
    return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }

  private static void deleteQuietly(Path temp) {
    if (temp != null) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // best effort: the temp file is hidden and ends in .part
      }
    }
  }
}
