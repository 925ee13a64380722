package dev.imagine.internal.http;

import dev.imagine.GeneratedImage;
import dev.imagine.internal.wire.PayloadOutput;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * Where a call's decoded images go while their answer streams in: memory (the default), or new
 * files in a folder, written as each piece decodes (a batch's, so an answer in flight holds a few
 * pieces of its images rather than all of them). Outputs of an attempt that fails, is retried or
 * is cancelled are discarded: a file of an image that never completed is deleted.
 */
public interface ImageDestination {
  /** A new output for one image of an answer, as its decoding starts (on the call's event loop). */
  Output open();

  /** One image's output, which becomes the image when its answer is complete. */
  interface Output extends PayloadOutput {
    /** The image, once every piece accepted is where it goes; asked once, after the last piece. */
    Future<GeneratedImage> image(int index, String prompt, String revisedPrompt);
  }

  /** Keeps each image in memory, in the pieces it decoded into. */
  static ImageDestination memory() {
    return InMemory::new;
  }

  /**
   * Streams each image to a new hidden file {@code dir/.<prefix><random>.part} as it decodes, the
   * writes done in order on {@code writes}; the image is then read from that file (which its
   * owner may move, see {@link dev.imagine.internal.images.StreamedFile}). When the disk gives out
   * midway, the rest of the image stays in memory: it is never lost.
   */
  static ImageDestination files(Path dir, String prefix, Executor writes) {
    return () -> new StreamingFileOutput(dir, prefix, writes);
  }

  /** The default: the pieces in memory. */
  final class InMemory extends PayloadOutput.InMemory implements Output {
    @Override
    public Future<GeneratedImage> image(int index, String prompt, String revisedPrompt) {
      return Future.succeededFuture(new GeneratedImage(pieces(), index, prompt, revisedPrompt, null));
    }
  }
}
