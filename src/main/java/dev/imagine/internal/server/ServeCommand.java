package dev.imagine.internal.server;

import dev.imagine.server.Fault;
import dev.imagine.server.LocalBackend;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * {@code imagine serve}: runs the local backend in the foreground until the process is stopped.
 *
 * <pre>
 * imagine serve --port 8080 --host 127.0.0.1 --api-key K --latency-ms 200-2000
 * imagine local backend listening on http://127.0.0.1:8080/v1
 * </pre>
 */
public final class ServeCommand {
  static final String USAGE = """
      usage: imagine serve [options]
        --port N              port to listen on (default 8080; 0 picks a free one)
        --host ADDRESS        address to bind (default 127.0.0.1; 0.0.0.0 serves other machines)
        --api-key KEY         require Authorization: Bearer KEY (default: no key needed)
        --latency-ms N|MIN-MAX  wait before each answer, fixed or uniformly random
        --fault NAME          play a fault on every images request (e.g. 503, rate-limit, drop)
        --url-expiry-minutes N  how long url results stay downloadable (default 60)
        --max-body-mb N       largest request body accepted (default 64)
        --help                this text
      """;

  private ServeCommand() {}

  /**
   * Parses the options into a builder.
   *
   * @throws IllegalArgumentException naming the bad option
   */
  public static LocalBackend.Builder parse(String[] args) {
    LocalBackend.Builder b = LocalBackend.builder().port(8080);
    dev.imagine.cli.Args a = new dev.imagine.cli.Args(args, java.util.Set.of());
    while (a.next()) {
      String opt = a.name();
      String value = a.value();
      switch (opt) {
        case "--port" -> b.port(a.number());
        case "--host" -> b.host(value);
        case "--api-key" -> b.apiKey(value);
        case "--latency-ms" -> {
          String[] range = value.split("-", 2);
          long min = number(opt, range[0]);
          long max = range.length == 2 ? number(opt, range[1]) : min;
          b.latency(Duration.ofMillis(min), Duration.ofMillis(max));
        }
        case "--fault" -> b.fault(Fault.fromHeaderName(value).orElseThrow(() -> new IllegalArgumentException(
            "--fault " + value + " names no fault; use one of 429, 500, 502, 503, 403, "
                + String.join(", ", Arrays.stream(Fault.values()).map(Fault::headerName).toList()))));
        case "--url-expiry-minutes" -> b.urlExpiry(Duration.ofMinutes(a.number()));
        case "--max-body-mb" -> b.maxBodySize(a.number() * 1024L * 1024);
        default -> throw new IllegalArgumentException("unknown option " + opt);
      }
    }
    return b;
  }

  private static int number(String opt, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + " needs a number, not '" + value + "'");
    }
  }

  /** Starts the server, prints where it listens and blocks until the JVM shuts down; returns an exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      out.print(USAGE);
      return 0;
    }
    LocalBackend backend;
    try {
      backend = parse(args).start();
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("imagine serve: " + e.getMessage());
      if (e instanceof IllegalArgumentException) {
        err.print(USAGE);
      }
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      backend.close();
      stopped.countDown();
    }, "imagine-serve-shutdown"));
    out.println("imagine local backend listening on " + backend.baseUrl());
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
