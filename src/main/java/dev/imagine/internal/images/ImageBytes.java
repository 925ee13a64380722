package dev.imagine.internal.images;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.Collections;
import java.util.List;

/**
 * Where a {@link dev.imagine.GeneratedImage}'s encoded bytes are: in memory, in the pieces they
 * were decoded into ({@link #inMemory}), or in a file a batch streamed them to ({@link StreamedFile}).
 */
public abstract class ImageBytes {
  /** The number of encoded bytes. */
  public abstract int size();

  /** The first bytes (tens of KiB, or all when fewer), enough to tell the format and mostly the pixel size. */
  public abstract byte[] head();

  /** Writes every byte to {@code out}, in order. */
  public abstract void writeTo(OutputStream out) throws IOException;

  /** The bytes as a stream, for decoders. */
  public abstract InputStream open() throws IOException;

  /** The bytes in one array: a new one, unless {@link #shared()} holds them in one already. */
  public byte[] toArray() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size());
    writeTo(out);
    return out.toByteArray();
  }

  /** The one array that holds every byte, without a copy (the caller must not change it), or {@code null}. */
  public byte[] shared() {
    return null;
  }

  /** Bytes held in memory, in pieces; neither the list nor the arrays are copied. */
  public static ImageBytes inMemory(List<byte[]> pieces) {
    return new Pieces(pieces);
  }

  /** Adds the lengths of the pieces; fails for more than a Java array holds. */
  static int sizeOf(List<byte[]> pieces, long more) {
    long total = more;
    for (byte[] piece : pieces) {
      total += piece.length;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("an image of " + total + " bytes is larger than a Java array can hold");
    }
    return (int) total;
  }

  /** How many bytes {@link #head()} holds at least (when the image has them). */
  public static final int HEAD = 64;

  /**
   * The first bytes of an image in pieces: the first piece when it holds {@link #HEAD} bytes or
   * more (it usually holds tens of KiB), else a copy of the first {@code HEAD} bytes, however short
   * the first pieces.
   */
  static byte[] headOf(List<byte[]> pieces) {
    if (pieces.isEmpty() || pieces.size() == 1 || pieces.get(0).length >= HEAD) {
      return pieces.isEmpty() ? new byte[0] : pieces.get(0);
    }
    ByteArrayOutputStream head = new ByteArrayOutputStream(HEAD);
    for (int i = 0; i < pieces.size() && head.size() < HEAD; i++) {
      head.write(pieces.get(i), 0, Math.min(pieces.get(i).length, HEAD - head.size()));
    }
    return head.toByteArray();
  }

  static InputStream streamOf(List<byte[]> pieces) {
    return new SequenceInputStream(Collections.enumeration(pieces.stream().map(ByteArrayInputStream::new).toList()));
  }

  private static final class Pieces extends ImageBytes {
    private final List<byte[]> pieces;
    private final int size;

    Pieces(List<byte[]> pieces) {
      this.pieces = List.copyOf(pieces);
      this.size = sizeOf(this.pieces, 0);
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public byte[] head() {
      return headOf(pieces);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      for (byte[] piece : pieces) {
        out.write(piece);
      }
    }

    @Override
    public InputStream open() {
      return streamOf(pieces);
    }

    @Override
    public byte[] toArray() throws IOException {
      return pieces.size() == 1 ? pieces.get(0).clone() : super.toArray();
    }

    @Override
    public byte[] shared() {
      return pieces.size() == 1 ? pieces.get(0) : null;
    }
  }
}
