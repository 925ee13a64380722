package dev.imagine.repl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.Mounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk trouble while the REPL auto-saves, on real file systems (a full tmpfs, a read-only one):
 * the image stays in memory, the trouble is told once with the folder and the reason, and
 * {@code /save N path} still writes it. Nothing half-written is left behind.
 */
class ReplDiskTroubleTest {
  static final Duration GENERATION = Duration.ofSeconds(60);

  @TempDir Path dir;

  ReplHarness start() {
    ReplHarness repl = new ReplHarness(dir, Map.of("IMAGINE_IMAGES", "none"));
    repl.await(0, "imagine>");
    repl.awaitJava();
    return repl;
  }

  @Test
  void aFullDiskKeepsTheImagesInMemoryTellsOnceAndSaveStillWritesThem() throws Exception {
    Path output = dir.resolve("imagine-output");
    try (Mounts disk = Mounts.full(output); ReplHarness repl = start()) {
      String first = repl.run("images().prompt(\"a fox on a full disk\").generate()", GENERATION);
      assertThat(first).contains("✓ 1 image").contains("not saved, in memory: /save 1 path")
          .contains("could not auto-save image 1 under " + output.toAbsolutePath() + ": the disk is full")
          .contains("/save 1 path writes it elsewhere");

      String second = repl.run("images().prompt(\"two more foxes\").n(2).generate()", GENERATION);
      assertThat(second).as("told once, not once per image").doesNotContain("could not auto-save")
          .contains("not saved, in memory: /save 2 … 3 path");
      assertThat(repl.run("/images")).contains("1  not saved, in memory only: /save 1 path")
          .contains("3  not saved, in memory only: /save 3 path");

      Path kept = dir.resolve("kept.png");
      assertThat(repl.run("/save 1 " + kept)).contains("saved " + Views.display(kept));
      assertThat(ImageIO.read(kept.toFile()).getWidth()).isEqualTo(1024);
      assertThat(repl.run("/images")).contains("1  " + Views.display(kept));
      Path folder = Files.createDirectory(dir.resolve("elsewhere"));
      assertThat(repl.run("/save 3 " + folder)).contains("saved ").contains("two-more-foxes.png");
      assertThat(ImageIO.read(folder.resolve("two-more-foxes.png").toFile())).isNotNull();
      assertThat(filesUnder(output)).as("nothing half-written").containsExactly("filler");

      disk.free();
      String roomAgain = repl.run("images().prompt(\"room again\").generate()", GENERATION);
      assertThat(roomAgain).contains("saved ").contains("-room-again.png").doesNotContain("could not auto-save");
      disk.fill();
      String fullAgain = repl.run("images().prompt(\"full again\").generate()", GENERATION);
      assertThat(fullAgain).as("told again after a save worked in between")
          .contains("could not auto-save image 5 under " + output.toAbsolutePath() + ": the disk is full");
      assertThat(filesUnder(output)).noneMatch(name -> name.endsWith(".part")).noneMatch(name -> name.contains("full-again"));
    }
  }

  @Test
  void aReadOnlyFolderSaysSoAndAnotherFolderCanBeChosen() throws Exception {
    Path output = dir.resolve("imagine-output");
    try (Mounts readOnly = Mounts.readOnly(output); ReplHarness repl = start()) {
      String first = repl.run("images().prompt(\"a read-only fox\").generate()", GENERATION);
      assertThat(first).contains("could not auto-save image 1 under " + output.toAbsolutePath())
          .contains("the folder is read-only").contains("/config output FOLDER");

      Path copy = dir.resolve("copy.png");
      assertThat(repl.run("/save 1 " + copy)).contains("saved ");
      assertThat(ImageIO.read(copy.toFile()).getWidth()).isEqualTo(1024);

      Path other = dir.resolve("other-output");
      assertThat(repl.run("/config output " + other)).contains("images are saved under " + other.toAbsolutePath());
      String next = repl.run("images().prompt(\"a writable fox\").generate()", GENERATION);
      assertThat(next).contains("saved ").contains("-a-writable-fox.png").doesNotContain("could not auto-save");
      assertThat(filesUnder(other)).anyMatch(name -> name.endsWith("-a-writable-fox.png"))
          .anyMatch(name -> name.endsWith("-a-writable-fox.json"));
      assertThat(filesUnder(output)).isEmpty();
    }
  }

  @Test
  void aHistoryThatCannotBeWrittenLosesNoImage() throws Exception {
    try (Mounts readOnly = Mounts.readOnly(dir.resolve("data")); ReplHarness repl = start()) {
      String first = repl.run("images().prompt(\"a fox without history\").generate()", GENERATION);
      assertThat(first).contains("saved ").contains("-a-fox-without-history.png").doesNotContainPattern("· #\\d+ ·");
      String second = repl.run("images().prompt(\"another fox without history\").generate()", GENERATION);
      assertThat(second).contains("saved ").contains("-another-fox-without-history.png");
      String screen = ReplHarness.plain(repl.raw());
      assertThat(screen.split("history not kept", -1)).as("one warning on the whole screen:\n%s", screen).hasSize(2);
      assertThat(screen).contains("images are still saved");
      assertThat(repl.run("/images")).contains("-a-fox-without-history.png").contains("-another-fox-without-history.png");
      assertThat(filesUnder(repl.outputDir)).anyMatch(name -> name.endsWith("-a-fox-without-history.png"))
          .anyMatch(name -> name.endsWith("-another-fox-without-history.png"));
    }
  }

  /** The names of the files under {@code folder}, at any depth. */
  static List<String> filesUnder(Path folder) throws Exception {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
