package dev.imagine.internal.batch;

import dev.imagine.ApiException;
import dev.imagine.AuthenticationException;
import dev.imagine.ConnectionException;
import dev.imagine.GenerationListener;
import dev.imagine.ImageRequest;
import dev.imagine.ImageResult;
import dev.imagine.ImagesClient;
import dev.imagine.ImagineException;
import dev.imagine.InvalidRequestException;
import dev.imagine.NotSentException;
import dev.imagine.PermissionDeniedException;
import dev.imagine.RateLimitException;
import dev.imagine.RequestTimeoutException;
import dev.imagine.batch.BatchProgress;
import dev.imagine.batch.BatchReport;
import dev.imagine.batch.ItemOutcome.Status;
import dev.imagine.internal.files.AtomicFiles;
import dev.imagine.internal.http.ClientAccess;
import io.vertx.core.Context;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Direct mode: sends the items through the client with at most {@code concurrency} out at once,
 * saves each answer's images the moment it arrives (on a small pool of writer threads, never on
 * an event loop), and records every step in the journal before the next one happens: "sent" goes
 * to disk before the request goes out, so a kill can never leave a paid-for request unrecorded.
 */
public final class DirectRunner {
  private final List<ImageRequest> asked;
  private List<ImageRequest> requests;
  private final BatchSettings settings;
  private final ImagesClient client;
  private final Consumer<BatchProgress> onProgress;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger failedThisRun = new AtomicInteger();
  private volatile Error listenerError; // guarded by progress()'s lock for writing
  private final AtomicInteger imagesThisRun = new AtomicInteger();
  private final AtomicLong pausedUntil = new AtomicLong(System.nanoTime());
  private volatile String stopReason;
  private BigDecimal spent = BigDecimal.ZERO;
  private boolean priceKnown;
  private long started;
  private BatchFolder folder;

  /** @param settings with the client to send through */
  public DirectRunner(List<ImageRequest> requests, BatchSettings settings) {
    this.asked = requests;
    this.settings = settings;
    this.client = settings.client();
    this.onProgress = settings.onProgress();
  }

  public BatchReport run() {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("a batch blocks until it is done and must not run on a Vert.x event loop");
    }
    requests = checkAll(asked, client);
    started = System.nanoTime();
    Path out = settings.out();
    folder = BatchFolder.open(out, asked, "direct");
    int writers = Math.min(4, settings.concurrency());
    ExecutorService writer = Executors.newFixedThreadPool(writers, r -> {
      Thread t = new Thread(r, "imagine-batch-writer");
      t.setDaemon(true);
      return t;
    });
    // writes each image to its file as its answer streams in, so that answers in flight hold little
    ExecutorService streaming = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "imagine-batch-streaming");
      t.setDaemon(true);
      return t;
    });
    Semaphore slots = new Semaphore(settings.concurrency());
    try {
      folder.recoverRescued();
      folder.settleInterrupted();
      List<Integer> todo = folder.toSend(settings.retryUnknown());
      priceKnown = !todo.isEmpty() && Pricing.total(client, todo.stream().map(i -> requests.get(i - 1)).toList(), false).isPresent();
      if (settings.budget() != null) {
        checkPricesKnown(todo);
      }
      progress();
      for (int item : todo) {
        if (stopReason != null) {
          break;
        }
        try {
          slots.acquire();
          waitWhilePaused();
        } catch (InterruptedException e) {
          stopReason = "the run was interrupted; the items not yet sent are sent by the next run";
          Thread.currentThread().interrupt();
          break;
        }
        if (stopReason != null || !withinBudget(item)) {
          slots.release();
          break;
        }
        try {
          folder.sent(item); // on disk before the request goes out
        } catch (UncheckedIOException e) {
          stopSending("stopped sending: " + e.getMessage());
          slots.release();
          break;
        }
        send(item, slots, writer, streaming);
      }
      slots.acquireUninterruptibly(settings.concurrency()); // every request out has come back and been recorded
      return folder.report(Duration.ofNanos(System.nanoTime() - started), cost(), stopReason);
    } finally {
      writer.shutdown();
      streaming.shutdown();
      folder.close();
      if (listenerError != null) {
        throw listenerError; // the listener's bug, now that nothing is left half done
      }
    }
  }

  /**
   * The requests as they will be sent, each checked against its model's rules before anything is
   * sent (a typo in item 900 stops nothing halfway). Items without a model get the client's
   * {@link ImagesClient#defaultModel()} (the server's choice), and are checked by its rules.
   */
  static List<ImageRequest> checkAll(List<ImageRequest> requests, ImagesClient client) {
    String defaultModel = requests.stream().anyMatch(r -> r.model() == null) ? client.defaultModel() : null;
    List<ImageRequest> checked = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      ImageRequest r = requests.get(i).model() != null ? requests.get(i) : requests.get(i).toBuilder().model(defaultModel).build();
      try {
        checked.add(r.validate());
      } catch (InvalidRequestException e) {
        throw new IllegalArgumentException("item " + (i + 1) + " (\"" + RequestJson.shortPrompt(r.prompt(), 40)
            + "\", " + r.model() + "): " + e.getMessage() + "; nothing was sent", e);
      }
    }
    return List.copyOf(checked);
  }

  private void send(int item, Semaphore slots, ExecutorService writer, ExecutorService streaming) {
    ImageRequest request = requests.get(item - 1);
    inFlight.incrementAndGet();
    progress();
    ClientAccess.generate(client, request, rateLimitListener, folder.destinationFor(item, streaming))
        .onComplete(ar -> writer.execute(() -> {
      try {
        if (ar.succeeded()) {
          saved(item, ar.result());
        } else {
          failed(item, ar.cause());
        }
      } catch (UncheckedIOException e) {
        stopSending("stopped sending: " + e.getMessage()); // the journal cannot be written
      } finally {
        inFlight.decrementAndGet();
        try {
          progress(); // before the slot goes back: run() may return as soon as it does, and no snapshot may follow
        } finally {
          slots.release(); // even when the listener threw an Error: run() waits for every slot
        }
      }
    }));
  }

  private void saved(int item, ImageResult result) {
    List<Path> files;
    try {
      files = folder.save(item, result.images());
    } catch (UncheckedIOException e) {
      couldNotSave(item, result, e);
      return;
    } finally {
      result.images().forEach(BatchFolder::release); // what was not moved into place: kept elsewhere, or not at all
    }
    if (files.isEmpty()) {
      folder.failed(item, true, "the server answered without an image", result.requestId());
      failedThisRun.incrementAndGet();
      return;
    }
    imagesThisRun.addAndGet(files.size());
    folder.saved(item, files, result.requestId(), result.cost().orElse(null), null);
  }

  /**
   * A full disk or a folder that became unwritable: nothing more is sent (every further image
   * would meet the same), and this paid-for image is kept in the rescue folder for the next run.
   */
  private void couldNotSave(int item, ImageResult result, UncheckedIOException e) {
    String why = AtomicFiles.reason(e.getCause());
    Path rescue = folder.rescueDir();
    stopSending("stopped sending: cannot save images in " + settings.out().toAbsolutePath() + " (" + why + "). Free some space"
        + " there (or make the folder writable), then run the same command again: the images that arrived are kept in "
        + rescue + " and moved in without being sent again; the items not sent yet are sent then");
    String paid = "made and paid for (request id " + result.requestId() + ") but not saved in " + settings.out() + " (" + why + ")";
    String message;
    try {
      folder.rescue(item, result.images());
      message = paid + "; kept in " + rescue + ", the next run moves it in without sending it again";
    } catch (UncheckedIOException notKept) {
      message = paid + " nor in " + rescue + " (" + notKept.getMessage() + "); the next run sends it again, paying twice";
    }
    folder.failed(item, true, message, result.requestId());
    failedThisRun.incrementAndGet();
  }

  private void stopSending(String reason) {
    synchronized (pausedUntil) {
      if (stopReason == null) {
        stopReason = reason;
      }
    }
  }

  private void failed(int item, Throwable cause) {
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    String requestId = cause instanceof ImagineException ie ? ie.requestId() : null;
    switch (classify(cause)) {
      case UNKNOWN -> {
        folder.unknown(item, message, requestId);
        return;
      }
      case STOP -> {
        stopSending("stopped sending: " + message);
        folder.failed(item, true, message, requestId);
      }
      case REJECT -> folder.failed(item, false, message, requestId);
      case RETRY -> {
        if (cause instanceof RateLimitException r && r.retryAfter() != null) {
          pauseFor(r.retryAfter());
        } else if (cause instanceof RateLimitException) {
          pauseFor(Duration.ofSeconds(1));
        }
        folder.failed(item, true, message, requestId);
      }
    }
    failedThisRun.incrementAndGet();
  }

  enum Kind { RETRY, REJECT, UNKNOWN, STOP }

  /**
   * What a failure means for the item: worth another try (nothing reached the server, or it
   * refused for a passing reason), refused for good, of unknown outcome (it may be billed), or a
   * reason to stop the whole batch (the key or the balance, which every other item would meet too).
   */
  static Kind classify(Throwable cause) {
    if (cause instanceof InvalidRequestException) {
      return Kind.REJECT;
    }
    if (cause instanceof AuthenticationException || cause instanceof PermissionDeniedException
        || cause instanceof NotSentException) { // NotSentException: no key, so no item can be sent
      return Kind.STOP;
    }
    if (cause instanceof RateLimitException r) {
      return r.isQuotaExhausted() ? Kind.STOP : Kind.RETRY;
    }
    if (cause instanceof ApiException a) {
      int s = a.status();
      return s == 408 || s == 409 || s == 429 || s >= 500 ? Kind.RETRY : Kind.REJECT;
    }
    if (cause instanceof ConnectionException c) {
      return c.requestSent() ? Kind.UNKNOWN : Kind.RETRY;
    }
    if (cause instanceof IllegalStateException) {
      return Kind.STOP; // a closed client
    }
    if (cause instanceof RequestTimeoutException || cause instanceof CancellationException) {
      return Kind.UNKNOWN;
    }
    return Kind.UNKNOWN; // a 200 that held no images, a failed URL download: the server may have billed it
  }

  /**
   * Hears every item's retries as they happen: a 429 the client is about to retry pauses the whole
   * batch at once for the server's {@code retry-after} (or the client's backoff without one).
   */
  private final GenerationListener rateLimitListener = new GenerationListener() {
    @Override
    public void retrying(ImageRequest request, int attempt, Duration delay, Throwable cause) {
      if (cause instanceof RateLimitException r) {
        pauseFor(r.retryAfter() != null ? r.retryAfter() : delay);
      }
    }
  };

  /** A 429 slows the whole batch: nothing more goes out until the server's wait is over. */
  private void pauseFor(Duration wait) {
    long until = System.nanoTime() + wait.toNanos();
    pausedUntil.accumulateAndGet(until, Math::max);
    progress();
  }

  private void waitWhilePaused() throws InterruptedException {
    long left;
    while ((left = pausedUntil.get() - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
    }
  }

  private void checkPricesKnown(List<Integer> todo) {
    for (int item : todo) {
      if (Pricing.estimate(client, requests.get(item - 1), false).isEmpty()) {
        stopReason = "no price is known for model " + requests.get(item - 1).model() + " (item " + item
            + "), so the budget of $" + settings.budget().toPlainString() + " cannot be kept; nothing was sent."
            + " Run without --budget, or give the client a price table";
        return;
      }
    }
  }

  private synchronized boolean withinBudget(int item) {
    Optional<BigDecimal> one = Pricing.estimate(client, requests.get(item - 1), false);
    if (one.isEmpty()) {
      return true; // only with no budget: checkPricesKnown stopped a budgeted run already
    }
    BigDecimal next = spent.add(one.get());
    if (settings.budget() != null && next.compareTo(settings.budget()) > 0) {
      stopReason = "the budget of $" + settings.budget().toPlainString() + " is reached ($" + spent.toPlainString()
          + " sent by estimate; item " + item + " would make it $" + next.toPlainString() + ")";
      return false;
    }
    spent = next;
    return true;
  }

  private synchronized Optional<BigDecimal> cost() {
    return priceKnown ? Optional.of(spent) : Optional.empty();
  }

  /** One snapshot at a time, in order: writers finish items on several threads. */
  private synchronized void progress() {
    if (onProgress == null) {
      return;
    }
    BatchProgress p;
    synchronized (folder) {
      p = new BatchProgress(requests.size(), folder.count(Status.SAVED), failedThisRun.get(),
          folder.count(Status.UNKNOWN), inFlight.get(), imagesThisRun.get(),
          Duration.ofNanos(System.nanoTime() - started), cost(),
          pausedUntil.get() - System.nanoTime() > 0 ? "paused" : "sending");
    }
    try {
      onProgress.accept(p);
    } catch (RuntimeException ignored) {
      // a progress display must not stop the batch
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Error e) {
      if (listenerError == null) {
        listenerError = e; // an assertion in the listener, say: thrown by run() once the batch is over
      }
    }
  }
}
