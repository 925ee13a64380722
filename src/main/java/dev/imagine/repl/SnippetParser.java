package dev.imagine.repl;

import java.util.List;
import java.util.function.Predicate;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

/**
 * Tells JLine when Enter should run the input and when it should open a continuation line (an
 * unfinished snippet, as JShell's own analysis judges it), and what the word at the cursor is for
 * completion: a Java identifier, or the text typed so far inside a string literal.
 */
final class SnippetParser implements Parser {
  private final Predicate<String> incomplete;

  SnippetParser(Predicate<String> incomplete) {
    this.incomplete = incomplete;
  }

  @Override
  public ParsedLine parse(String line, int cursor, ParseContext context) {
    if (context == ParseContext.ACCEPT_LINE && !isCommand(line) && !line.isBlank()
        && incomplete.test(line)) {
      throw new EOFError(-1, cursor, "incomplete snippet");
    }
    return new Line(line, cursor, wordStart(line, cursor));
  }

  /** Whether {@code line} is a REPL command ({@code /images}), not Java ({@code // note}, {@code /* ... *}{@code /}). */
  static boolean isCommand(String line) {
    String s = line.stripLeading();
    return s.startsWith("/") && !s.startsWith("//") && !s.startsWith("/*");
  }

  /** Where the word ending at {@code cursor} starts: in a command, after the last space. */
  static int wordStart(String line, int cursor) {
    int start = cursor;
    if (isCommand(line) && line.substring(0, cursor).strip().contains(" ")) {
      while (start > 0 && !Character.isWhitespace(line.charAt(start - 1))) {
        start--;
      }
      return start;
    }
    if (StringValues.openStringStart(line.substring(0, cursor)) >= 0) {
      return StringValues.openStringStart(line.substring(0, cursor));
    }
    while (start > 0 && (Character.isJavaIdentifierPart(line.charAt(start - 1)) || line.charAt(start - 1) == '/'
        && start - 1 == leadingSpace(line))) {
      start--;
    }
    return start;
  }

  private static int leadingSpace(String line) {
    int i = 0;
    while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    return i;
  }

  /** The parsed line: one word, the one at the cursor, ending at the cursor. */
  record Line(String line, int cursor, int wordStart) implements CompletingParsedLine {
    @Override public String word() { return line.substring(wordStart, cursor); }
    @Override public int wordCursor() { return cursor - wordStart; }
    @Override public int wordIndex() { return 0; }
    @Override public List<String> words() { return List.of(word()); }
    @Override public CharSequence escape(CharSequence candidate, boolean complete) { return candidate; }
    @Override public int rawWordCursor() { return wordCursor(); }
    @Override public int rawWordLength() { return word().length(); }
  }
}
