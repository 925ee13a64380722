package dev.imagine.repl;

import java.util.Set;
import org.jline.reader.Highlighter;
import org.jline.reader.LineReader;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Colours the input as it is typed: keywords, string and character literals, numbers, comments,
 * and REPL commands. A small lexer of its own: fast enough for every key stroke and tolerant of
 * unfinished input (an open string or comment runs to the end).
 */
final class JavaHighlighter implements Highlighter {
  static final AttributedStyle KEYWORD = AttributedStyle.BOLD.foreground(AttributedStyle.BLUE);
  static final AttributedStyle STRING = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
  static final AttributedStyle NUMBER = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
  static final AttributedStyle COMMENT = AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT).italic();
  static final AttributedStyle COMMAND = AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA);

  private static final Set<String> KEYWORDS = Set.of(
      "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
      "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
      "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
      "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
      "throw", "throws", "transient", "try", "void", "volatile", "while", "var", "record", "yield", "true",
      "false", "null");

  @Override
  public AttributedString highlight(LineReader reader, String buffer) {
    return highlight(buffer);
  }

  static AttributedString highlight(String s) {
    AttributedStringBuilder out = new AttributedStringBuilder(s.length() + 16);
    if (SnippetParser.isCommand(s)) {
      int end = s.indexOf(' ', s.indexOf('/'));
      end = end < 0 ? s.length() : end;
      out.styled(COMMAND, s.substring(0, end)).append(s.substring(end));
      return out.toAttributedString();
    }
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      int start = i;
      if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
        i = s.indexOf('\n', i);
        i = i < 0 ? n : i;
        out.styled(COMMENT, s.substring(start, i));
      } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        i = s.indexOf("*/", i + 2);
        i = i < 0 ? n : i + 2;
        out.styled(COMMENT, s.substring(start, i));
      } else if (c == '"' || c == '\'') {
        i++;
        while (i < n && s.charAt(i) != c && s.charAt(i) != '\n') {
          i += s.charAt(i) == '\\' ? 2 : 1;
        }
        i = Math.min(n, i + 1);
        out.styled(STRING, s.substring(start, i));
      } else if (Character.isDigit(c)) {
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.')) {
          i++;
        }
        out.styled(NUMBER, s.substring(start, i));
      } else if (Character.isJavaIdentifierStart(c)) {
        while (i < n && Character.isJavaIdentifierPart(s.charAt(i))) {
          i++;
        }
        String word = s.substring(start, i);
        if (KEYWORDS.contains(word)) {
          out.styled(KEYWORD, word);
        } else {
          out.append(word);
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toAttributedString();
  }
}
