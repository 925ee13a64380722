package dev.imagine.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.models.images.Image;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import dev.imagine.GeneratedImage;
import dev.imagine.ImageGeneration;
import dev.imagine.ImageResult;
import dev.imagine.ImagesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The four ways of asking for images that the suite compares, each driven the same way: keep
 * {@code concurrency} requests in flight until {@code total} have answered, and count the decoded
 * image bytes. Both clients end with the images as {@code byte[]}: imagine hands them over decoded;
 * for openai-java the caller decodes {@code b64_json} with {@link Base64}, as any user must.
 */
abstract class Clients implements AutoCloseable {
  /** What each request asks for. */
  record Workload(String model, String size, int n, boolean askB64) {}

  /** What a run got back; {@code errors} requests failed, the first with {@code firstError}. */
  record Load(long images, long imageBytes, long errors, Throwable firstError) {
    Load(long images, long imageBytes) {
      this(images, imageBytes, 0, null);
    }

    /** This load, or an exception naming the first failure when any request failed. */
    Load orThrow() {
      if (errors > 0) {
        throw new IllegalStateException(errors + " requests failed, the first with: " + firstError, firstError);
      }
      return this;
    }
  }

  static final List<String> NAMES = List.of("imagine-async", "imagine-blocking", "openai-sync", "openai-async");

  /** Not in the default set: imagine-async with its requests spread over Vert.x event loops (the fix proposed to the lead). */
  static final String SPREAD = "imagine-async-spread";

  static Clients create(String name, String baseUrl, int concurrency) {
    return switch (name) {
      case "imagine-async" -> new ImagineAsync(baseUrl, false);
      case SPREAD -> new ImagineAsync(baseUrl, true);
      case "imagine-blocking" -> new ImagineBlocking(baseUrl, concurrency);
      case "openai-sync" -> new OpenAiSync(baseUrl, concurrency);
      case "openai-async" -> new OpenAiAsync(baseUrl);
      default -> throw new IllegalArgumentException("unknown client " + name + "; one of " + NAMES);
    };
  }

  /** Runs {@code total} requests with {@code concurrency} in flight, counting the failures. */
  abstract Load run(Workload w, int concurrency, int total) throws Exception;

  /**
   * One request, for the single-response scenario. The decoded images stay reachable through
   * {@link #kept} until the caller clears it, as a program that uses them would keep them.
   */
  abstract Load once(Workload w) throws Exception;

  static final String PROMPT = "a lighthouse on a cliff at dusk, oil painting";

  // ---------------------------------------------------------------- imagine

  static ImagesClient imagine(String baseUrl) {
    return ImagesClient.builder().baseUrl(baseUrl).apiKey("bench").maxRetries(0).build();
  }

  static ImageGeneration generation(ImagesClient client, Workload w) {
    ImageGeneration g = client.images().prompt(PROMPT).model(w.model()).size(w.size()).n(w.n());
    return w.askB64() ? g.responseFormat("b64_json") : g;
  }

  static long bytesOf(ImageResult r) {
    long sum = 0;
    for (GeneratedImage image : r.images()) {
      sum += image.size();
    }
    return sum;
  }

  /** imagine's non-blocking API: {@code generateAsync()} returns a Vert.x Future; no thread waits. */
  static final class ImagineAsync extends Clients {
    final ImagesClient client;
    final boolean spread;

    /**
     * @param spread start each chain of requests on an event-loop context of its own, instead of
     *     from this thread: {@code generateAsync()} binds a request to {@code vertx.getOrCreateContext()},
     *     which for a non-Vert.x thread is one sticky context, so every request started from the same
     *     thread is decoded on the same event loop (one core). A request started on an event loop stays there.
     */
    ImagineAsync(String baseUrl, boolean spread) {
      client = imagine(baseUrl);
      this.spread = spread;
    }

    @Override
    Load run(Workload w, int concurrency, int total) throws Exception {
      ImageGeneration g = generation(client, w);
      AtomicInteger issued = new AtomicInteger();
      AtomicLong images = new AtomicLong();
      AtomicLong bytes = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicLong errors = new AtomicLong();
      CountDownLatch done = new CountDownLatch(total);
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        if (issued.getAndIncrement() >= total) {
          return;
        }
        g.generateAsync().onComplete(ar -> {
          if (ar.succeeded()) {
            images.addAndGet(ar.result().images().size());
            bytes.addAndGet(bytesOf(ar.result()));
          } else {
            failure.compareAndSet(null, ar.cause());
            errors.incrementAndGet();
          }
          done.countDown();
          next[0].run();
        });
      };
      for (int i = 0; i < concurrency; i++) {
        if (spread) {
          ((io.vertx.core.internal.VertxInternal) client.vertx()).createEventLoopContext().runOnContext(v -> next[0].run());
        } else {
          next[0].run();
        }
      }
      await(done);
      return new Load(images.get(), bytes.get(), errors.get(), failure.get());
    }

    @Override
    Load once(Workload w) throws Exception {
      // the whole result is kept: its images are the decoded bytes (GeneratedImage.bytes() would copy)
      ImageResult r = generation(client, w).generateAsync().toCompletionStage().toCompletableFuture().get();
      kept = r;
      return new Load(r.images().size(), bytesOf(r));
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /** Keeps a result reachable until the caller has measured. */
  static volatile Object kept;

  /** imagine's blocking {@code generate()}, called from a pool of {@code concurrency} threads. */
  static final class ImagineBlocking extends Clients {
    final ImagesClient client;
    final ExecutorService pool;

    ImagineBlocking(String baseUrl, int concurrency) {
      client = imagine(baseUrl);
      pool = Executors.newFixedThreadPool(concurrency);
    }

    @Override
    Load run(Workload w, int concurrency, int total) throws Exception {
      ImageGeneration g = generation(client, w);
      return onPool(pool, concurrency, total, () -> {
        ImageResult r = g.generate();
        return new Load(r.images().size(), bytesOf(r));
      });
    }

    @Override
    Load once(Workload w) {
      ImageResult r = generation(client, w).generate();
      kept = r;
      return new Load(r.images().size(), bytesOf(r));
    }

    @Override
    public void close() {
      pool.shutdownNow();
      client.close();
    }
  }

  // ---------------------------------------------------------------- openai-java

  static ImageGenerateParams params(Workload w) {
    ImageGenerateParams.Builder b = ImageGenerateParams.builder().prompt(PROMPT).model(w.model())
        .size(ImageGenerateParams.Size.of(w.size())).n(w.n());
    if (w.askB64()) {
      b.responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON);
    }
    return b.build();
  }

  /** Decodes every b64_json image, as a user of openai-java must to get the image bytes. */
  static List<byte[]> decode(ImagesResponse r) {
    List<byte[]> out = new ArrayList<>();
    for (Image image : r.data().orElseThrow()) {
      out.add(Base64.getDecoder().decode(image.b64Json().orElseThrow()));
    }
    return out;
  }

  static Load loadOf(List<byte[]> images) {
    long sum = 0;
    for (byte[] b : images) {
      sum += b.length;
    }
    return new Load(images.size(), sum);
  }

  /** openai-java's synchronous client (OkHttp {@code execute()}), called from a pool of {@code concurrency} threads. */
  static final class OpenAiSync extends Clients {
    final OpenAIClient client;
    final ExecutorService pool;

    OpenAiSync(String baseUrl, int concurrency) {
      client = OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey("bench").maxRetries(0)
          .timeout(Duration.ofMinutes(10)).build();
      pool = Executors.newFixedThreadPool(concurrency);
    }

    @Override
    Load run(Workload w, int concurrency, int total) throws Exception {
      ImageGenerateParams p = params(w);
      return onPool(pool, concurrency, total, () -> loadOf(decode(client.images().generate(p))));
    }

    @Override
    Load once(Workload w) {
      List<byte[]> images = decode(client.images().generate(params(w)));
      kept = images;
      return loadOf(images);
    }

    @Override
    public void close() {
      pool.shutdownNow();
      client.close();
    }
  }

  /**
   * openai-java's asynchronous client ({@code CompletableFuture} over OkHttp {@code enqueue()}),
   * with its defaults: OkHttp's dispatcher runs at most 64 calls at once.
   */
  static final class OpenAiAsync extends Clients {
    final OpenAIClientAsync client;

    OpenAiAsync(String baseUrl) {
      client = OpenAIOkHttpClientAsync.builder().baseUrl(baseUrl).apiKey("bench").maxRetries(0)
          .timeout(Duration.ofMinutes(10)).build();
    }

    @Override
    Load run(Workload w, int concurrency, int total) throws Exception {
      ImageGenerateParams p = params(w);
      AtomicInteger issued = new AtomicInteger();
      AtomicLong images = new AtomicLong();
      AtomicLong bytes = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicLong errors = new AtomicLong();
      CountDownLatch done = new CountDownLatch(total);
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        if (issued.getAndIncrement() >= total) {
          return;
        }
        client.images().generate(p).whenComplete((r, e) -> {
          Throwable problem = e;
          if (e == null) {
            try {
              Load l = loadOf(decode(r));
              images.addAndGet(l.images());
              bytes.addAndGet(l.imageBytes());
            } catch (RuntimeException x) {
              problem = x;
            }
          }
          if (problem != null) {
            failure.compareAndSet(null, problem);
            errors.incrementAndGet();
          }
          done.countDown();
          next[0].run();
        });
      };
      for (int i = 0; i < concurrency; i++) {
        next[0].run();
      }
      await(done);
      return new Load(images.get(), bytes.get(), errors.get(), failure.get());
    }

    @Override
    Load once(Workload w) throws Exception {
      List<byte[]> images = decode(client.images().generate(params(w)).get());
      kept = images;
      return loadOf(images);
    }

    @Override
    public void close() {
      client.close();
    }
  }

  // ---------------------------------------------------------------- drivers

  interface Call {
    Load call() throws Exception;
  }

  static Load onPool(ExecutorService pool, int concurrency, int total, Call call) throws Exception {
    AtomicInteger issued = new AtomicInteger();
    AtomicLong images = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      workers.add(pool.submit(() -> {
        while (issued.getAndIncrement() < total) {
          try {
            Load l = call.call();
            images.addAndGet(l.images());
            bytes.addAndGet(l.imageBytes());
          } catch (Exception e) {
            failure.compareAndSet(null, e);
            errors.incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<?> f : workers) {
      f.get(30, TimeUnit.MINUTES);
    }
    return new Load(images.get(), bytes.get(), errors.get(), failure.get());
  }

  static void await(CountDownLatch done) throws Exception {
    if (!done.await(30, TimeUnit.MINUTES)) {
      throw new IllegalStateException("requests did not finish in 30 minutes");
    }
  }
}
