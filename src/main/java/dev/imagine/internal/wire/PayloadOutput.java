package dev.imagine.internal.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Where one base64 image's decoded bytes go, a piece at a time as {@link Base64Sink} decodes them:
 * kept in memory ({@link InMemory}, the default), or written somewhere as they come (a batch
 * streams each image to a file in its folder, so a response in flight holds little of it).
 */
public interface PayloadOutput {
  /** The next decoded bytes, in order; the array is handed over: the decoder never touches it again. */
  void accept(byte[] piece);

  /** The payload turned out broken, or its answer is abandoned: drops what was kept or written. */
  void discard();

  /** Keeps the pieces in memory, as they were decoded. */
  class InMemory implements PayloadOutput {
    private final List<byte[]> pieces = new ArrayList<>();

    @Override
    public void accept(byte[] piece) {
      pieces.add(piece);
    }

    @Override
    public void discard() {
      pieces.clear();
    }

    /** The decoded bytes, in pieces. */
    public List<byte[]> pieces() {
      return pieces;
    }
  }
}
