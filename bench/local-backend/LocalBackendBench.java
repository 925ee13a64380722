import dev.imagine.server.LocalBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput of the local backend for 1024x1024 base64 answers: N clients, each sending requests
 * back to back for a fixed time, with the JDK's HttpClient (not imagine's client, so only the
 * server is measured). Run against the shaded jar:
 *
 * <pre>
 * ./mvnw -q -B -DskipTests package
 * java -cp target/imagine-0.1.0-SNAPSHOT-all.jar bench/local-backend/LocalBackendBench.java \
 *     [--concurrency 8] [--seconds 10] [--prompts 4] [--size 1024x1024] [--url http://host:port/v1]
 * </pre>
 *
 * Without --url it starts a backend in the same JVM (client and server then share the CPU).
 * --prompts sets how many distinct prompts the clients cycle through; with few the server answers
 * from its image cache and the figure is the serving cost; --prompts 0 makes every prompt new, so
 * every request draws and encodes its image.
 */
public class LocalBackendBench {
  public static void main(String[] args) throws Exception {
    int concurrency = 8;
    int seconds = 10;
    int prompts = 4;
    String size = "1024x1024";
    String url = null;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--prompts" -> prompts = Integer.parseInt(args[i + 1]);
        case "--size" -> size = args[i + 1];
        case "--url" -> url = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    LocalBackend backend = url == null ? LocalBackend.start() : null;
    String base = url != null ? url : backend.baseUrl();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String target = base + "/images/generations";

    AtomicLong unique = new AtomicLong();
    final int promptCount = prompts;
    final String imageSize = size;
    // warm-up: JIT, connections, and the cache for the cycled prompts
    run(client, target, concurrency, 3, promptCount, imageSize, unique);
    Result r = run(client, target, concurrency, seconds, promptCount, imageSize, unique);

    System.out.printf("local backend: %s b64_json PNG, %d clients, %d s, %s prompts%n", size, concurrency, seconds,
        prompts == 0 ? "all new" : prompts + " cycled");
    System.out.printf("  %d requests, %d errors, %.1f requests/s, %.1f MB/s of response body, mean latency %.1f ms%n",
        r.requests, r.errors, r.requests / (double) seconds, r.bytes / 1e6 / seconds,
        r.requests == 0 ? 0 : r.latencyNanos / 1e6 / r.requests);
    if (backend != null) {
      backend.close();
    }
  }

  record Result(long requests, long errors, long bytes, long latencyNanos) {}

  static Result run(HttpClient client, String target, int concurrency, int seconds, int prompts, String size,
      AtomicLong unique) throws InterruptedException {
    AtomicLong requests = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicLong latency = new AtomicLong();
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < concurrency; c++) {
      Thread t = new Thread(() -> {
        while (System.nanoTime() < end) {
          long n = unique.incrementAndGet();
          String prompt = prompts == 0 ? "bench prompt " + n : "bench prompt " + (n % prompts);
          HttpRequest req = HttpRequest.newBuilder(URI.create(target))
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-image-1\",\"prompt\":\"" + prompt
                  + "\",\"size\":\"" + size + "\"}"))
              .build();
          long t0 = System.nanoTime();
          try {
            HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
              errors.incrementAndGet();
            }
            bytes.addAndGet(r.body().length);
          } catch (Exception e) {
            errors.incrementAndGet();
          }
          latency.addAndGet(System.nanoTime() - t0);
          requests.incrementAndGet();
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    return new Result(requests.get(), errors.get(), bytes.get(), latency.get());
  }
}
