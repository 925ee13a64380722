package dev.imagine.repl.history;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One generation as the history keeps it: what was asked, what came back (or the error), the
 * estimated cost, and the absolute paths of the image files. Never a key, a header value or an
 * image's bytes.
 *
 * @param number its stable number ({@code #42}); 0 before it is written
 * @param at when it finished
 * @param session the REPL session that made it
 * @param model the model asked for
 * @param size the size asked for
 * @param quality the quality asked for, or {@code null}
 * @param n how many images were asked for
 * @param prompt the prompt
 * @param edit whether it was an edit of input images
 * @param request the request's recorded fields, as JSON (see {@code GenerationRecord})
 * @param response the answer's metadata, as JSON, or {@code null} after an error
 * @param cost estimated cost in USD, or {@code null} when unknown
 * @param elapsedMillis time from sending to having the images, or {@code null}
 * @param requestId the server's request id, or {@code null}
 * @param error what went wrong, or {@code null}
 * @param label a name within a comparison ({@code model=gpt-image-1 · quality=high}), or {@code null}
 * @param files the image files, absolute
 */
public record HistoryEntry(long number, Instant at, String session, String model, String size, String quality, int n,
    String prompt, boolean edit, String request, String response, BigDecimal cost, Long elapsedMillis,
    String requestId, String error, String label, List<Path> files) {

  public HistoryEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(request, "request");
    files = List.copyOf(files);
  }

  /** This entry under its number. */
  HistoryEntry numbered(long number) {
    return new HistoryEntry(number, at, session, model, size, quality, n, prompt, edit, request, response, cost,
        elapsedMillis, requestId, error, label, files);
  }

  /** Whether it failed. */
  public boolean failed() {
    return error != null;
  }

  /** Whether some of its image files no longer exist. */
  public boolean filesGone() {
    return files.stream().anyMatch(f -> !Files.exists(f));
  }
}
