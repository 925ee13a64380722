package dev.imagine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedImageTest {
  @TempDir Path dir;
  final byte[] png = ScriptedServer.png(20, 10);
  final GeneratedImage image = new GeneratedImage(png, 0, "A red fox, in the snow!", null, null);

  @Test
  void knowsItsFormatAndSizeFromTheBytes() {
    assertThat(image.mimeType()).isEqualTo("image/png");
    assertThat(image.extension()).isEqualTo("png");
    assertThat(image.width()).isEqualTo(20);
    assertThat(image.height()).isEqualTo(10);
  }

  @Test
  void anImageInPiecesReadsAndSavesAsOne() throws Exception {
    List<byte[]> pieces = List.of(java.util.Arrays.copyOfRange(png, 0, 30), java.util.Arrays.copyOfRange(png, 30, 31),
        java.util.Arrays.copyOfRange(png, 31, png.length));
    GeneratedImage split = new GeneratedImage(pieces, 0, "a red fox", null, null);
    assertThat(split.width()).isEqualTo(20);
    assertThat(split.size()).isEqualTo(png.length);
    assertThat(split.bytes()).isEqualTo(png);
    assertThat(Files.readAllBytes(split.saveTo(dir))).isEqualTo(png);
    assertThat(split.asInput().bytes()).isEqualTo(png);
    // the decoder may hand over a first piece of one quad (3 bytes): the format and size still read right
    GeneratedImage shortHead = new GeneratedImage(List.of(java.util.Arrays.copyOfRange(png, 0, 3),
        java.util.Arrays.copyOfRange(png, 3, 20), java.util.Arrays.copyOfRange(png, 20, png.length)), 0, "fox", null, null);
    assertThat(shortHead.mimeType()).isEqualTo("image/png");
    assertThat(shortHead.width()).isEqualTo(20);
    assertThat(shortHead.height()).isEqualTo(10);
  }

  @Test
  void saveWritesTheBytesAndNeverOverwritesUnlessAsked() throws Exception {
    Path file = dir.resolve("fox.png");
    image.save(file);
    assertThat(Files.readAllBytes(file)).isEqualTo(png);

    Files.write(file, new byte[] {1, 2, 3});
    assertThatThrownBy(() -> image.save(file)).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("already exists").hasMessageContaining("REPLACE_EXISTING");
    assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);

    image.save(file, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.readAllBytes(file)).isEqualTo(png);
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void saveToNamesFilesAfterThePromptAndCountsUpInsteadOfOverwriting() {
    Path first = image.saveTo(dir);
    Path second = image.saveTo(dir);
    assertThat(first.getFileName().toString()).isEqualTo("a-red-fox-in-the-snow.png");
    assertThat(second.getFileName().toString()).isEqualTo("a-red-fox-in-the-snow-2.png");
  }

  @Test
  void concurrentSavesToOneFolderNeverClobberEachOther() throws Exception {
    var pool = Executors.newFixedThreadPool(8);
    var names = ConcurrentHashMap.<Path>newKeySet();
    var futures = IntStream.range(0, 40).mapToObj(i -> pool.submit(() -> names.add(image.saveTo(dir)))).toList();
    for (var f : futures) {
      f.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(names).hasSize(40);
    try (var files = Files.list(dir)) {
      assertThat(files.count()).isEqualTo(40);
    }
  }

  @Test
  void aSaveToAFullDiskLeavesNoPartialFileSaysWhyAndTheImageCanBeSavedOnceThereIsRoom() throws Exception {
    Path small = dir.resolve("small");
    try (Mounts disk = Mounts.full(small)) {
      assertThatThrownBy(() -> image.save(small.resolve("x.png"))).isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("could not save " + small.resolve("x.png")).hasMessageContaining("the disk is full")
          .hasMessageContaining("still in memory");
      assertThatThrownBy(() -> image.saveTo(small)).hasMessageContaining("the disk is full");
      assertThat(namesIn(small)).containsExactly("filler");
      disk.free();
      assertThat(Files.readAllBytes(image.save(small.resolve("x.png")))).isEqualTo(png);
      assertThat(namesIn(small)).containsExactly("x.png");
    }
  }

  @Test
  void aSaveIntoAReadOnlyFolderSaysSoAndWritesNothing() throws Exception {
    Path readOnly = dir.resolve("ro");
    try (Mounts ro = Mounts.readOnly(readOnly)) {
      assertThatThrownBy(() -> image.save(readOnly.resolve("x.png"))).isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("could not save").hasMessageContaining("read-only").hasMessageContaining("still in memory");
      assertThatThrownBy(() -> image.saveTo(readOnly.resolve("sub"))).hasMessageContaining("read-only");
      assertThat(namesIn(readOnly)).isEmpty();
    }
  }

  @Test
  void slugsAreSafeAndShort() {
    GeneratedImage odd = new GeneratedImage(png, 0, "../../etc/passwd ☃ Ünïcödé " + "long ".repeat(30), null, null);
    String name = odd.saveTo(dir).getFileName().toString();
    assertThat(name).matches("[a-z0-9-]+\\.png").startsWith("etc-passwd-unicode");
    assertThat(name.length()).isLessThanOrEqualTo(52);
    GeneratedImage empty = new GeneratedImage(png, 0, "!!!", null, null);
    assertThat(empty.saveTo(dir).getFileName().toString()).isEqualTo("image.png");
  }

  private static List<String> namesIn(Path folder) throws Exception {
    try (var files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private List<Path> leftovers() throws Exception {
    try (var files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
    }
  }
}
