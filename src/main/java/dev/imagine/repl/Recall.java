package dev.imagine.repl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.GeneratedImage;
import dev.imagine.ImageRequest;
import dev.imagine.ImageResult;
import dev.imagine.Images;
import dev.imagine.Usage;
import dev.imagine.internal.metadata.GenerationRecord;
import dev.imagine.repl.history.History;
import dev.imagine.repl.history.HistoryEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Past generations from Java, by their history number: in the REPL, in scripts, or in plain
 * jshell with the imagine startup file (which imports these).
 *
 * <pre>{@code
 * var fox = history(42);                                   // #42, its images read from their files
 * images().edit(last()).prompt("add a hat").generate();    // edits the newest image
 * rerun(42, "size=1536x1024", "quality=high");             // #42 again, with those changes
 * }</pre>
 */
public final class Recall {
  /** Set by a running REPL or script so that its own history is read. */
  static volatile History current;
  /** The file and number of images read back here, so a summary can name them. */
  private static final Map<GeneratedImage, Filed> FILED = Collections.synchronizedMap(new WeakHashMap<>());

  record Filed(Path file, long number) {}

  private Recall() {}

  /**
   * Generation {@code number} of the history: its request (without edited input images, which are
   * not recorded) and its images read back from their files.
   *
   * @throws IllegalArgumentException when there is no such number, it failed, or its files are gone
   */
  public static ImageResult history(long number) {
    HistoryEntry e = history().get(number).orElseThrow(() -> new IllegalArgumentException("no generation #" + number
        + " in the history (" + history().file() + "); /history lists them"));
    return result(e);
  }

  /** The first image of the newest generation in the history that made any. */
  public static GeneratedImage last() {
    HistoryEntry e = history().newest().orElseThrow(() -> new IllegalStateException(
        "the history holds no image yet: generate one first"));
    return result(e).image();
  }

  /**
   * Sends the request of generation {@code number} again, changed by {@code changes} of the form
   * {@code name=value} ({@code size=1536x1024}, {@code quality=high}, {@code n=2},
   * {@code model=...}, {@code prompt=...}), and waits for the images.
   */
  public static ImageResult rerun(long number, String... changes) {
    return Images.images(rerunRequest(number, List.of(changes))).generate();
  }

  /** The request {@code rerun} sends. */
  static ImageRequest rerunRequest(long number, List<String> changes) {
    HistoryEntry e = history().get(number).orElseThrow(() -> new IllegalArgumentException("no generation #" + number
        + " in the history; /history lists them"));
    JsonNode recorded = GenerationRecord.parse(e.request(), "#" + number);
    ImageRequest.Builder b = GenerationRecord.request(recorded).toBuilder();
    if (e.edit()) {
      EditInputs.restore(recorded, b, number);
    }
    for (String change : changes) {
      // one name=value each, split at the first '=': a value may hold spaces (prompt=a red hat)
      int eq = change.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("'" + change + "' is not name=value (e.g. size=1536x1024 quality=high n=2)");
      }
      String value = change.substring(eq + 1);
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      GenerationRecord.apply(b, change.substring(0, eq).strip(), value);
    }
    return b.build();
  }

  /** The file and number of an image read back by {@link #history}, or {@code null}. */
  static Filed filed(GeneratedImage image) {
    return FILED.get(image);
  }

  /** The REPL's history, else (plain jshell, a program) the one in the user's data folder. */
  static synchronized History history() {
    if (current == null) {
      current = new History(History.folder(System.getenv()), Clock.systemDefaultZone(), "java", System.err::println);
    }
    return current;
  }

  private static ImageResult result(HistoryEntry e) {
    if (e.failed()) {
      throw new IllegalArgumentException("#" + e.number() + " made no image: " + e.error());
    }
    JsonNode res = e.response() == null ? null : GenerationRecord.parse(e.response(), "#" + e.number());
    ImageRequest request = GenerationRecord.request(GenerationRecord.parse(e.request(), "#" + e.number()));
    List<GeneratedImage> images = new ArrayList<>();
    for (int i = 0; i < e.files().size(); i++) {
      Path file = e.files().get(i);
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException ex) {
        throw new IllegalArgumentException("the image files of #" + e.number() + " are gone (" + file
            + "); its request is still known: /rerun " + e.number() + " makes it again", ex);
      }
      GeneratedImage image = new GeneratedImage(bytes, i, e.prompt(), i == 0 ? text(res, "revised_prompt") : null, null);
      FILED.put(image, new Filed(file, e.number()));
      images.add(image);
    }
    String created = text(res, "created");
    JsonNode u = res == null ? null : res.get("usage");
    Usage usage = u == null ? null : new Usage(u.path("input_tokens").asLong(), u.path("output_tokens").asLong(),
        u.path("total_tokens").asLong(), u.has("text_tokens") ? u.get("text_tokens").asLong() : null,
        u.has("image_tokens") ? u.get("image_tokens").asLong() : null);
    return new ImageResult(request, created == null ? e.at() : Instant.parse(created), images, usage,
        text(res, "size"), text(res, "quality"), text(res, "background"), text(res, "output_format"), e.requestId(),
        e.elapsedMillis() == null ? Duration.ZERO : Duration.ofMillis(e.elapsedMillis()));
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
