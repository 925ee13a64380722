package dev.imagine.repl;

import dev.imagine.Background;
import dev.imagine.Moderation;
import dev.imagine.OutputFormat;
import dev.imagine.Quality;
import dev.imagine.ResponseFormat;
import dev.imagine.Size;
import dev.imagine.Style;
import dev.imagine.internal.models.ModelCatalog;
import dev.imagine.internal.models.ModelInfo;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The known values of the DSL's string options, offered by completion inside a string argument:
 * {@code .size("} → {@code 1024x1024}, {@code 1536x1024}, ... They come from the constant classes
 * ({@link Size}, {@link Quality}, ...) and, for models, from the model catalogue (live models
 * first), so a new constant or model shows up here by itself.
 */
final class StringValues {
  private static final Pattern OPEN_ARGUMENT = Pattern.compile("\\.(\\w+)\\(\\s*\"([^\"\\\\]*)$");
  private static final Pattern OPEN_STRING = Pattern.compile("\"([^\"\\\\]*)$");
  private static final Map<String, List<String>> VALUES = Map.of(
      "model", ModelCatalog.all().stream().map(ModelInfo::id).toList(),
      "size", constants(Size.class),
      "quality", constants(Quality.class),
      "style", constants(Style.class),
      "background", constants(Background.class),
      "moderation", constants(Moderation.class),
      "outputFormat", constants(OutputFormat.class),
      "responseFormat", constants(ResponseFormat.class),
      "inputFidelity", List.of("high", "low"));

  private StringValues() {}

  /**
   * The values for the string argument open at the end of {@code before} (text up to the cursor),
   * e.g. {@code images().size("15} → the sizes; empty when the cursor is not in such an argument.
   */
  static List<String> candidates(String before) {
    Matcher m = OPEN_ARGUMENT.matcher(before);
    if (!m.find() || closesLiteral(before, m.start(2) - 1)) {
      return List.of();
    }
    return VALUES.getOrDefault(m.group(1), List.of());
  }

  /** Where the text of a string literal left open at the end of {@code before} starts, or -1. */
  static int openStringStart(String before) {
    Matcher m = OPEN_STRING.matcher(before);
    if (!m.find() || closesLiteral(before, m.start())) {
      return -1;
    }
    return m.start(1);
  }

  /** Whether the quote at {@code quote} closes a literal (an odd number of quotes comes before it). */
  private static boolean closesLiteral(String s, int quote) {
    int count = 0;
    for (int i = 0; i < quote; i++) {
      if (s.charAt(i) == '\\') {
        i++;
      } else if (s.charAt(i) == '"') {
        count++;
      }
    }
    return count % 2 != 0;
  }

  private static List<String> constants(Class<?> type) {
    List<String> values = new ArrayList<>();
    for (Field f : type.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        try {
          values.add((String) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return List.copyOf(values);
  }
}
