package dev.imagine.bench;

import dev.imagine.server.LocalBackend;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark launcher. {@code BenchMain [options]} starts the embedded local backend in this JVM,
 * forks one JVM per scenario, client and repetition ({@code BenchMain child <scenario> key=value...}),
 * collects their {@code RESULT} lines and writes the report.
 *
 * <pre>
 * --quick                 tiny settings: a smoke run of every scenario in well under a minute
 * --reps N                repetitions of every measurement (default 3)
 * --scenarios a,b         concurrent, large, overhead, inflight, decode, terminal, soak (default all)
 * --clients a,b           imagine-async, imagine-blocking, openai-sync, openai-async (default all)
 * --concurrency 1,16,...  for the concurrent scenario (default 1,16,64,256)
 * --waves N               timed waves of C requests per concurrent run (default 2)
 * --inflight C            requests in flight against the JDK HttpServer fixture (default 256)
 * --inflight-requests N   requests in all against it (default 512)
 * --inflight-warmup N     requests each client JVM makes first, unmeasured (default 0: a cold client)
 * --soak-generations N    generations of the fault soak, beside a run without faults (default 1000)
 * --no-spread             leave out imagine-async-spread (the proposed event-loop fix) from the concurrent scenario
 * --backend auto|local|standin  imagine's LocalBackend, or the bench's stand-in (auto: LocalBackend when built)
 * --out FILE              the report to write (default docs/benchmarks.md); "-" prints it
 * </pre>
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length > 0 && argv[0].equals("child")) {
      Child.main(argv[1], Child.args(argv, 2));
      return;
    }
    Settings s = Settings.parse(argv);
    new BenchMain().run(s);
  }

  /** Everything a run can be told; {@link #quick} shrinks it to a smoke test. */
  static final class Settings {
    boolean quick;
    int reps = 3;
    List<String> scenarios = List.of("concurrent", "large", "overhead", "inflight", "decode", "terminal", "soak");
    List<String> clients = Clients.NAMES;
    List<Integer> concurrency = List.of(1, 16, 64, 256);
    Duration latency = Duration.ofSeconds(2);
    int waves = 2;
    String concurrentSize = "1024x1024";
    int concurrentN = 2;
    String largeModel = "gpt-image-1";
    String largeSize = "1536x1024";
    int largeN = 10;
    /** Also run imagine-async with its requests spread over event loops in the concurrent scenario. */
    boolean spread = true;
    List<Integer> overheadConcurrency = List.of(16);
    /** The held-out fixture (issue 14): requests in flight, requests in all, images per answer. */
    int inflightConcurrency = 256;
    int inflightRequests = 512;
    int inflightWarmup = 0;
    int inflightN = 2;
    /** The fault soak (issue 13): generations, in flight at once, the share faulted. */
    int soakGenerations = 1000;
    int soakConcurrency = 16;
    double soakShare = 0.20;
    double overheadWarmupSec = 4;
    double overheadMeasureSec = 5;
    String out = "docs/benchmarks.md";
    String command = "bench/run.sh";
    String backend = "auto";

    List<String> concurrentClients() {
      List<String> all = new ArrayList<>(clients);
      if (spread && clients.contains("imagine-async")) {
        all.add(all.indexOf("imagine-async") + 1, Clients.SPREAD);
      }
      return all;
    }

    static Settings parse(String[] argv) {
      Settings s = new Settings();
      List<String> rest = new ArrayList<>(Arrays.asList(argv));
      if (rest.remove("--quick")) {
        s.quick = true;
        s.reps = 1;
        s.concurrency = List.of(1, 4);
        s.latency = Duration.ofMillis(200);
        s.waves = 1;
        s.spread = false;
        s.concurrentSize = "1024x1024";
        s.largeN = 2;
        s.overheadConcurrency = List.of(2);
        s.inflightConcurrency = 8;
        s.inflightRequests = 16;
        s.soakGenerations = 100;
        s.overheadWarmupSec = 0.5;
        s.overheadMeasureSec = 0.5;
        s.out = "bench/target/benchmarks-quick.md";
        s.command = "bench/run.sh --quick";
      }
      for (int i = 0; i < rest.size(); i++) {
        String v = i + 1 < rest.size() ? rest.get(i + 1) : null;
        switch (rest.get(i)) {
          case "--reps" -> { s.reps = Integer.parseInt(v); i++; }
          case "--scenarios" -> { s.scenarios = List.of(v.split(",")); i++; }
          case "--clients" -> { s.clients = List.of(v.split(",")); i++; }
          case "--concurrency" -> { s.concurrency = Arrays.stream(v.split(",")).map(Integer::valueOf).toList(); i++; }
          case "--latency-ms" -> { s.latency = Duration.ofMillis(Long.parseLong(v)); i++; }
          case "--waves" -> { s.waves = Integer.parseInt(v); i++; }
          case "--inflight" -> { s.inflightConcurrency = Integer.parseInt(v); i++; }
          case "--inflight-requests" -> { s.inflightRequests = Integer.parseInt(v); i++; }
          case "--inflight-warmup" -> { s.inflightWarmup = Integer.parseInt(v); i++; }
          case "--soak-generations" -> { s.soakGenerations = Integer.parseInt(v); i++; }
          case "--no-spread" -> s.spread = false;
          case "--large-size" -> { s.largeSize = v; i++; }
          case "--large-model" -> { s.largeModel = v; i++; }
          case "--backend" -> { s.backend = v; i++; }
          case "--out" -> { s.out = v; i++; }
          case "--command" -> { s.command = v; i++; }
          default -> throw new IllegalArgumentException("unknown option " + rest.get(i) + "; see BenchMain's javadoc");
        }
      }
      return s;
    }
  }

  /** The server the clients talk to. */
  interface Backend extends AutoCloseable {
    String baseUrl();

    @Override
    void close();
  }

  /** imagine's embedded LocalBackend, or the bench's stand-in when that is not built yet (or asked for). */
  Backend backend(Settings s, Duration latency) throws Exception {
    if (!s.backend.equals("standin")) {
      try {
        LocalBackend b = LocalBackend.builder().latency(latency).start();
        backendUsed = "imagine's embedded `dev.imagine.server.LocalBackend`";
        return new Backend() {
          public String baseUrl() { return b.baseUrl(); }
          public void close() { closeWithin(b::close, "LocalBackend"); }
        };
      } catch (UnsupportedOperationException e) {
        if (s.backend.equals("local")) {
          throw e;
        }
        System.err.println("LocalBackend is not implemented in this build (" + e.getMessage() + "): using the stand-in backend");
      }
    }
    StandInBackend b = new StandInBackend(latency);
    backendUsed = "the bench's stand-in server (`dev.imagine.bench.StandInBackend`: photo-like noisy PNGs, fixed latency),"
        + " because `LocalBackend` was not implemented in this build";
    return new Backend() {
      public String baseUrl() { return b.baseUrl(); }
      public void close() { b.close(); }
    };
  }

  String backendUsed = "none";
  long inflightImageBytes;
  long inflightGenerations;

  /** Closes on another thread and waits at most 10 s: a backend that does not close must not hang the suite. */
  static void closeWithin(Runnable close, String what) {
    Thread t = new Thread(close, "close-" + what);
    t.setDaemon(true);
    t.start();
    try {
      t.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      System.err.println("warning: " + what + ".close() did not return within 10 s; going on without it");
    }
  }

  /** One measurement: a child's RESULT line as numbers. */
  record Run(String scenario, String client, String key, int rep, Map<String, Double> values) {}

  final List<Run> runs = new ArrayList<>();
  final Path logs = Path.of("bench", "target", "logs");

  void run(Settings s) throws Exception {
    Files.createDirectories(logs);
    long started = System.nanoTime();
    Report report = new Report(s);
    if (s.scenarios.contains("concurrent")) {
      try (Backend slow = backend(s, s.latency)) {
        for (int rep = 1; rep <= s.reps; rep++) {
          for (int c : s.concurrency) {
            for (String client : s.concurrentClients()) {
              fork("concurrent", client, "c=" + c, rep, List.of("-Xmx6g", "-XX:+UseG1GC"),
                  "client=" + client, "baseUrl=" + slow.baseUrl(), "concurrency=" + c, "waves=" + s.waves,
                  "warmupWaves=1", "model=gpt-image-1", "size=" + s.concurrentSize, "n=" + s.concurrentN);
            }
          }
        }
      }
    }
    if (s.scenarios.contains("large") || s.scenarios.contains("overhead")) {
      try (Backend fast = backend(s, Duration.ZERO)) {
        if (s.scenarios.contains("large")) {
          for (int rep = 1; rep <= s.reps; rep++) {
            for (String client : s.clients) {
              fork("large", client, "n=" + s.largeN, rep, List.of("-Xmx4g", "-XX:+UseSerialGC"),
                  "client=" + client, "baseUrl=" + fast.baseUrl(), "model=" + s.largeModel, "size=" + s.largeSize,
                  "n=" + s.largeN);
            }
          }
        }
        if (s.scenarios.contains("overhead")) {
          for (int rep = 1; rep <= s.reps; rep++) {
            for (int c : s.overheadConcurrency) {
              for (String client : s.clients) {
                fork("overhead", client, "c=" + c, rep, List.of("-Xmx1g", "-XX:+UseG1GC"),
                    "client=" + client, "baseUrl=" + fast.baseUrl(), "concurrency=" + c,
                    "warmupSec=" + s.overheadWarmupSec, "measureSec=" + s.overheadMeasureSec,
                    "model=dall-e-2", "size=256x256", "n=1", "b64=true");
              }
            }
          }
        }
      }
    }
    if (s.scenarios.contains("inflight")) {
      try (JdkHttpFixture fixture = new JdkHttpFixture(s.latency, s.inflightN)) {
        inflightImageBytes = fixture.imageBytes;
        String key = "c=" + s.inflightConcurrency;
        for (int rep = 1; rep <= s.reps; rep++) {
          runs.add(new Run("inflight", "curl", key, rep, Curl.run(fixture.baseUrl(), s.inflightConcurrency, s.inflightRequests,
              s.inflightN, logs)));
          for (String client : s.clients) {
            fork("inflight", client, key, rep, List.of("-Xmx4g", "-XX:+UseG1GC"),
                "client=" + client, "baseUrl=" + fixture.baseUrl(), "concurrency=" + s.inflightConcurrency,
                "requests=" + s.inflightRequests, "warmup=" + s.inflightWarmup, "model=gpt-image-1", "size=1024x1024",
                "n=" + s.inflightN);
          }
        }
        inflightGenerations = fixture.generations.get();
      }
    }
    if (s.scenarios.contains("soak")) {
      // the peer: the same soak without faults, in the same run, so the faults' cost is a ratio
      for (int rep = 1; rep <= s.reps; rep++) {
        for (double share : List.of(s.soakShare, 0.0)) {
          fork("soak", "imagine-blocking", "faults=" + Math.round(share * 100) + "%", rep,
              List.of("-Xmx1g", "-XX:+UseG1GC"), "generations=" + s.soakGenerations,
              "concurrency=" + s.soakConcurrency, "share=" + share, "seed=" + System.currentTimeMillis());
        }
      }
    }
    if (s.scenarios.contains("decode")) {
      report.decode = DecodeReport.run(s, logs);
    }
    if (s.scenarios.contains("terminal")) {
      report.terminal = TerminalBench.run(s, logs);
    }
    report.runs = runs;
    report.inflightImageBytes = inflightImageBytes;
    report.inflightGenerations = inflightGenerations;
    report.backend = backendUsed;
    report.seconds = (System.nanoTime() - started) / 1e9;
    String md = report.render(existing(s.out));
    if (s.out.equals("-")) {
      System.out.println(md);
    } else {
      Path out = Path.of(s.out);
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      Files.writeString(out, md);
      System.err.println("wrote " + out.toAbsolutePath() + " in " + Math.round(report.seconds) + " s");
    }
  }

  private static String existing(String out) {
    try {
      return out.equals("-") ? "" : Files.readString(Path.of(out));
    } catch (Exception e) {
      return "";
    }
  }

  void fork(String scenario, String client, String key, int rep, List<String> jvm, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    // BENCH_CHILD_JVM_OPTS: extra flags for the client JVMs, e.g. to profile them:
    //   BENCH_CHILD_JVM_OPTS='-XX:StartFlightRecording=filename=bench/target/logs/{run}.jfr,settings=profile'
    // where {run} becomes the run's name (that of its log file).
    String runName = scenario + "-" + client + "-" + key.replace("=", "") + "-" + rep;
    String extra = System.getenv("BENCH_CHILD_JVM_OPTS");
    if (extra != null && !extra.isBlank()) {
      for (String flag : extra.trim().split("\\s+")) {
        cmd.add(flag.replace("{run}", runName));
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(BenchMain.class.getName());
    cmd.add("child");
    cmd.add(scenario);
    cmd.addAll(Arrays.asList(args));
    File log = logs.resolve(runName + ".log").toFile();
    System.err.printf("[%s] %-10s %-16s %-8s rep %d ... ", java.time.LocalTime.now().withNano(0), scenario, client, key, rep);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log);
    Process p = pb.start();
    String result = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("RESULT")) {
          result = line;
        }
      }
    }
    if (!p.waitFor(30, TimeUnit.MINUTES)) {
      p.destroyForcibly();
    }
    if (result == null || p.exitValue() != 0) {
      System.err.println("FAILED (exit " + p.exitValue() + "), see " + log);
      throw new IllegalStateException(scenario + " " + client + " " + key + " failed; log: " + log + "\n"
          + tail(log.toPath()));
    }
    Map<String, Double> values = new LinkedHashMap<>();
    for (String kv : result.substring("RESULT".length()).trim().split(" ")) {
      int eq = kv.indexOf('=');
      values.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
    }
    runs.add(new Run(scenario, client, key, rep, values));
    System.err.println(brief(scenario, values));
  }

  private static String brief(String scenario, Map<String, Double> v) {
    return switch (scenario) {
      case "concurrent" -> String.format("%.1f images/s, heap %.0f MB (live %.0f), rss %.0f MB, %d threads",
          v.get("imagesPerSec"), v.get("maxUsed") / 1e6, v.get("maxUsedAfterGc") / 1e6, v.get("rss") / 1e6,
          v.get("peakThreads").intValue());
      case "inflight" -> String.format("%.1f images/s, %d errors, heap %.0f MB (live %.0f), %d threads, CPU %.1f s",
          v.get("imagesPerSec"), v.get("errors").intValue(), v.get("maxUsed") / 1e6, v.get("maxUsedAfterGc") / 1e6,
          v.get("peakThreads").intValue(), v.get("cpuMs") / 1000);
      case "large" -> String.format("peak %.1f MB for %.1f MB of images: %.2fx", v.get("peakLive") / 1e6,
          v.get("imageBytes") / 1e6, v.get("peakRatio"));
      case "overhead" -> String.format("%.0f requests/s, %.0f us client CPU per request", v.get("requestsPerSec"),
          v.get("clientCpuUsPerRequest"));
      case "soak" -> String.format("%.1f generations/s, %d failed; lost %d, generated twice %d, stray files %d,"
          + " unclear failures %d, unexpected failures %d", v.get("generationsPerSec"), v.get("failed").intValue(),
          v.get("lost").intValue(), v.get("generatedTwice").intValue(), v.get("strayFiles").intValue(),
          v.get("badFailures").intValue(), v.get("unexpectedFailures").intValue());
      default -> v.toString();
    };
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (Exception e) {
      return "";
    }
  }
}
