package dev.imagine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A real file system mounted on a test's folder, for disk trouble that even root meets: a tiny
 * tmpfs that is then filled up (a full disk), or a read-only one (chmod does not stop root, a
 * read-only mount does). Mounting needs root, as CI has; elsewhere the test is skipped saying so.
 * Closing unmounts it.
 */
public final class Mounts implements AutoCloseable {
  private final Path folder;
  private final Path filler;

  private Mounts(Path folder, Path filler) {
    this.folder = folder;
    this.filler = filler;
  }

  /** {@code folder} (created if missing) on an 8 MiB tmpfs that is already full: no write into it can succeed. */
  public static Mounts full(Path folder) {
    Mounts m = new Mounts(mount(folder, "size=8m,mode=0777"), folder.resolve("filler"));
    m.fill();
    return m;
  }

  /** {@code folder} (created if missing) on an empty read-only tmpfs. */
  public static Mounts readOnly(Path folder) {
    return new Mounts(mount(folder, "ro,size=64k,mode=0777"), null);
  }

  /** Frees the full disk, so that writes succeed again; {@link #fill()} fills it again. */
  public void free() {
    try {
      Files.deleteIfExists(filler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fills the disk up to its last byte. */
  public void fill() {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND)) {
      for (long written = 0; ; written += block.length) {
        if (written > 64L << 20) {
          throw new AssertionError(folder + " took 64 MiB and is still not full: not the tiny tmpfs it should be");
        }
        out.write(block);
      }
    } catch (IOException full) {
      // No space left on device: what we wanted. Top it up byte by byte, as a block may not fit.
    }
    try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
      for (int i = 0; i < block.length; i++) {
        out.write(0);
        out.flush();
      }
    } catch (IOException full) {
      // now full to the byte
    }
  }

  @Override
  public void close() {
    Children.Ended ended = Children.run(new ProcessBuilder("umount", "-l", folder.toString()), Duration.ofSeconds(30));
    if (ended.exitCode() != 0) {
      throw new AssertionError("could not unmount the test's tmpfs at " + folder + ": " + ended.output());
    }
  }

  private static Path mount(Path folder, String options) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Children.Ended ended;
    try {
      ended = Children.run(new ProcessBuilder(List.of("mount", "-t", "tmpfs", "-o", options, "imagine-test", folder.toString())),
          Duration.ofSeconds(30));
    } catch (UncheckedIOException e) {
      Assumptions.abort("no mount command here (" + e.getMessage() + "): a tiny tmpfs needs util-linux and root, as CI has");
      throw e;
    }
    Assumptions.assumeTrue(ended.exitCode() == 0, () -> "cannot mount a tmpfs here (" + ended.output().strip()
        + "): a full or read-only folder needs root, as CI has");
    return folder;
  }
}
