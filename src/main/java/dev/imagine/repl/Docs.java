package dev.imagine.repl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Documentation on demand ({@code /doc images().size}, Alt-D): JShell resolves what the code at
 * the cursor refers to and gives its signatures; the one-line text comes from our own index,
 * {@code docs.properties}, since JShell reads Javadoc only from the JDK's src.zip.
 */
final class Docs {
  private static final Pattern MEMBER = Pattern.compile("([\\w$]+)\\.([\\w$]+)\\(");
  private final Properties index = new Properties();
  private final Evaluator evaluator;

  Docs(Evaluator evaluator) {
    this.evaluator = evaluator;
    try (InputStream in = Docs.class.getResourceAsStream("docs.properties")) {
      if (in != null) {
        index.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The one-line doc of {@code SimpleClass.method}, or {@code null}. */
  String line(String simpleClass, String method) {
    return index.getProperty(simpleClass + "." + method);
  }

  Set<String> keys() {
    return index.stringPropertyNames();
  }

  /**
   * Documentation for the code before {@code cursor} ({@code images().size}): signatures, each
   * followed by its line from the index; empty when nothing is known there.
   */
  List<String> lookup(String code, int cursor) {
    String before = code.substring(0, cursor);
    // "images().size" names the method: ask as if its argument list were open.
    String asked = before.matches("(?s).*[\\w$]$") ? before + "(" : before;
    List<String> signatures = evaluator.signatures(asked, asked.length());
    List<String> out = new ArrayList<>();
    Set<String> documented = new LinkedHashSet<>();
    for (String signature : signatures) {
      out.add(simplify(signature));
      Matcher m = MEMBER.matcher(signature);
      String doc = null;
      while (m.find()) {
        doc = line(simpleName(m.group(1)), m.group(2));
        if (doc != null) {
          break;
        }
      }
      if (doc != null && documented.add(doc)) {
        out.add("    " + doc);
      }
    }
    return out;
  }

  private static String simpleName(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(dot + 1);
  }

  /** Signatures read better without package names: {@code ImageGeneration size(String size)}. */
  static String simplify(String signature) {
    return signature.replaceAll("\\b(?:[a-z][\\w]*\\.)+([A-Z])", "$1");
  }
}
