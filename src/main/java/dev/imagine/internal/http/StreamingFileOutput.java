package dev.imagine.internal.http;

import dev.imagine.GeneratedImage;
import dev.imagine.internal.images.ImageBacking;
import dev.imagine.internal.images.ImageBytes;
import dev.imagine.internal.images.StreamedFile;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One image written to a temporary file as it decodes (see {@link ImageDestination#files}). The
 * decoder hands pieces over on the event loop; they wait in a queue until a task on the writer
 * executor (one at a time per image, so in order) writes them, so no event loop waits for a disk.
 * A piece the file cannot take (a full disk) and every later one stay in memory instead.
 */
final class StreamingFileOutput implements ImageDestination.Output {
  private final Path dir;
  private final String prefix;
  private final Executor writes;
  // guarded by this
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private final List<byte[]> headPieces = new ArrayList<>(1); // until they hold ImageBytes.HEAD bytes
  private int headLength;
  private boolean draining;
  private boolean discarded;
  private Promise<GeneratedImage> ended;
  private int index;
  private String prompt;
  private String revisedPrompt;
  private StreamedFile done;
  // touched by the drain task only (one at a time)
  private Path temp;
  private FileChannel channel;
  private long written;
  private IOException trouble;
  private final List<byte[]> tail = new ArrayList<>();

  StreamingFileOutput(Path dir, String prefix, Executor writes) {
    this.dir = dir;
    this.prefix = prefix;
    this.writes = writes;
  }

  @Override
  public void accept(byte[] piece) {
    synchronized (this) {
      if (discarded || ended != null) {
        return;
      }
      if (headLength < ImageBytes.HEAD) {
        headPieces.add(piece);
        headLength += piece.length;
      }
      queue.add(piece);
    }
    drainLater();
  }

  @Override
  public void discard() {
    StreamedFile file;
    synchronized (this) {
      discarded = true;
      queue.clear();
      file = done;
    }
    if (file != null) {
      file.drop();
    } else {
      drainLater(); // the drain task closes and deletes the file
    }
  }

  @Override
  public Future<GeneratedImage> image(int index, String prompt, String revisedPrompt) {
    Promise<GeneratedImage> promise = Promise.promise();
    synchronized (this) {
      if (ended != null) {
        return ended.future(); // an answer that names one payload twice
      }
      this.ended = promise;
      this.index = index;
      this.prompt = prompt;
      this.revisedPrompt = revisedPrompt;
    }
    drainLater();
    return promise.future();
  }

  private void drainLater() {
    synchronized (this) {
      if (draining) {
        return;
      }
      draining = true;
    }
    try {
      writes.execute(this::drain);
    } catch (RejectedExecutionException shutDown) {
      drain(); // the owner stopped its writers: finish here rather than lose the image
    }
  }

  private void drain() {
    while (true) {
      byte[] piece;
      synchronized (this) {
        if (discarded) {
          draining = false;
          closeAndDelete();
          return;
        }
        piece = queue.poll();
        if (piece == null && (ended == null || done != null)) {
          draining = false;
          return;
        }
      }
      if (piece == null) {
        finish(); // still draining: a discard meanwhile is seen at its end
        return;
      }
      write(piece);
    }
  }

  private void write(byte[] piece) {
    if (trouble == null && channel == null) {
      try {
        temp = Files.createTempFile(dir, "." + prefix, ".part");
        channel = FileChannel.open(temp, StandardOpenOption.WRITE);
      } catch (IOException e) {
        trouble = e;
      }
    }
    if (trouble != null) {
      tail.add(piece);
      return;
    }
    ByteBuffer buffer = ByteBuffer.wrap(piece);
    try {
      while (buffer.hasRemaining()) {
        written += channel.write(buffer);
      }
    } catch (IOException e) {
      trouble = e; // what the file did not take stays here
      tail.add(buffer.position() == 0 ? piece : Arrays.copyOfRange(piece, buffer.position(), piece.length));
    }
  }

  private void finish() {
    close();
    if (written == 0) {
      deleteTemp();
    }
    StreamedFile file = new StreamedFile(headPieces, temp, written, tail, trouble);
    Promise<GeneratedImage> finished;
    boolean discardedMeanwhile;
    synchronized (this) {
      done = file;
      draining = false;
      finished = ended;
      discardedMeanwhile = discarded;
    }
    if (discardedMeanwhile) {
      file.drop();
    }
    finished.complete(ImageBacking.image(file, index, prompt, revisedPrompt, null));
  }

  private void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        if (trouble == null) {
          trouble = e;
        }
      }
      channel = null;
    }
  }

  private void closeAndDelete() {
    close();
    deleteTemp();
  }

  private void deleteTemp() {
    if (temp != null) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // a hidden .part file: the batch deletes its leftovers when it opens the folder again
      }
      temp = null;
    }
  }
}
