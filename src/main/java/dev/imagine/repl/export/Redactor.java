package dev.imagine.repl.export;

import dev.imagine.repl.Secrets;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Keeps keys and header values out of exports: a line that looks like it carries a credential
 * (see {@link Secrets}) is left out, and any of the given secret values (the session's API key,
 * its header values) is blanked wherever it appears.
 */
final class Redactor {
  static final String LEFT_OUT_CODE = "// (a line with a key or credential is left out of this export)";
  static final String LEFT_OUT_TEXT = "(a line that looked like a key or credential is left out of this export)";
  private static final String BLANKED = "[redacted]";
  private static final int SHORTEST_SECRET = 4; // shorter values would blank ordinary words

  private final List<String> secrets;

  Redactor(Collection<String> secrets) {
    this.secrets = secrets.stream().filter(s -> s != null && s.strip().length() >= SHORTEST_SECRET)
        .map(String::strip).distinct().toList();
  }

  String code(String source) {
    return lines(source, LEFT_OUT_CODE);
  }

  String text(String text) {
    return lines(text, LEFT_OUT_TEXT);
  }

  private String lines(String text, String leftOut) {
    if (text == null) {
      return null;
    }
    return text.lines().map(line -> Secrets.containsSecret(line) ? leftOut : blank(line))
        .collect(Collectors.joining("\n", "", text.endsWith("\n") ? "\n" : ""));
  }

  /** The secret values blanked out of one line. */
  String blank(String line) {
    String out = line;
    for (String secret : secrets) {
      out = out.replace(secret, BLANKED);
    }
    return out;
  }
}
