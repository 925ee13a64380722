package dev.imagine.cli;

import dev.imagine.ImageRequest;
import dev.imagine.ImagesClient;
import dev.imagine.batch.Batch;
import dev.imagine.batch.BatchReport;
import dev.imagine.batch.ItemOutcome;
import dev.imagine.internal.batch.BatchFolder;
import dev.imagine.internal.batch.BatchInput;
import dev.imagine.internal.batch.ProgressPrinter;
import dev.imagine.internal.batch.ProviderBatchRunner;
import dev.imagine.internal.batch.Summaries;
import dev.imagine.server.LocalBackend;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code imagine batch}: many images from a file of prompts, resumable.
 *
 * <pre>
 * imagine batch prompts.txt --out shots --size 1536x1024 --concurrency 8
 * [########----------------] 14/40 saved · 8 in flight · 3.1 img/s · ETA 9 s
 * 40 of 40 items saved in shots, 12.9 s
 * </pre>
 *
 * Exit codes: 0 every item saved, 1 some left (the last lines say which and how to continue), 2 a
 * usage or input error (nothing sent).
 */
final class BatchCommand {
  static final String USAGE = """
      usage: imagine batch PROMPTS --out DIR [options]     PROMPTS: one prompt a line, or JSONL request objects
             imagine batch --status DIR                    where a batch stands, from its journal
             imagine batch --cancel DIR                    cancel the folder's provider batches (--via batch-api)
        --out DIR             folder for the images and the journal (required); one folder per batch
        --model M  --size S  --quality Q  --n N            options shared by every item
        --concurrency N       requests out at once (default 4)
        --budget DOLLARS      stop sending once the estimated cost of this run would pass it
        --dry-run             print the count and the estimated cost; send nothing
        --retry-unknown       also send again the items of unknown outcome (they may be billed twice)
        --via batch-api       hand the work to the provider's Batch API: half price, done within 24 h;
                              a rerun re-attaches to the same batch
        --base-url URL        the server (default OPENAI_BASE_URL, else the client's default)
        --local               run against an embedded local backend (offline, free)
        --help                this text
      Run the same command again to continue: saved items are skipped, failed ones sent again.
      """;
  private static final Pattern SAFE_WORD = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  private BatchCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    List<String> a = Arrays.asList(args);
    if (a.contains("--help") || a.contains("-h")) {
      out.print(USAGE);
      return 0;
    }
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("imagine batch: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    if (o.status != null) {
      return status(o.status, out, err);
    }
    if (o.cancel != null) {
      return cancel(o, out, err, env);
    }
    List<ImageRequest> requests;
    try {
      requests = BatchInput.read(o.prompts, o.template());
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("imagine batch: " + e.getMessage());
      return 2;
    }
    LocalBackend local = o.local ? LocalBackend.start() : null;
    try (ImagesClient client = client(o, local, env)) {
      Batch batch = Batch.of(requests).client(client).out(o.out).concurrency(o.concurrency)
          .retryUnknown(o.retryUnknown).budget(o.budget);
      if (o.batchApi) {
        batch = batch.viaBatchApi();
      }
      if (o.dryRun) {
        out.println(requests.size() + " items, " + requests.stream().mapToInt(ImageRequest::n).sum()
            + " images; estimated cost" + (o.batchApi ? " at the batch price " : " ") + batch.estimate().map(Summaries::dollars)
                .orElse("unknown (no price is known for " + models(requests) + ")")
            + "; nothing was sent (--dry-run)");
        return 0;
      }
      ProgressPrinter progress = new ProgressPrinter(out, isTerminal(env));
      BatchReport report;
      try {
        report = batch.onProgress(progress).run();
      } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
        progress.finish();
        err.println("imagine batch: " + e.getMessage());
        return 2;
      }
      progress.finish();
      out.print(report.summary());
      if (report.complete()) {
        out.println("everything is saved in " + o.out);
        return 0;
      }
      closingLines(report, o, args, out);
      return 1;
    } finally {
      if (local != null) {
        local.close();
      }
    }
  }

  private static void closingLines(BatchReport report, Options o, String[] args, PrintStream out) {
    long again = report.items().stream().filter(ItemOutcome::sentAgainByNextRun).count();
    int unknown = report.with(ItemOutcome.Status.UNKNOWN).size();
    int rejected = report.with(ItemOutcome.Status.REJECTED).size();
    List<String> left = new ArrayList<>();
    if (again > 0) {
      left.add(again + " to send");
    }
    if (unknown > 0) {
      left.add(unknown + " of unknown outcome");
    }
    if (rejected > 0) {
      left.add(rejected + " rejected");
    }
    out.println("left: " + String.join(", ", left));
    String command = command(args, false);
    if (again > 0) {
      out.println("to continue: " + command);
    }
    if (unknown > 0 && !o.retryUnknown) {
      out.println("to send the unknown ones again too (they may be billed twice): " + command(args, true));
    }
  }

  /** The command that runs this batch again, quoted for a POSIX shell. */
  static String command(String[] args, boolean retryUnknown) {
    StringBuilder s = new StringBuilder("imagine batch");
    for (String arg : args) {
      if (arg.equals("--dry-run")) {
        continue;
      }
      s.append(' ').append(SAFE_WORD.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'");
    }
    if (retryUnknown && !Arrays.asList(args).contains("--retry-unknown")) {
      s.append(" --retry-unknown");
    }
    return s.toString();
  }

  private static int status(Path dir, PrintStream out, PrintStream err) {
    Optional<BatchReport> report;
    try {
      report = BatchFolder.status(dir);
    } catch (UncheckedIOException e) {
      err.println("imagine batch: " + e.getMessage());
      return 2;
    }
    if (report.isEmpty()) {
      err.println("imagine batch: " + dir + " holds no batch journal; start one with imagine batch PROMPTS --out " + dir);
      return 2;
    }
    out.print(report.get().summary().replaceFirst(", 0\\.0 s", ""));
    BatchFolder.openProviderBatches(dir).forEach(out::println);
    return report.get().complete() ? 0 : 1;
  }

  private static int cancel(Options o, PrintStream out, PrintStream err, Map<String, String> env) {
    try (ImagesClient client = client(o, null, env)) {
      List<String> ids = ProviderBatchRunner.cancel(o.cancel, client);
      if (ids.isEmpty()) {
        out.println("no provider batch of " + o.cancel + " is running");
      } else {
        out.println("asked to cancel " + String.join(", ", ids) + "; run the batch command again to collect what was made");
      }
      return 0;
    } catch (RuntimeException e) {
      err.println("imagine batch: " + e.getMessage());
      return 1;
    }
  }

  private static ImagesClient client(Options o, LocalBackend local, Map<String, String> env) {
    ImagesClient.Builder b = ImagesClient.builder();
    if (local != null) {
      b.baseUrl(local.baseUrl());
    } else if (o.baseUrl != null) {
      b.baseUrl(o.baseUrl);
    }
    return b.build();
  }

  private static String models(List<ImageRequest> requests) {
    return String.join(", ", requests.stream().map(ImageRequest::model).distinct().toList());
  }

  /** Whether stdout is a terminal; {@code IMAGINE_PROGRESS=plain|bar} decides when set. */
  static boolean isTerminal(Map<String, String> env) {
    String forced = env.get("IMAGINE_PROGRESS");
    if (forced != null) {
      return forced.equalsIgnoreCase("bar");
    }
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try { // Java 22+: a console exists even when redirected; isTerminal() tells
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // Java 17-21: System.console() is null unless stdin and stdout are a terminal
    }
  }

  /** The parsed command line. */
  private static final class Options {
    Path prompts;
    Path out;
    Path status;
    Path cancel;
    boolean batchApi;
    String model;
    String size;
    String quality;
    Integer n;
    int concurrency = 4;
    BigDecimal budget;
    boolean dryRun;
    boolean retryUnknown;
    boolean local;
    String baseUrl;

    static Options parse(String[] args) {
      Options o = new Options();
      Args a = new Args(args, java.util.Set.of("--dry-run", "--retry-unknown", "--local"));
      while (a.next()) {
        if (a.isWord()) {
          if (o.prompts != null) {
            throw new IllegalArgumentException("one prompts file only, not both " + o.prompts + " and " + a.name());
          }
          o.prompts = Path.of(a.name());
          continue;
        }
        switch (a.name()) {
          case "--dry-run" -> o.dryRun = true;
          case "--retry-unknown" -> o.retryUnknown = true;
          case "--local" -> o.local = true;
          case "--out" -> o.out = Path.of(a.value());
          case "--status" -> o.status = Path.of(a.value());
          case "--cancel" -> o.cancel = Path.of(a.value());
          case "--via" -> o.batchApi = switch (a.value()) {
            case "batch-api" -> true;
            case "direct" -> false;
            default -> throw new IllegalArgumentException("--via is direct or batch-api, not '" + a.value() + "'");
          };
          case "--model" -> o.model = a.value();
          case "--size" -> o.size = a.value();
          case "--quality" -> o.quality = a.value();
          case "--n" -> o.n = a.number();
          case "--concurrency" -> o.concurrency = a.number();
          case "--budget" -> o.budget = dollars(a.value());
          case "--base-url" -> o.baseUrl = a.value();
          default -> throw new IllegalArgumentException("unknown option " + a.name());
        }
      }
      if (o.status != null || o.cancel != null) {
        return o;
      }
      if (o.prompts == null) {
        throw new IllegalArgumentException("name the prompts file: imagine batch prompts.txt --out DIR");
      }
      if (o.out == null) {
        throw new IllegalArgumentException("--out DIR is required: the folder keeps the images and the journal that lets a rerun continue");
      }
      if (o.concurrency < 1) {
        throw new IllegalArgumentException("--concurrency must be 1 or more, not " + o.concurrency);
      }
      return o;
    }

    ImageRequest template() {
      ImageRequest.Builder b = ImageRequest.builder();
      if (model != null) {
        b.model(model);
      }
      if (size != null) {
        b.size(size);
      }
      if (quality != null) {
        b.quality(quality);
      }
      if (n != null) {
        b.n(n);
      }
      return b.build();
    }

    private static BigDecimal dollars(String value) {
      try {
        BigDecimal d = new BigDecimal(value.strip().replaceFirst("^\\$", ""));
        if (d.signum() <= 0) {
          throw new NumberFormatException();
        }
        return d;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--budget needs an amount of dollars above 0, like 5 or 12.50, not '" + value + "'");
      }
    }
  }
}
