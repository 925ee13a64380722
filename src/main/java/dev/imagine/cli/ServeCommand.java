package dev.imagine.cli;

import dev.imagine.server.Fault;
import dev.imagine.server.LocalBackend;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code imagine serve}: runs the local backend in the foreground until the process is stopped.
 *
 * <pre>
 * imagine serve --port 8080 --host 127.0.0.1 --api-key K --latency-ms 200-2000
 * imagine local backend listening on http://127.0.0.1:8080/v1
 * </pre>
 *
 * <p>An address other machines can reach never serves without a key: with {@code --host 0.0.0.0}
 * and no {@code --api-key}, a key is generated and printed once.
 */
final class ServeCommand {
  static final String USAGE = """
      usage: imagine serve [options]
        --port N              port to listen on (default 8080; 0 picks a free one)
        --host ADDRESS        address to bind (default 127.0.0.1; 0.0.0.0 serves other machines,
                              and then needs a key: without --api-key one is generated and printed once)
        --api-key KEY         require Authorization: Bearer KEY (default on loopback: no key needed)
        --latency-ms N|MIN-MAX  wait before each answer, fixed or uniformly random
        --fault NAME          play a fault on every images request (e.g. 503, rate-limit, drop)
        --url-expiry-minutes N  how long url results stay downloadable (default 60)
        --max-body-mb N       largest request body accepted (default 64)
        --help                this text
      """;

  /** The parsed command line: the backend to start, and the key made for it when none was given for a reachable host. */
  record Options(LocalBackend.Builder backend, String host, String generatedKey) {
    @Override
    public String toString() {
      return "ServeCommand.Options[host=" + host + (generatedKey == null ? "" : ", generated key") + "]";
    }
  }

  private ServeCommand() {}

  /**
   * Parses the options into a builder.
   *
   * @throws IllegalArgumentException naming the bad option
   */
  static Options parse(String[] args) {
    LocalBackend.Builder b = LocalBackend.builder().port(8080);
    String host = "127.0.0.1";
    boolean keyed = false;
    Args a = new Args(args, Set.of());
    while (a.next()) {
      String opt = a.name();
      String value = a.value();
      switch (opt) {
        case "--port" -> b.port(a.number());
        case "--host" -> {
          host = value.strip();
          b.host(host);
        }
        case "--api-key" -> {
          if (value.isBlank()) {
            throw new IllegalArgumentException("--api-key needs a non-empty key");
          }
          keyed = true;
          b.apiKey(value.strip());
        }
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
    String generated = null;
    if (!keyed && !isLoopback(host)) {
      generated = newKey();
      b.apiKey(generated);
    }
    return new Options(b, host, generated);
  }

  /** Whether every address the host names is this machine's loopback (an unresolvable name is not). */
  static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try {
      InetAddress[] all = InetAddress.getAllByName(h);
      return all.length > 0 && Arrays.stream(all).allMatch(InetAddress::isLoopbackAddress);
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String newKey() {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    return "sk-local-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  private static int number(String opt, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + " needs a number, not '" + value + "'");
    }
  }

  /** Starts the server and prints where it listens (and a generated key); null after printing why it cannot start. */
  static LocalBackend startAndAnnounce(String[] args, PrintStream out, PrintStream err) {
    Options options;
    LocalBackend backend;
    try {
      options = parse(args);
      backend = options.backend().start();
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("imagine serve: " + e.getMessage());
      if (e instanceof IllegalArgumentException) {
        err.print(USAGE);
      }
      return null;
    }
    out.println("imagine local backend listening on " + backend.baseUrl());
    if (options.generatedKey() != null) {
      out.println("--host " + options.host() + " can be reached from other machines and no --api-key was given,");
      out.println("so clients must send this key (shown only now; give --api-key KEY to choose your own):");
      out.println("  OPENAI_API_KEY=" + options.generatedKey());
    }
    out.flush();
    return backend;
  }

  /** Starts the server, prints where it listens and blocks until the JVM shuts down; returns an exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      out.print(USAGE);
      return 0;
    }
    LocalBackend backend = startAndAnnounce(args, out, err);
    if (backend == null) {
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      backend.close();
      stopped.countDown();
    }, "imagine-serve-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
