package dev.imagine.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.GeneratedImage;
import dev.imagine.Mounts;
import dev.imagine.internal.images.ImageBacking;
import dev.imagine.internal.images.StreamedFile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An image streamed to a file as it decodes: where its bytes go, what it reads back, and what is left on disk. */
class StreamingFileOutputTest {
  private static final byte[] PNG = noisyPng(500, 400);
  private final ExecutorService writes = Executors.newSingleThreadExecutor();

  @TempDir
  Path dir;

  @AfterEach
  void stopWriter() {
    writes.shutdownNow();
  }

  @Test
  void theBytesGoToAHiddenFileAndTheImageReadsThemFromThereAfterItsMove() throws Exception {
    ImageDestination.Output out = ImageDestination.files(dir, "imagine-streaming-0001-", writes).open();
    feed(out, PNG);
    GeneratedImage image = out.image(0, "noise", null).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    StreamedFile file = (StreamedFile) ImageBacking.bytesOf(image);
    assertThat(file.trouble()).isNull();
    assertThat(file.file().getFileName().toString()).startsWith(".imagine-streaming-0001-").endsWith(".part");
    assertThat(Files.readAllBytes(file.file())).as("the file holds the image").isEqualTo(PNG);
    assertThat(image.width()).isEqualTo(500);
    assertThat(image.size()).isEqualTo(PNG.length);

    Path target = dir.resolve("0001-noise.png");
    file.moveTo(target);
    file.release(); // moved into place: kept
    assertThat(names()).containsExactly("0001-noise.png");
    assertThat(image.bytes()).isEqualTo(PNG);
    assertThat(image.toBufferedImage().getHeight()).isEqualTo(400);
    Path copy = image.save(dir.resolve("copy.png"));
    assertThat(Files.readAllBytes(copy)).isEqualTo(PNG);
  }

  @Test
  void aShortFirstPieceStillTellsTheFormatAndSize() throws Exception {
    ImageDestination.Output out = ImageDestination.files(dir, "imagine-streaming-0005-", writes).open();
    out.accept(Arrays.copyOfRange(PNG, 0, 5)); // a network read that ended just after the payload began
    out.accept(Arrays.copyOfRange(PNG, 5, 30));
    out.accept(Arrays.copyOfRange(PNG, 30, PNG.length));
    GeneratedImage image = out.image(0, "noise", null).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(image.mimeType()).isEqualTo("image/png");
    assertThat(image.width()).isEqualTo(500);
    assertThat(image.height()).isEqualTo(400);
    assertThat(image.bytes()).isEqualTo(PNG);
  }

  @Test
  void aDiscardedImageLeavesNoFile() throws Exception {
    ImageDestination.Output out = ImageDestination.files(dir, "imagine-streaming-0002-", writes).open();
    feed(out, Arrays.copyOf(PNG, PNG.length / 2));
    out.discard();
    writes.submit(() -> { }).get(30, TimeUnit.SECONDS); // the writer has run what was queued before
    assertThat(names()).isEmpty();
  }

  @Test
  void aFolderThatCannotTakeTheFileKeepsTheWholeImageInMemory() throws Exception {
    ImageDestination.Output out = ImageDestination.files(dir.resolve("missing"), "imagine-streaming-0003-", writes).open();
    feed(out, PNG);
    GeneratedImage image = out.image(0, "noise", null).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    StreamedFile file = (StreamedFile) ImageBacking.bytesOf(image);
    assertThat(file.trouble()).isInstanceOf(IOException.class);
    assertThat(file.file()).isNull();
    assertThat(file.wholeInTemporaryFile()).isFalse();
    assertThat(image.bytes()).isEqualTo(PNG);
  }

  @Test
  void aDiskThatFillsUpMidImageKeepsTheRestInMemory() throws Exception {
    Path full = dir.resolve("disk");
    try (Mounts disk = Mounts.full(full)) {
      disk.free();
      long room = Files.getFileStore(full).getUsableSpace();
      Path ballast = Files.write(full.resolve("ballast.bin"), new byte[(int) (room - PNG.length / 3)]);
      ImageDestination.Output out = ImageDestination.files(full, "imagine-streaming-0004-", writes).open();
      feed(out, PNG);
      GeneratedImage image = out.image(0, "noise", null).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

      StreamedFile file = (StreamedFile) ImageBacking.bytesOf(image);
      assertThat(file.trouble()).as("the disk filled up").hasMessageContaining("No space left");
      assertThat(Files.size(file.file())).as("part of the image is in the file").isGreaterThan(0).isLessThan(PNG.length);
      assertThat(image.bytes()).as("the image, paid for, is whole").isEqualTo(PNG);
      Path elsewhere = image.save(dir.resolve("rescued.png"));
      assertThat(Files.readAllBytes(elsewhere)).isEqualTo(PNG);
      file.release();
      assertThat(image.bytes()).as("still readable by whoever holds it after the batch let go").isEqualTo(PNG);
      Files.delete(ballast);
      try (Stream<Path> left = Files.list(full)) {
        assertThat(left.map(p -> p.getFileName().toString())).as("no half-written file").noneMatch(n -> n.endsWith(".part"));
      }
    }
  }

  /** Hands the bytes over in pieces of the decoder's size. */
  private static void feed(ImageDestination.Output out, byte[] bytes) {
    int piece = 48 * 1024;
    for (int i = 0; i < bytes.length; i += piece) {
      out.accept(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + piece)));
    }
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static byte[] noisyPng(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(12);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
