package dev.imagine.repl.export;

import dev.imagine.GeneratedImage;
import dev.imagine.ImageResult;
import dev.imagine.repl.export.SessionLog.Cell;
import dev.imagine.repl.export.SessionLog.Images;
import dev.imagine.repl.export.SessionLog.Output;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * A session's images as one self-contained HTML page (images inline as {@code data:} URLs, no
 * script, no outside file): one section per result with its prompt (HTML-escaped), model, size
 * and estimated cost, then its images.
 */
final class GalleryPage {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  private static final String STYLE = """
      body{font:15px/1.4 system-ui,sans-serif;margin:2rem;background:#fafafa;color:#222}
      h1{font-size:1.4rem;margin:0 0 .2rem}
      .when{color:#666;margin:0 0 1.5rem}
      section{margin:0 0 2rem;padding:1rem;background:#fff;border:1px solid #ddd;border-radius:8px}
      .prompt{font-size:1.05rem;margin:0 0 .3rem;white-space:pre-wrap}
      .revised{color:#555;font-style:italic;margin:0 0 .3rem;white-space:pre-wrap}
      .meta{color:#666;margin:0 0 .8rem}
      .images{display:flex;flex-wrap:wrap;gap:12px}
      figure{margin:0}
      img{display:block;max-width:min(100%,512px);height:auto;border:1px solid #ccc}
      figcaption{color:#666;font-size:.85rem}
      """;

  private GalleryPage() {}

  /** One result or lone image, as shown. */
  private record Entry(String prompt, String revisedPrompt, String meta, List<GeneratedImage> images) {}

  static byte[] write(List<Cell> cells, Redactor redactor, Instant exported) {
    List<Entry> entries = new ArrayList<>();
    for (Cell cell : cells) {
      for (Output o : cell.outputs()) {
        if (o instanceof Images i) {
          collect(i.value(), entries);
        }
      }
    }
    int count = entries.stream().mapToInt(e -> e.images().size()).sum();
    StringBuilder html = new StringBuilder("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>imagine session</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
        .append("<h1>imagine session</h1>\n<p class=\"when\">exported ").append(WHEN.format(exported)).append(" · ")
        .append(count).append(count == 1 ? " image" : " images").append("</p>\n");
    int number = 0;
    for (Entry e : entries) {
      html.append("<section>\n<p class=\"prompt\">").append(escape(redactor.text(e.prompt()))).append("</p>\n");
      if (e.revisedPrompt() != null && !e.revisedPrompt().equals(e.prompt())) {
        html.append("<p class=\"revised\">as the model read it: ").append(escape(redactor.text(e.revisedPrompt())))
            .append("</p>\n");
      }
      html.append("<p class=\"meta\">").append(escape(e.meta())).append("</p>\n<div class=\"images\">\n");
      for (GeneratedImage image : e.images()) {
        number++;
        html.append("<figure><img src=\"data:").append(image.mimeType()).append(";base64,")
            .append(Base64.getEncoder().encodeToString(image.bytes())).append("\" alt=\"")
            .append(escape(redactor.text(image.prompt()))).append("\"");
        if (image.width() > 0) {
          html.append(" width=\"").append(image.width()).append("\" height=\"").append(image.height()).append("\"");
        }
        html.append("><figcaption>").append(number).append(" · ").append(image.width()).append('x').append(image.height())
            .append(" · ").append(image.extension()).append("</figcaption></figure>\n");
      }
      html.append("</div>\n</section>\n");
    }
    if (entries.isEmpty()) {
      html.append("<p>No images were made in this session.</p>\n");
    }
    return html.append("</body>\n</html>\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void collect(Object value, List<Entry> entries) {
    if (value instanceof ImageResult r) {
      List<String> meta = new ArrayList<>(List.of(r.model(), r.size()));
      if (r.quality() != null) {
        meta.add(r.quality());
      }
      r.cost().ifPresent(usd -> meta.add("about $" + usd.setScale(Math.max(2, Math.min(usd.scale(), 4)), RoundingMode.HALF_UP)
          .stripTrailingZeros().toPlainString()));
      meta.add(r.images().size() == 1 ? "1 image" : r.images().size() + " images");
      entries.add(new Entry(r.request().prompt(), r.revisedPrompt(), String.join(" · ", meta), r.images()));
    } else if (value instanceof GeneratedImage g) {
      entries.add(new Entry(g.prompt(), g.revisedPrompt(), g.width() + "x" + g.height(), List.of(g)));
    } else if (value instanceof Collection<?> c) {
      c.forEach(v -> collect(v, entries));
    }
  }

  /** Text safe inside HTML elements and quoted attributes. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
