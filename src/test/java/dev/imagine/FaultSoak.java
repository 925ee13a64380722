package dev.imagine;

import dev.imagine.server.Fault;
import dev.imagine.server.LocalBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The fault soak (issue 13): many generations through {@link ImagesClient} with its default
 * settings to a {@link LocalBackend}, a share of them with a fault drawn from every {@link Fault}
 * through the {@code x-imagine-fault} header, several at once; every image returned is saved into
 * a folder. Then it counts what must never happen, from the server's own accounting (one unique
 * prompt per logical request): images delivered but not returned, requests generated twice,
 * stray files in the folder, failures that are not a typed exception saying what happened.
 * Shared by {@code FaultSoakTest} (CI) and the bench's {@code soak} scenario.
 */
public final class FaultSoak {
  /**
   * The images asked for: dall-e-2's 256x256, the smallest any model makes (16 times fewer pixels
   * than a current model's smallest), so a run's CPU goes to the client and its retries rather
   * than to drawing. The client warns once that the model was shut down and sends it anyway.
   */
  static final String MODEL = Model.DALL_E_2;
  static final String SIZE = "256x256";
  /** How fast a slow body trickles: about half a second for one answer. */
  static final int SLOW_BODY_BYTES_PER_SECOND = 100_000;
  /** What a rate limit or an outage asks the client to wait, when it says. */
  static final int RETRY_AFTER_MS = 50;

  private FaultSoak() {}

  /**
   * @param generations logical requests in all
   * @param concurrency requests in flight at once
   * @param faultShare the share of requests given a fault, 0 to 1
   * @param seed draws every request's fault: the same seed plays the same faults on the same requests
   * @param folder where the returned images are saved (created; should be empty)
   * @param timeout the longest the whole run may take
   */
  public record Settings(int generations, int concurrency, double faultShare, long seed, Path folder,
      Duration timeout) {}

  /** The fault a logical request gets; {@code fault} null for none. */
  record Plan(int index, String prompt, Fault fault, boolean once) {
    String header() {
      String value = fault.headerName() + (once ? ";times=1" : "");
      return switch (fault) {
        case RATE_LIMIT, SERVICE_UNAVAILABLE -> value + ";retry-after-ms=" + RETRY_AFTER_MS;
        case SLOW_BODY -> value + ";rate=" + SLOW_BODY_BYTES_PER_SECOND;
        default -> value;
      };
    }

    /** Whether the client must end with the image: a fault it retries, played once, or one that only slows. */
    boolean mustSucceed() {
      return fault == null || fault == Fault.SLOW_BODY || once && switch (fault) {
        case RATE_LIMIT, RATE_LIMIT_NO_RETRY_AFTER, SERVER_ERROR, BAD_GATEWAY, SERVICE_UNAVAILABLE,
            HTML_BAD_GATEWAY -> true;
        default -> false;
      };
    }

    @Override
    public String toString() {
      return "#" + index + (fault == null ? " (no fault)" : " (" + header() + ")");
    }
  }

  /**
   * What a run found. The first four must be zero.
   *
   * @param lostImages requests whose images the server wrote whole but the client did not return (or save)
   * @param generatedTwice requests the server made images for more than once
   * @param strayFiles files in the folder that are not a whole saved image (temporary, partial, unknown)
   * @param badFailures failures that are not a public typed exception with a message saying what happened
   * @param unexpectedFailures requests that should have ended with their image (no fault, or a
   *     retried fault played once) but failed
   * @param failuresByType how many requests failed, by exception type
   */
  public record Outcome(long seed, int generations, int faulted, int succeeded, int failed, List<String> lostImages,
      List<String> generatedTwice, List<String> strayFiles, List<String> badFailures,
      List<String> unexpectedFailures, Map<String, Integer> failuresByType, Duration elapsed) {

    /** Whether none of the things that must never happen happened. */
    public boolean clean() {
      return lostImages.isEmpty() && generatedTwice.isEmpty() && strayFiles.isEmpty() && badFailures.isEmpty()
          && unexpectedFailures.isEmpty();
    }

    public double generationsPerSecond() {
      return generations / Math.max(1e-3, elapsed.toNanos() / 1e9);
    }

    /** A report with the seed, to reproduce a run: {@code -Dsoak.seed=N}. */
    public String summary() {
      return "fault soak, seed " + seed + " (-Dsoak.seed=" + seed + " reproduces the faults): " + generations
          + " generations, " + faulted + " with a fault, " + succeeded + " returned, " + failed + " failed "
          + failuresByType + "; lost images " + lostImages.size() + ", generated twice " + generatedTwice.size()
          + ", stray files " + strayFiles.size() + ", untyped or unclear failures " + badFailures.size()
          + ", unexpected failures " + unexpectedFailures.size() + "; "
          + String.format(java.util.Locale.ROOT, "%.1f s, %.1f generations/s", elapsed.toMillis() / 1000.0,
              generationsPerSecond())
          + details("lost", lostImages) + details("generated twice", generatedTwice) + details("stray", strayFiles)
          + details("bad failures", badFailures) + details("unexpected failures", unexpectedFailures);
    }

    private static String details(String what, List<String> items) {
      return items.isEmpty() ? "" : "\n  " + what + ": " + String.join("\n    ", items.subList(0, Math.min(10, items.size())));
    }
  }

  /** The faults of a run, drawn from the seed alone. */
  static List<Plan> plans(Settings s) {
    Random random = new Random(s.seed());
    Fault[] kinds = Fault.values();
    List<Plan> plans = new ArrayList<>();
    int faulted = 0;
    for (int i = 0; i < s.generations(); i++) {
      Fault fault = null;
      if (random.nextDouble() < s.faultShare()) {
        // every kind in turn first, then at random, so even a short run plays each one
        fault = faulted < kinds.length ? kinds[faulted] : kinds[random.nextInt(kinds.length)];
        faulted++;
      }
      boolean once = random.nextBoolean();
      plans.add(new Plan(i, "fault soak " + s.seed() + " request " + i, fault, once));
    }
    return plans;
  }

  /** Runs the soak against {@code backend}. */
  public static Outcome run(LocalBackend backend, Settings s) throws InterruptedException {
    try {
      Files.createDirectories(s.folder());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Plan> plans = plans(s);
    Map<Integer, ImageResult> results = new ConcurrentHashMap<>();
    Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
    Map<Integer, List<Path>> saved = new ConcurrentHashMap<>();
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(s.concurrency());
    try (ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
      for (Plan plan : plans) {
        pool.execute(() -> {
          try {
            ImageGeneration g = client.images().model(MODEL).prompt(plan.prompt()).size(SIZE)
                .responseFormat(ResponseFormat.B64_JSON);
            ImageResult result = (plan.fault() == null ? g : g.header("x-imagine-fault", plan.header())
                .header("x-imagine-fault-key", plan.prompt())).generate();
            results.put(plan.index(), result);
            saved.put(plan.index(), result.saveTo(s.folder()));
          } catch (Throwable e) {
            failures.put(plan.index(), e);
          }
        });
      }
      pool.shutdown();
      if (!pool.awaitTermination(s.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        pool.shutdownNow();
        throw new IllegalStateException("the fault soak (seed " + s.seed() + ") did not finish within "
            + s.timeout() + ": " + (results.size() + failures.size()) + " of " + plans.size() + " requests ended");
      }
    } finally {
      pool.shutdownNow();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    awaitDeliveryCounts(backend, plans, results.keySet());

    List<String> lost = new ArrayList<>();
    List<String> twice = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    Map<String, Integer> byType = new TreeMap<>();
    for (Plan plan : plans) {
      long generated = backend.timesGenerated(plan.prompt());
      long delivered = backend.timesDelivered(plan.prompt());
      Throwable failure = failures.get(plan.index());
      if (generated > 1) {
        twice.add(plan + ": generated " + generated + " times");
      }
      if (delivered > 0 && !saved.containsKey(plan.index())) {
        lost.add(plan + ": delivered " + delivered + " time(s), client " + (failure == null ? "returned it" : "failed: " + failure));
      }
      if (failure != null) {
        byType.merge(failure.getClass().getSimpleName(), 1, Integer::sum);
        String problem = unclear(plan, failure);
        if (problem != null) {
          bad.add(plan + ": " + problem);
        }
        if (plan.mustSucceed()) {
          unexpected.add(plan + ": " + failure);
        }
      }
    }
    List<String> stray = strayFiles(s.folder(), saved.values().stream().flatMap(List::stream).toList(), results);
    int faulted = (int) plans.stream().filter(p -> p.fault() != null).count();
    return new Outcome(s.seed(), plans.size(), faulted, results.size(), failures.size(), lost, twice, stray, bad,
        unexpected, byType, elapsed);
  }

  /**
   * The server counts an answer delivered when its last byte went to the socket, which can be a
   * moment after the client had it: wait (at most 10 s) until every returned image shows as delivered.
   */
  private static void awaitDeliveryCounts(LocalBackend backend, List<Plan> plans, Set<Integer> returned)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (int i : returned) {
      while (backend.timesDelivered(plans.get(i).prompt()) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }
  }

  /** What is wrong with a failure as a user would see it, or null when it is a typed, clear one. */
  static String unclear(Plan plan, Throwable failure) {
    if (!(failure instanceof ImagineException e) || !e.getClass().getPackageName().equals("dev.imagine")) {
      return "not one of dev.imagine's exceptions: " + failure;
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName() + " with no message";
    }
    // Every answer of the local backend carries an x-request-id; a connection dropped before any answer has none.
    boolean answered = plan.fault() != Fault.DROP_BEFORE_RESPONSE;
    if (answered && (e.requestId() == null || !message.contains(e.requestId()))) {
      return e.getClass().getSimpleName() + " does not name the request id " + e.requestId() + " the server sent: "
          + message;
    }
    return null;
  }

  /** Files in the folder other than the saved images, and saved images that are not whole. */
  private static List<String> strayFiles(Path folder, List<Path> savedFiles, Map<Integer, ImageResult> results) {
    Set<Path> expected = Set.copyOf(savedFiles.stream().map(p -> p.toAbsolutePath().normalize()).toList());
    long expectedBytes = results.values().stream().mapToLong(r -> r.image().size()).sum();
    List<String> stray = new ArrayList<>();
    long bytes = 0;
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path abs = f.toAbsolutePath().normalize();
        if (!expected.contains(abs)) {
          stray.add(f.getFileName().toString());
        } else {
          bytes += Files.size(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bytes != expectedBytes) {
      stray.add("the saved images hold " + bytes + " bytes, the returned ones " + expectedBytes);
    }
    if (expected.size() != results.size()) {
      stray.add(results.size() + " images returned but " + expected.size() + " files saved");
    }
    Collections.sort(stray);
    return stray;
  }
}
