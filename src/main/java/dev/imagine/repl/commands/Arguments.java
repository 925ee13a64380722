package dev.imagine.repl.commands;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command's arguments as words: split at spaces, with {@code "double quotes"} keeping spaces
 * (also inside {@code name="a value"}), and {@code \"} a quote inside them.
 *
 * <pre>{@code
 * Arguments a = Arguments.parse("42 size=1536x1024 prompt=\"a fox, at dawn\" --today");
 * a.positional();   // [42]
 * a.assignments();  // {size=1536x1024, prompt=a fox, at dawn}
 * a.flags();        // [--today]
 * }</pre>
 */
public final class Arguments {
  private final List<String> words;

  private Arguments(List<String> words) {
    this.words = List.copyOf(words);
  }

  /** Splits {@code text}; an unclosed quote is an error saying where it opened. */
  public static Arguments parse(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int quoteAt = -1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoteAt >= 0) {
        if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          word.append('"');
          i++;
        } else if (c == '"') {
          quoteAt = -1;
        } else {
          word.append(c);
        }
      } else if (c == '"') {
        quoteAt = i;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quoteAt >= 0) {
      throw new IllegalArgumentException("the quote at column " + (quoteAt + 1) + " is never closed: " + text);
    }
    if (inWord) {
      words.add(word.toString());
    }
    return new Arguments(words);
  }

  /** Every word, in order. */
  public List<String> words() {
    return words;
  }

  /** The words that are neither {@code name=value} nor {@code --flag}. */
  public List<String> positional() {
    return words.stream().filter(w -> !isAssignment(w) && !w.startsWith("--")).toList();
  }

  /** {@code name=value} words in order; a name given twice keeps its last value. */
  public Map<String, String> assignments() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String w : words) {
      if (isAssignment(w)) {
        int eq = w.indexOf('=');
        out.put(w.substring(0, eq), w.substring(eq + 1));
      }
    }
    return out;
  }

  /** The {@code --flag} words. */
  public List<String> flags() {
    return words.stream().filter(w -> w.startsWith("--")).toList();
  }

  /** The word after {@code --flag}, when the flag is there and followed by one. */
  public java.util.Optional<String> flagValue(String flag) {
    int i = words.indexOf(flag);
    return i >= 0 && i + 1 < words.size() ? java.util.Optional.of(words.get(i + 1)) : java.util.Optional.empty();
  }

  private static boolean isAssignment(String w) {
    int eq = w.indexOf('=');
    return eq > 0 && !w.startsWith("--") && w.substring(0, eq).chars().allMatch(c -> Character.isLetterOrDigit(c)
        || c == '_' || c == '-');
  }

  @Override
  public String toString() {
    return String.join(" ", words);
  }
}
