package dev.imagine.repl;

import dev.imagine.repl.commands.CommandTable;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: REPL commands after {@code /}, known values inside the DSL's string arguments,
 * and everything else from JShell's own analysis (so {@code images().pro} completes to
 * {@code prompt(}).
 */
final class ReplCompleter implements Completer {
  private final Evaluator evaluator;
  private final CommandTable<Repl> commands;
  private final Repl session;

  /** {@code session} is what command completions read (images, history); may be null in tests. */
  ReplCompleter(Evaluator evaluator, CommandTable<Repl> commands, Repl session) {
    this.evaluator = evaluator;
    this.commands = commands;
    this.session = session;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    candidates.addAll(candidates(line.line(), line.cursor()));
  }

  /** The candidates at {@code cursor}; each replaces the word that {@link SnippetParser#wordStart} finds. */
  List<Candidate> candidates(String buffer, int cursor) {
    String before = buffer.substring(0, cursor);
    int wordStart = SnippetParser.wordStart(buffer, cursor);
    String word = buffer.substring(wordStart, cursor);
    if (SnippetParser.isCommand(buffer)) {
      return commands.candidates(session, buffer, cursor).stream()
          .map(c -> new Candidate(c.value(), c.value(), null, null, null, null, c.complete())).toList();
    }
    List<String> values = StringValues.candidates(before);
    if (StringValues.openStringStart(before) >= 0) {
      // Inside a string: known values, closed with the quote; never Java identifiers.
      return values.stream().filter(v -> v.startsWith(word))
          .map(v -> new Candidate(v + "\"", v, null, null, null, null, false)).toList();
    }
    // Only the snippet being typed matters: skip the complete ones before it.
    int start = lastSnippetStart(before);
    String code = before.substring(start);
    int[] anchor = new int[1];
    List<SourceCodeAnalysis.Suggestion> suggestions = evaluator.completions(code, code.length(), anchor);
    int anchorInBuffer = start + anchor[0];
    return suggestions.stream()
        .map(s -> toReplace(buffer, anchorInBuffer, wordStart, s.continuation()))
        .filter(v -> v != null && v.startsWith(word))
        .distinct()
        .map(v -> new Candidate(v, v, null, null, null, null, false))
        .toList();
  }

  /** JShell's continuation replaces from its anchor; JLine replaces the word: line them up. */
  private static String toReplace(String buffer, int anchor, int wordStart, String continuation) {
    if (anchor == wordStart) {
      return continuation;
    }
    if (anchor < wordStart) {
      String typed = buffer.substring(anchor, wordStart);
      return continuation.startsWith(typed) ? continuation.substring(typed.length()) : null;
    }
    return buffer.substring(wordStart, anchor) + continuation;
  }

  private int lastSnippetStart(String before) {
    int start = 0;
    for (int i = 0; i < before.length(); i++) {
      char c = before.charAt(i);
      if (c == ';' || c == '}') {
        String head = before.substring(0, i + 1);
        if (!evaluator.isIncomplete(head)) {
          start = i + 1;
        }
      }
    }
    return start;
  }
}
