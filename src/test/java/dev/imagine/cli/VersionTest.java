package dev.imagine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.internal.Version;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** One version string: the pom's, shown by {@code --version}, the banner and the User-Agent. */
class VersionTest {
  @Test
  void thePomsVersionIsTheOneShownEverywhere() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher m = Pattern.compile("<artifactId>imagine</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertThat(m.find()).as("the project's version in pom.xml").isTrue();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Main.run(new String[] {"--version"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

    assertThat(Version.VERSION).isEqualTo(m.group(1));
    assertThat(out.toString(StandardCharsets.UTF_8).strip()).isEqualTo("imagine " + m.group(1));
  }
}
