package dev.imagine.internal.images;

import dev.imagine.internal.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An image's bytes as a batch streamed them while they were decoded: in a temporary file in the
 * batch's folder, then (once {@link #moveTo moved}) under the image's own name. When the disk
 * gave out midway ({@link #trouble()}), the file holds the first bytes and the rest are here in
 * memory, so the image, paid for, is still whole. Reads open the file under the lock that
 * {@link #moveTo} and {@link #release} take, so a reader never loses it to a move or a release.
 */
public final class StreamedFile extends ImageBytes {
  private final byte[] head;
  private long inFile; // guarded by this
  private List<byte[]> tail; // guarded by this
  private final IOException trouble;
  private final int size;
  private Path path; // guarded by this; null once released
  private boolean moved; // guarded by this

  /**
   * @param firstPieces the image's first pieces (also in the file or the tail), for its format and size
   * @param file the temporary file holding the first {@code inFile} bytes, or {@code null} when none is
   * @param tail the bytes after them, kept in memory because the file could not take them
   * @param trouble why the file could not take them, or {@code null}
   */
  public StreamedFile(List<byte[]> firstPieces, Path file, long inFile, List<byte[]> tail, IOException trouble) {
    this.head = headOf(firstPieces);
    this.path = file;
    this.inFile = inFile;
    this.tail = List.copyOf(tail);
    this.trouble = trouble;
    this.size = sizeOf(this.tail, inFile);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public byte[] head() {
    return head;
  }

  /** Why some bytes are in memory rather than in the file (a full disk), or {@code null} when the file holds them all. */
  public IOException trouble() {
    return trouble;
  }

  /** Where the file is now (its temporary name until moved), or {@code null} when the bytes are all in memory. */
  public synchronized Path file() {
    return path;
  }

  /** Whether the temporary file holds every byte, not yet moved: {@link #moveTo} then saves the image. */
  public synchronized boolean wholeInTemporaryFile() {
    return trouble == null && path != null && !moved;
  }

  /**
   * Gives the file its final name {@code target} (same folder, or at least the same file system),
   * never replacing a file there: {@link java.nio.file.FileAlreadyExistsException} when taken.
   */
  public synchronized void moveTo(Path target) throws IOException {
    if (!wholeInTemporaryFile()) {
      throw new IllegalStateException("the image is not whole in a temporary file: save it instead");
    }
    AtomicFiles.placeNew(path, target);
    path = target;
    moved = true;
  }

  /**
   * Deletes the temporary file unless it was moved into place; the image stays readable (the
   * file's part is read into memory first), for a listener that still holds it.
   */
  public synchronized void release() {
    if (path != null && !moved) {
      try {
        List<byte[]> all = new ArrayList<>();
        try (InputStream in = new BoundedInput(Files.newInputStream(path), inFile)) {
          for (byte[] piece; (piece = in.readNBytes(48 * 1024)).length > 0; ) {
            all.add(piece);
          }
        }
        all.addAll(tail);
        tail = List.copyOf(all);
        inFile = 0;
      } catch (IOException unreadable) {
        // then only what was in memory can still be read
      }
      drop();
    }
  }

  /** Deletes the temporary file unless it was moved into place; the image cannot be read after. */
  public synchronized void drop() {
    if (path != null && !moved) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // a hidden .part file: the batch deletes its leftovers when it opens the folder again
      }
      path = null;
    }
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    try (InputStream in = open()) {
      in.transferTo(out);
    }
  }

  @Override
  public synchronized InputStream open() throws IOException {
    if (inFile == 0) {
      return streamOf(tail);
    }
    if (path == null) {
      throw new NoSuchFileException("the file this image was streamed to was deleted while its answer was abandoned");
    }
    // opened under the lock: a move or a release after this does not take the open file away
    InputStream file = new BoundedInput(Channels.newInputStream(FileChannel.open(path)), inFile);
    return tail.isEmpty() ? file : new SequenceInputStream(file, streamOf(tail));
  }

  /** The first {@code limit} bytes of a stream: the file may hold a partial write past what counted. */
  private static final class BoundedInput extends InputStream {
    private final InputStream in;
    private long left;

    BoundedInput(InputStream in, long limit) {
      this.in = in;
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b < 0) {
        throw shorter();
      }
      left--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw shorter();
      }
      left -= n;
      return n;
    }

    private IOException shorter() {
      return new java.io.EOFException("the image's file ends " + left + " bytes short: it was changed after the batch wrote it");
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
