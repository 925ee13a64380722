package dev.imagine.repl;

import dev.imagine.GeneratedImage;
import dev.imagine.ImageRequest;
import dev.imagine.ImageResult;
import dev.imagine.Images;
import dev.imagine.ImagesClient;
import dev.imagine.internal.files.AtomicFiles;
import dev.imagine.internal.images.ImageGrid;
import dev.imagine.internal.images.NotebookImages;
import dev.imagine.internal.metadata.GenerationRecord;
import dev.imagine.repl.commands.Arguments;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A {@code /compare} matrix: one request across the values of one option (the columns) and
 * maybe a second (the rows). {@code name=a,b} is an axis, {@code name=value} is the same in every
 * cell; {@code fill=a,b} fills the prompt's {@code {}}.
 *
 * <pre>{@code
 * /compare prompt="a {} fox" fill=red,arctic size=1024x1024,1536x1024
 * }</pre>
 */
final class Comparison {
  static final String USAGE = "/compare prompt=\"a {} fox\" [fill=red,arctic] size=1024x1024,1536x1024 "
      + "[quality=low,high] [name=value ...] [--yes]";
  /** Cells in flight at once: enough to overlap, few enough not to meet a rate limit. */
  static final int CONCURRENCY = 4;
  private static final String FILL = "fill";

  /** One option's values across a side of the sheet. */
  record Axis(String name, List<String> values) {
    String label(int i) {
      return values.get(i);
    }
  }

  /** One cell's outcome: its result, or why it made none. */
  record Cell(ImageRequest request, ImageResult result, String error) {}

  final Axis columns;
  final Axis rows; // null for a single row
  final List<ImageRequest> requests; // row by row

  private Comparison(Axis columns, Axis rows, List<ImageRequest> requests) {
    this.columns = columns;
    this.rows = rows;
    this.requests = requests;
  }

  /** Parses the command's arguments; every request is built (and so checked) before anything is sent. */
  static Comparison parse(String arguments) {
    Arguments a = Arguments.parse(arguments);
    if (!a.positional().isEmpty()) {
      throw new IllegalArgumentException("'" + a.positional().get(0) + "' is not name=value: " + USAGE);
    }
    Map<String, String> assignments = a.assignments();
    String prompt = assignments.get("prompt");
    if (prompt == null || prompt.isBlank()) {
      throw new IllegalArgumentException("a comparison needs a prompt: " + USAGE);
    }
    List<Axis> axes = new ArrayList<>();
    ImageRequest.Builder fixed = ImageRequest.builder().prompt(prompt);
    for (Map.Entry<String, String> e : assignments.entrySet()) {
      if (e.getKey().equals("prompt")) {
        continue;
      }
      List<String> values = Arrays.stream(e.getValue().split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
      if (e.getKey().equals(FILL) || values.size() > 1) {
        axes.add(new Axis(e.getKey(), values));
      } else {
        GenerationRecord.apply(fixed, e.getKey(), e.getValue());
      }
    }
    boolean fills = axes.stream().anyMatch(x -> x.name().equals(FILL));
    if (fills != prompt.contains("{}")) {
      throw new IllegalArgumentException(fills ? "fill=... needs a {} in the prompt to fill"
          : "the prompt has a {} but no fill=a,b gives its values");
    }
    if (axes.isEmpty() || axes.size() > 2) {
      throw new IllegalArgumentException((axes.isEmpty() ? "nothing to compare" : "at most two options vary")
          + ": give one or two options several values separated by commas, " + USAGE);
    }
    Axis columns = axes.get(0);
    Axis rows = axes.size() > 1 ? axes.get(1) : null;
    List<ImageRequest> requests = new ArrayList<>();
    for (int r = 0; r < (rows == null ? 1 : rows.values().size()); r++) {
      for (int c = 0; c < columns.values().size(); c++) {
        ImageRequest.Builder b = fixed.build().toBuilder();
        set(b, prompt, columns, c);
        if (rows != null) {
          set(b, prompt, rows, r);
        }
        requests.add(b.build());
      }
    }
    return new Comparison(columns, rows, List.copyOf(requests));
  }

  private static void set(ImageRequest.Builder b, String prompt, Axis axis, int i) {
    if (axis.name().equals(FILL)) {
      b.prompt(prompt.replace("{}", axis.values().get(i)));
    } else {
      GenerationRecord.apply(b, axis.name(), axis.values().get(i));
    }
  }

  int images() {
    return requests.stream().mapToInt(ImageRequest::n).sum();
  }

  /** The estimated total of the cells whose cost is known, and how many are not. */
  record Estimate(BigDecimal known, int unknown) {
    String describe() {
      if (unknown > 0 && known.signum() == 0) {
        return "cost unknown";
      }
      return "estimated " + HistoryLines.money(known) + (unknown > 0 ? " + " + unknown + " cost unknown" : "");
    }
  }

  Estimate estimate(ImagesClient client) {
    BigDecimal known = BigDecimal.ZERO;
    int unknown = 0;
    for (ImageRequest r : requests) {
      Optional<BigDecimal> cost = client.estimate(r);
      if (cost.isPresent()) {
        known = known.add(cost.get());
      } else {
        unknown++;
      }
    }
    return new Estimate(known, unknown);
  }

  /** "4 images (2 size × 2 quality)" */
  String shape() {
    int n = images();
    return n + (n == 1 ? " image" : " images") + " (" + columns.values().size() + " " + columns.name()
        + (rows == null ? "" : " × " + rows.values().size() + " " + rows.name()) + ")";
  }

  /** Sends every cell, {@value #CONCURRENCY} at a time, through the default client (so its listeners record each). */
  List<Cell> send(long timeoutSeconds) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(CONCURRENCY, requests.size()), r -> {
      Thread t = new Thread(r, "imagine-compare");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<ImageResult>> futures = new ArrayList<>();
      for (ImageRequest r : requests) {
        futures.add(pool.submit(() -> Images.images(r).generate()));
      }
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
      List<Cell> cells = new ArrayList<>();
      for (int i = 0; i < requests.size(); i++) {
        try {
          cells.add(new Cell(requests.get(i), futures.get(i).get(Math.max(0, end - System.nanoTime()),
              TimeUnit.NANOSECONDS), null));
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable cause = e.getCause();
          cells.add(new Cell(requests.get(i), null, cause.getClass().getSimpleName() + ": " + cause.getMessage()));
        } catch (java.util.concurrent.TimeoutException e) {
          futures.get(i).cancel(true);
          cells.add(new Cell(requests.get(i), null, "no answer within " + timeoutSeconds + " s"));
        }
      }
      return cells;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The contact sheet: each cell's first image (an empty tile where a cell failed), labelled. */
  BufferedImage sheet(List<Cell> cells, int maxWidth) {
    List<BufferedImage> tiles = cells.stream()
        .map(c -> c.result() == null || c.result().images().isEmpty() ? null : c.result().image().toBufferedImage())
        .toList();
    ImageGrid grid = ImageGrid.of(tiles).columnLabels(columns.values()).maxWidth(maxWidth);
    if (rows != null) {
      grid.rowLabels(rows.values());
    }
    return grid.compose();
  }

  /** Saves the sheet as {@code compare-<prompt>.png} in {@code folder}; the file written. */
  Path save(BufferedImage sheet, Path folder) {
    String prompt = requests.get(0).prompt();
    return AtomicFiles.writeNew(folder, "compare-" + AtomicFiles.slug(prompt, 40), "png", NotebookImages.png(sheet));
  }

  /** The label of cell {@code i}: {@code size=1024x1024 quality=low}. */
  String cellLabel(int i) {
    int c = i % columns.values().size();
    String label = columns.name() + "=" + columns.label(c);
    return rows == null ? label : label + " " + rows.name() + "=" + rows.label(i / columns.values().size());
  }

  static GeneratedImage first(Cell cell) {
    return cell.result() == null || cell.result().images().isEmpty() ? null : cell.result().image();
  }
}
