package dev.imagine.batch;

import dev.imagine.ImageRequest;
import dev.imagine.Images;
import dev.imagine.ImagesClient;
import dev.imagine.internal.batch.BatchSettings;
import dev.imagine.internal.batch.DirectRunner;
import dev.imagine.internal.batch.Pricing;
import dev.imagine.internal.batch.ProviderBatchRunner;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Many images in one go: requests sent a few at a time, each image saved the moment it arrives,
 * and a journal in the output folder so that running the same batch again sends only what is
 * missing and never pays twice for an image.
 *
 * <pre>{@code
 * import static dev.imagine.Images.images;
 *
 * BatchReport report = images().model("gpt-image-1").size("1024x1024")
 *     .batch(List.of("a red fox", "a blue fox", "a green fox"))
 *     .out(Path.of("foxes"))
 *     .concurrency(8)
 *     .run();
 * System.out.println(report.summary());
 * // running it again skips the saved items and sends only what failed
 * }</pre>
 *
 * <p>Files are named from the item's number and prompt ({@code 0007-a-red-fox.png}, then
 * {@code 0007-a-red-fox-2.png} for a second image of the same item). The journal,
 * {@code imagine-batch.jsonl}, records each item as sent, saved, failed or of unknown outcome (the
 * connection was lost after the request went out, so the server may have made and billed it).
 * A later run skips saved items, sends failed ones again, and leaves unknown ones alone unless
 * {@link #retryUnknown(boolean)} is set. Immutable: every option returns a new batch.
 */
public final class Batch {
  private final List<ImageRequest> requests;
  private final BatchSettings settings;

  private Batch(List<ImageRequest> requests, BatchSettings settings) {
    this.requests = requests;
    this.settings = settings;
  }

  /**
   * A batch of these requests, numbered from 1 in this order, sent through the default client
   * ({@link Images#defaultClient()}) unless {@link #client(ImagesClient)} says otherwise. See also
   * {@code images().model(..).batch(prompts)}.
   */
  public static Batch of(List<ImageRequest> requests) {
    Objects.requireNonNull(requests, "requests");
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one request");
    }
    requests.forEach(r -> Objects.requireNonNull(r, "a request in the batch is null"));
    return new Batch(List.copyOf(requests), BatchSettings.defaults());
  }

  /** Sends through this client. */
  public Batch client(ImagesClient client) {
    return new Batch(requests, settings.withClient(client));
  }

  /** The folder for the images and the journal; default {@code imagine-batch}. Use one folder per batch. */
  public Batch out(Path dir) {
    return new Batch(requests, settings.withOut(Objects.requireNonNull(dir, "dir")));
  }

  /** How many requests may be out at once; default 4. */
  public Batch concurrency(int concurrency) {
    return new Batch(requests, settings.withConcurrency(concurrency));
  }

  /**
   * Stops sending once the estimated cost of this run would pass {@code dollars} (US dollars);
   * the items not sent are sent by the next run. Needs a known price for the model.
   */
  public Batch budget(BigDecimal dollars) {
    return new Batch(requests, settings.withBudget(dollars));
  }

  /**
   * Also sends again the items whose outcome is unknown (the server may have made and billed
   * them already, so this may pay twice). Off by default.
   */
  public Batch retryUnknown(boolean retry) {
    return new Batch(requests, settings.withRetryUnknown(retry));
  }

  /**
   * Hands the work to the provider's Batch API instead of sending it directly: the requests go
   * up as one JSONL file per batch (split above 50,000 requests or 200 MB), cost half the price,
   * and are done within 24 hours; {@link #run()} waits for them, polling with backoff. A run that
   * is stopped re-attaches to its batch the next time instead of creating another.
   */
  public Batch viaBatchApi() {
    return new Batch(requests, settings.withProvider(settings.viaBatchApi() ? settings.provider()
        : BatchSettings.Provider.DEFAULTS));
  }

  /** With {@link #viaBatchApi()}: the first wait between looks at the batch; default 2 s, growing to 30 times that. */
  public Batch pollInterval(java.time.Duration interval) {
    BatchSettings.Provider p = settings.viaBatchApi() ? settings.provider() : BatchSettings.Provider.DEFAULTS;
    return new Batch(requests, settings.withProvider(new BatchSettings.Provider(interval, p.maxRequests(), p.maxBytes())));
  }

  /**
   * Called with a snapshot as items go out and come back, on a thread of the batch: keep it quick.
   * An exception it throws is ignored (a display must not stop the batch); an {@link Error}, such
   * as a failed assertion, is thrown by {@link #run()} once every item sent has its outcome.
   */
  public Batch onProgress(Consumer<BatchProgress> listener) {
    return new Batch(requests, settings.withProgress(listener));
  }

  /** The number of items. */
  public int size() {
    return requests.size();
  }

  /** The requests, in item order. */
  public List<ImageRequest> requests() {
    return requests;
  }

  /** The folder the batch saves into. */
  public Path out() {
    return settings.out();
  }

  /**
   * The estimated cost of sending every item, in US dollars (at the batch price with
   * {@link #viaBatchApi()}), or empty when a model's price is not known. Nothing is sent.
   */
  public Optional<BigDecimal> estimate() {
    return Pricing.total(client(), requests, settings.viaBatchApi());
  }

  /**
   * Sends what the journal says is still to do, waits for it and reports every item. Blocks; an
   * interrupt stops sending new requests and waits for those already out.
   *
   * @throws IllegalStateException on a Vert.x event loop, or when another run uses the same folder
   * @throws IllegalArgumentException when the folder's journal was written for other requests
   */
  public BatchReport run() {
    BatchSettings run = settings.withClient(client());
    return settings.viaBatchApi() ? new ProviderBatchRunner(requests, run).run() : new DirectRunner(requests, run).run();
  }

  private ImagesClient client() {
    return settings.client() != null ? settings.client() : Images.defaultClient();
  }

  @Override
  public String toString() {
    return "Batch[" + requests.size() + " items, out " + settings.out() + ", concurrency " + settings.concurrency() + "]";
  }
}
