package dev.imagine.bench;

import dev.imagine.FaultSoak;
import dev.imagine.server.LocalBackend;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What runs inside one forked JVM: one scenario with one client against a backend the launcher
 * started. It prints one line {@code RESULT key=value ...} for the launcher to read.
 */
final class Child {
  private Child() {}

  static Map<String, String> args(String[] argv, int from) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = from; i < argv.length; i++) {
      int eq = argv[i].indexOf('=');
      m.put(argv[i].substring(0, eq), argv[i].substring(eq + 1));
    }
    return m;
  }

  static Clients.Workload workload(Map<String, String> a) {
    return new Clients.Workload(a.get("model"), a.get("size"), Integer.parseInt(a.get("n")),
        Boolean.parseBoolean(a.getOrDefault("b64", "false")));
  }

  static void main(String scenario, Map<String, String> a) throws Exception {
    Map<String, Object> out = switch (scenario) {
      case "concurrent" -> concurrent(a);
      case "large" -> large(a);
      case "overhead" -> overhead(a);
      case "inflight" -> inflight(a);
      case "soak" -> soak(a);
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    };
    StringBuilder line = new StringBuilder("RESULT");
    out.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    System.out.println(line);
    System.out.flush();
  }

  /**
   * The fault soak ({@link FaultSoak}): its own {@link LocalBackend} in this JVM, a warm-up of 100
   * generations without faults, then {@code generations} at {@code concurrency} with
   * {@code share} of them faulted. The counts must all be 0; the summary with the seed goes to the log.
   */
  static Map<String, Object> soak(Map<String, String> a) throws Exception {
    int generations = Integer.parseInt(a.get("generations"));
    int concurrency = Integer.parseInt(a.get("concurrency"));
    double share = Double.parseDouble(a.get("share"));
    long seed = Long.parseLong(a.get("seed"));
    Path folder = Files.createTempDirectory("imagine-soak");
    Map<String, Object> out = new LinkedHashMap<>();
    try (LocalBackend backend = LocalBackend.start()) {
      FaultSoak.run(backend, new FaultSoak.Settings(100, concurrency, 0, seed + 1, folder.resolve("warm-up"),
          Duration.ofMinutes(10)));
      FaultSoak.Outcome o = FaultSoak.run(backend, new FaultSoak.Settings(generations, concurrency, share, seed,
          folder.resolve("images"), Duration.ofMinutes(30)));
      System.err.println(o.summary());
      out.put("seed", seed);
      out.put("generations", o.generations());
      out.put("faulted", o.faulted());
      out.put("returned", o.succeeded());
      out.put("failed", o.failed());
      out.put("lost", o.lostImages().size());
      out.put("generatedTwice", o.generatedTwice().size());
      out.put("strayFiles", o.strayFiles().size());
      out.put("badFailures", o.badFailures().size());
      out.put("unexpectedFailures", o.unexpectedFailures().size());
      out.put("wallMs", o.elapsed().toNanos() / 1e6);
      out.put("generationsPerSec", o.generationsPerSecond());
    } finally {
      try (Stream<Path> files = Files.walk(folder)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    return out;
  }

  /** Scenario 1: {@code concurrency} slow generations in flight, {@code waves} times over, after one warm-up wave. */
  static Map<String, Object> concurrent(Map<String, String> a) throws Exception {
    int concurrency = Integer.parseInt(a.get("concurrency"));
    int waves = Integer.parseInt(a.get("waves"));
    int warmup = Integer.parseInt(a.getOrDefault("warmupWaves", "1"));
    Clients.Workload w = workload(a);
    Map<String, Object> out = new LinkedHashMap<>();
    try (Probe probe = new Probe(); Clients client = Clients.create(a.get("client"), a.get("baseUrl"), concurrency)) {
      if (warmup > 0) {
        client.run(w, concurrency, concurrency * warmup).orThrow();
      }
      timed(out, probe, concurrency * waves, () -> client.run(w, concurrency, concurrency * waves).orThrow());
    }
    return out;
  }

  /** Runs {@code load} ({@code requests} requests) once and puts its figures (rate, wall and CPU time, heap, threads, RSS) in {@code out}. */
  static Clients.Load timed(Map<String, Object> out, Probe probe, int requests, Clients.Call load) throws Exception {
    long cpu0 = Probe.cpuNanos();
    long t0 = System.nanoTime();
    Clients.Load l = load.call();
    long wall = System.nanoTime() - t0;
    long cpu = Probe.cpuNanos() - cpu0;
    out.put("requests", requests);
    out.put("images", l.images());
    out.put("imageBytes", l.imageBytes());
    out.put("errors", l.errors());
    out.put("wallMs", wall / 1_000_000.0);
    out.put("imagesPerSec", l.images() / (wall / 1e9));
    out.put("cpuMs", cpu / 1_000_000.0);
    out.put("maxUsed", probe.maxUsed());
    out.put("maxUsedAfterGc", probe.maxUsedAfterGc());
    out.put("gcs", probe.gcCount());
    out.put("peakThreads", probe.peakThreads() - 1); // less the probe's sampler
    out.put("rss", Probe.peakRss());
    return l;
  }

  /**
   * Scenario 4: {@code requests} slow generations, {@code concurrency} in flight, against the JDK
   * {@code HttpServer} fixture, from a cold client unless {@code warmup} requests went first (unmeasured);
   * failures are counted, not fatal, and the first is printed to the log.
   */
  static Map<String, Object> inflight(Map<String, String> a) throws Exception {
    int concurrency = Integer.parseInt(a.get("concurrency"));
    int requests = Integer.parseInt(a.get("requests"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "0"));
    Clients.Workload w = workload(a);
    Map<String, Object> out = new LinkedHashMap<>();
    try (Probe probe = new Probe(); Clients client = Clients.create(a.get("client"), a.get("baseUrl"), concurrency)) {
      if (warmup > 0) {
        client.run(w, concurrency, warmup);
      }
      Clients.Load load = timed(out, probe, requests, () -> client.run(w, concurrency, requests));
      if (load.firstError() != null) {
        System.err.println(load.errors() + " requests failed; the first:");
        load.firstError().printStackTrace();
      }
    }
    return out;
  }

  /**
   * Scenario 2: one response with many large images. Run with {@code -XX:+UseSerialGC}: a thread
   * forces a full collection every few milliseconds while the request runs and reads the heap left
   * after it (the live set at that moment); the peak of those less the live set before the request
   * is the memory the request needed.
   */
  static Map<String, Object> large(Map<String, String> a) throws Exception {
    Clients.Workload w = workload(a);
    var memory = ManagementFactory.getMemoryMXBean();
    Map<String, Object> out = new LinkedHashMap<>();
    try (Clients client = Clients.create(a.get("client"), a.get("baseUrl"), 1)) {
      // warm-up: the same request once, so classes, pools and connections exist before measuring
      client.once(w);
      // then one small request of one image, so whatever the client still references of its last
      // response (a connection's last buffers, a finished call) is small when the baseline is read
      client.once(new Clients.Workload(w.model(), w.size(), 1, w.askB64()));
      Clients.kept = null;
      System.gc();
      System.gc();
      long baseline = memory.getHeapMemoryUsage().getUsed();
      AtomicLong peak = new AtomicLong(baseline);
      AtomicLong samples = new AtomicLong();
      var stop = new java.util.concurrent.atomic.AtomicBoolean();
      Thread sampler = new Thread(() -> {
        while (!stop.get()) {
          System.gc();
          peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          samples.incrementAndGet();
          Thread.onSpinWait();
        }
      }, "forced-gc-sampler");
      try (Probe probe = new Probe()) {
        sampler.start();
        long t0 = System.nanoTime();
        Clients.Load load = client.once(w);
        long wall = System.nanoTime() - t0;
        stop.set(true);
        sampler.join();
        System.gc();
        long retained = memory.getHeapMemoryUsage().getUsed();
        peak.accumulateAndGet(retained, Math::max);
        Clients.kept = null;
        out.put("images", load.images());
        out.put("imageBytes", load.imageBytes());
        out.put("wallMs", wall / 1_000_000.0);
        out.put("baseline", baseline);
        out.put("peakLive", peak.get() - baseline);
        out.put("retained", retained - baseline);
        out.put("samples", samples.get());
        out.put("peakRatio", (peak.get() - baseline) / (double) load.imageBytes());
        out.put("maxUsed", probe.maxUsed());
        out.put("rss", Probe.peakRss());
      }
    }
    return out;
  }

  /** Scenario 3: requests/s against a zero-latency backend, after a timed warm-up. */
  static Map<String, Object> overhead(Map<String, String> a) throws Exception {
    int concurrency = Integer.parseInt(a.get("concurrency"));
    double warmupSec = Double.parseDouble(a.get("warmupSec"));
    double measureSec = Double.parseDouble(a.get("measureSec"));
    int batch = Integer.parseInt(a.getOrDefault("batch", String.valueOf(concurrency * 20)));
    Clients.Workload w = workload(a);
    Map<String, Object> out = new LinkedHashMap<>();
    try (Probe probe = new Probe(); Clients client = Clients.create(a.get("client"), a.get("baseUrl"), concurrency)) {
      long end = System.nanoTime() + (long) (warmupSec * 1e9);
      while (System.nanoTime() < end) {
        client.run(w, concurrency, batch).orThrow();
      }
      long cpu0 = Probe.cpuNanos();
      long t0 = System.nanoTime();
      long requests = 0;
      end = t0 + (long) (measureSec * 1e9);
      while (System.nanoTime() < end) {
        client.run(w, concurrency, batch).orThrow();
        requests += batch;
      }
      long wall = System.nanoTime() - t0;
      long cpu = Probe.cpuNanos() - cpu0;
      out.put("requests", requests);
      out.put("wallMs", wall / 1_000_000.0);
      out.put("requestsPerSec", requests / (wall / 1e9));
      out.put("clientCpuUsPerRequest", cpu / 1000.0 / requests);
      out.put("peakThreads", probe.peakThreads() - 1);
      out.put("rss", Probe.peakRss());
    }
    return out;
  }
}
