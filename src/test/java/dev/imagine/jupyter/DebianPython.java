package dev.imagine.jupyter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Python 3 that has the given modules: Debian's {@code /usr/bin/python3} first (where
 * {@code apt-get install python3-nbclient python3-nbformat} puts them, as {@code .ci/run} does),
 * then whatever {@code python3} is on the PATH.
 */
public final class DebianPython {
  private DebianPython() {}

  public static Optional<String> with(String... modules) {
    List<String> candidates = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/python3"))) {
      candidates.add("/usr/bin/python3");
    }
    candidates.add("python3");
    for (String python : candidates) {
      try {
        Process p = new ProcessBuilder(python, "-c", "import " + String.join(", ", modules))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return Optional.of(python);
        }
        p.destroyForcibly();
      } catch (Exception e) {
        // not this one
      }
    }
    return Optional.empty();
  }

  public static String missing(String... modules) {
    return "no python3 with " + String.join(" and ", modules) + " here (apt-get install "
        + String.join(" ", java.util.Arrays.stream(modules).map(m -> "python3-" + m.replace('_', '-')).toList())
        + "; .ci/run installs them when it can)";
  }
}
