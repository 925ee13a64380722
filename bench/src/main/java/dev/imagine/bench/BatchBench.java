package dev.imagine.bench;

import dev.imagine.ImageRequest;
import dev.imagine.ImagesClient;
import dev.imagine.batch.Batch;
import dev.imagine.batch.BatchReport;
import dev.imagine.server.LocalBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A batch in direct mode against the local backend with a fixed latency: images/s against the
 * latency bound, the client JVM's peak threads and heap. The backend runs in this (launcher) JVM;
 * each concurrency runs the batch in a child JVM of its own, so its heap and threads are the
 * batch's alone. Heap is measured two ways by {@link Probe}: the largest heap in use (sampled every
 * 5 ms and read before every collection: garbage included, so it grows with what the collector is
 * allowed), and the largest heap still in use after a collection (the live set: what the batch
 * really holds). With {@code --child-xmx 256m} a run that completes proves the batch fits.
 *
 * <p>The peer in the same run, {@code loop}, is what a script does without a batch: the same
 * client, a semaphore of C, each image saved with {@code GeneratedImage.save} as its answer
 * completes, no journal. The ratio batch/loop is the batch's own cost, whatever the machine's load.
 *
 * <pre>
 * bench/run.sh --quick >/dev/null   # or build as bench/run.sh does
 * java -Xmx4g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.imagine.bench.BatchBench \
 *     [--items 200] [--latency-ms 2000] [--concurrency 4,16,64] [--size 1536x1024] [--quality high] [--child-xmx 1g]
 * </pre>
 */
public final class BatchBench {
  private BatchBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), args[5], args[6], Path.of(args[7]));
      return;
    }
    int items = 200;
    long latencyMs = 2000;
    List<Integer> levels = List.of(4, 16, 64);
    String size = "1536x1024";
    String quality = "high";
    List<String> heaps = List.of("1g");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--items" -> items = Integer.parseInt(args[i + 1]);
        case "--latency-ms" -> latencyMs = Long.parseLong(args[i + 1]);
        case "--concurrency" -> levels = Arrays.stream(args[i + 1].split(",")).map(Integer::valueOf).toList();
        case "--size" -> size = args[i + 1];
        case "--quality" -> quality = args[i + 1];
        case "--child-xmx" -> heaps = List.of(args[i + 1].split(","));
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see the Javadoc of " + BatchBench.class.getName());
      }
    }
    System.out.printf(Locale.ROOT, "batch, direct mode: %d items, gpt-image-2 %s %s, backend latency %d ms, %s%n",
        items, size, quality, latencyMs, Runtime.version());
    System.out.println("| client -Xmx | concurrency | sender | wall s | images/s | bound (C / latency) | bound for the batch | ratio to the batch bound"
        + " | image MiB | client peak threads | client peak heap used MiB | client peak live heap (after GC) MiB | GCs |");
    System.out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    try (LocalBackend backend = LocalBackend.builder().latency(Duration.ofMillis(latencyMs)).start()) {
      warmUp(backend, size, quality);
      for (String xmx : heaps) {
        for (int c : levels) {
          for (String sender : List.of("batch", "loop")) {
            print(runChild(backend, sender, xmx, items, c, size, quality), sender, xmx, c, items, latencyMs);
          }
        }
      }
    }
  }

  private static void print(String[] v, String sender, String xmx, int c, int items, long latencyMs) {
    double wall = Double.parseDouble(v[0]);
    int images = Integer.parseInt(v[1]);
    double rate = images / wall;
    double bound = c * 1000.0 / latencyMs;
    // a whole batch needs ceil(items / C) rounds of one latency each
    double batchBound = items / (Math.ceil(items / (double) c) * latencyMs / 1000.0);
    System.out.printf(Locale.ROOT, "| %s | %d | %s | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s | %s | %s |%n",
        xmx, c, sender, wall, rate, bound, batchBound, rate / batchBound, Double.parseDouble(v[4]), v[2], v[3], v[5], v[6]);
  }

  /** The backend paints each of the eight prompts once; the timed runs get them from its cache. */
  private static void warmUp(LocalBackend backend, String size, String quality) {
    try (ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).build()) {
      for (int i = 0; i < 8; i++) {
        client.generate(request(i, size, quality)).toCompletionStage().toCompletableFuture().join();
      }
    }
  }

  private static ImageRequest request(int i, String size, String quality) {
    return ImageRequest.builder().prompt("a catalogue photo, angle " + (i % 8)).model("gpt-image-2").size(size).quality(quality).build();
  }

  private static String[] runChild(LocalBackend backend, String sender, String xmx, int items, int c, String size, String quality) throws Exception {
    Path out = Files.createTempDirectory("imagine-batch-bench");
    try {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p = new ProcessBuilder(java, "-Xmx" + xmx, "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"),
          BatchBench.class.getName(), "child", sender, backend.baseUrl(), String.valueOf(items), String.valueOf(c), size, quality,
          out.toString()).redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("the child at concurrency " + c + ", -Xmx" + xmx + " failed:\n" + log);
      }
      return log.lines().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> b)
          .orElseThrow(() -> new IllegalStateException("no RESULT line from the child:\n" + log)).substring(7).split(" ");
    } finally {
      deleteAll(out);
    }
  }

  private static void child(String sender, String baseUrl, int items, int concurrency, String size, String quality, Path out) throws Exception {
    List<ImageRequest> requests = new ArrayList<>();
    for (int i = 1; i <= items; i++) {
      requests.add(request(i, size, quality));
    }
    try (Probe probe = new Probe(); ImagesClient client = ImagesClient.builder().baseUrl(baseUrl).build()) {
      long t0 = System.nanoTime();
      List<Path> files = sender.equals("batch") ? batch(client, requests, out, concurrency) : loop(client, requests, out, concurrency);
      double wall = (System.nanoTime() - t0) / 1e9;
      long bytes = 0;
      for (Path f : files) {
        bytes += Files.size(f);
      }
      System.out.printf(Locale.ROOT, "RESULT %.3f %d %d %.0f %.2f %.0f %d%n", wall, files.size(), probe.peakThreads(),
          probe.maxUsed() / 1048576.0, bytes / 1048576.0 / files.size(), probe.maxUsedAfterGc() / 1048576.0,
          probe.gcCount());
    }
  }

  private static List<Path> batch(ImagesClient client, List<ImageRequest> requests, Path out, int concurrency) {
    BatchReport report = Batch.of(requests).client(client).out(out).concurrency(concurrency).run();
    if (!report.complete()) {
      throw new IllegalStateException(report.summary());
    }
    return report.files();
  }

  /** The peer: C requests out at once, each image saved as its answer completes, nothing else kept. */
  private static List<Path> loop(ImagesClient client, List<ImageRequest> requests, Path out, int concurrency) throws Exception {
    Semaphore slots = new Semaphore(concurrency);
    List<Path> files = new CopyOnWriteArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      slots.acquire();
      Path file = out.resolve(String.format(Locale.ROOT, "%04d.png", i + 1));
      client.generate(requests.get(i)).onComplete(ar -> {
        try {
          if (ar.succeeded()) {
            files.add(ar.result().images().get(0).save(file));
          } else {
            failures.add(ar.cause());
          }
        } catch (RuntimeException e) {
          failures.add(e);
        } finally {
          slots.release();
        }
      });
    }
    slots.acquire(concurrency);
    if (!failures.isEmpty()) {
      throw new IllegalStateException(failures.size() + " requests failed, the first: " + failures.get(0));
    }
    return files;
  }

  private static void deleteAll(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
