package dev.imagine.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.ApiException;
import dev.imagine.ContentRefusedException;
import dev.imagine.GeneratedImage;
import dev.imagine.ImageRequest;
import dev.imagine.ImageResult;
import dev.imagine.ImagineException;
import dev.imagine.PriceTable;
import dev.imagine.RateLimitException;
import dev.imagine.RateLimits;
import dev.imagine.Usage;
import dev.imagine.internal.wire.ImagePayloadExtractor;
import dev.imagine.internal.wire.ImagesResponseBody;
import dev.imagine.internal.wire.Json;
import dev.imagine.internal.wire.PayloadOutput;
import dev.imagine.internal.wire.StreamEvent;
import dev.imagine.internal.wire.UsageBody;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns what a server answered into results or exceptions: an error answer, an images JSON body
 * (whose base64 images {@link ImagePayloadExtractor} already decoded while it streamed in), or a
 * server-sent-event stream of partial and completed images. No I/O: {@code url} images are left
 * for {@link UrlDownloader}.
 */
final class ResponseDecoder {
  private ResponseDecoder() {}

  /** An error answer: the exception to throw, and whether re-sending cannot help (quota, refusal). */
  record ErrorAnswer(ApiException exception, boolean permanent) {}

  static ErrorAnswer error(int status, String statusMessage, byte[] body, String requestId, String url,
      Duration serverDelay) {
    return error(status, statusMessage, body, requestId, url, serverDelay, null, ErrorMapper.DEFAULT_KEY_SETTING,
        RateLimits.none());
  }

  /**
   * As the other, for a request to {@code model}, so a {@code model_not_found} says why and what to
   * use; {@code keySetting} is what the user sets to give a key, named when the key was refused.
   */
  static ErrorAnswer error(int status, String statusMessage, byte[] body, String requestId, String url,
      Duration serverDelay, String model, String keySetting, RateLimits limits) {
    ErrorMapper.ServerError error = ErrorMapper.parse(body);
    ApiException failure = ErrorMapper.toException(status, statusMessage, error, requestId, url, serverDelay, model,
        keySetting, limits);
    boolean permanent = failure instanceof RateLimitException r && r.isQuotaExhausted()
        || failure instanceof ContentRefusedException
        || ErrorMapper.isLowBalance(String.valueOf(error.message()).toLowerCase(Locale.ROOT));
    return new ErrorAnswer(failure, permanent);
  }

  /** One image of a JSON answer: the output its bytes went to, or the URL it still has to be fetched from. */
  record Item(int index, PayloadOutput bytes, String url, String revisedPrompt) {}

  /** A JSON images answer, before any {@code url} image is fetched. */
  record ImagesAnswer(ImagesResponseBody body, List<Item> items) {
    List<String> urls() {
      return items.stream().map(Item::url).filter(u -> u != null).toList();
    }
  }

  /** Reads a 2xx JSON body; throws when it is an error or not images JSON at all. */
  static ImagesAnswer images(int status, String requestId, String url, ImagePayloadExtractor body) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body.skeleton());
    } catch (Exception e) {
      root = null;
    }
    if (root != null && ErrorMapper.isErrorBody(root)) {
      throw ErrorMapper.toException(status, null, ErrorMapper.parse(body.skeleton()), requestId, url, null);
    }
    if (root == null || !root.path("data").isArray()) {
      String excerpt = ErrorMapper.readable(new String(body.skeleton(), StandardCharsets.UTF_8));
      throw new ImagineException("The server answered " + status + " but not with images JSON"
          + (body.endedInsidePayload() ? " (the body ended in the middle of an image)" : "")
          + (excerpt == null || excerpt.isEmpty() ? " (empty body)" : ": " + excerpt)
          + (requestId == null ? "" : " (request id " + requestId + ")")
          + ". Check that the base URL points at an OpenAI-compatible API", requestId, null);
    }
    ImagesResponseBody parsed = Json.MAPPER.convertValue(root, ImagesResponseBody.class);
    List<Item> items = new ArrayList<>();
    List<ImagesResponseBody.ImageData> data = parsed.data();
    for (int i = 0; i < data.size(); i++) {
      ImagesResponseBody.ImageData d = data.get(i);
      PayloadOutput bytes = body.output(d.b64Json());
      if (bytes != null || d.url() != null) {
        items.add(new Item(i, bytes, bytes == null ? d.url() : null, d.revisedPrompt()));
      }
    }
    return new ImagesAnswer(parsed, items);
  }

  static ImageResult result(ImageRequest request, ImagesAnswer answer, List<GeneratedImage> images,
      String requestId, Duration elapsed, PriceTable prices, RateLimits limits) {
    ImagesResponseBody b = answer.body();
    return new ImageResult(request, Instant.ofEpochSecond(b.created()), images, usage(b.usage()), b.size(),
        b.quality(), b.background(), b.outputFormat(), requestId, elapsed, prices, limits);
  }

  /** The images were made but a {@code url} could not be fetched: say where they still are. */
  static ImagineException downloadFailed(ImagesAnswer answer, String requestId, Throwable cause) {
    return new ImagineException("The images were made but downloading them failed: " + cause.getMessage()
        + ". They stay at these URLs for about an hour: " + String.join(" ", answer.urls()), requestId, cause);
  }

  private static Usage usage(UsageBody u) {
    if (u == null) {
      return null;
    }
    UsageBody.Details d = u.inputTokensDetails();
    return new Usage(orZero(u.inputTokens()), orZero(u.outputTokens()), orZero(u.totalTokens()),
        d == null ? null : d.textTokens(), d == null ? null : d.imageTokens());
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  /** The events of one streamed attempt: partial previews as they come, the completed images at the end. */
  static final class EventStream {
    private final ImageRequest request;
    private final String url;
    private final List<GeneratedImage> completed = new ArrayList<>();
    private StreamEvent last;
    private ImagineException error;

    EventStream(ImageRequest request, String url) {
      this.request = request;
      this.url = url;
    }

    /** Takes one event; returns the partial preview it carried, else {@code null}. */
    GeneratedImage onEvent(ImagePayloadExtractor event) {
      JsonNode root;
      try {
        root = Json.MAPPER.readTree(event.skeleton());
      } catch (Exception e) {
        return null; // "[DONE]" and other non-JSON lines
      }
      if (root == null || !root.isObject()) {
        return null;
      }
      StreamEvent e = Json.MAPPER.convertValue(root, StreamEvent.class);
      if (e.error() != null || "error".equals(e.type())) {
        error = ErrorMapper.toException(200, "(stream)", ErrorMapper.parse(event.skeleton()), null, url, null);
        return null;
      }
      List<byte[]> bytes = event.payload(e.b64Json());
      if (bytes == null || e.type() == null) {
        return null;
      }
      if (e.type().endsWith(".partial_image")) {
        int index = e.partialImageIndex() == null ? 0 : e.partialImageIndex();
        return new GeneratedImage(bytes, index, request.prompt(), null, null);
      }
      if (e.type().endsWith(".completed")) {
        completed.add(new GeneratedImage(bytes, completed.size(), request.prompt(), null, null));
        last = e;
      }
      return null;
    }

    /** The result once the stream ended; throws the stream's error, or when no image completed. */
    ImageResult finish(String requestId, Duration elapsed, PriceTable prices, RateLimits limits) {
      if (error != null) {
        throw error;
      }
      if (completed.isEmpty()) {
        throw new ImagineException("The stream ended without a completed image"
            + (requestId == null ? "" : " (request id " + requestId + ")"), requestId, null);
      }
      Instant created = last.createdAt() == null ? Instant.now() : Instant.ofEpochSecond(last.createdAt());
      return new ImageResult(request, created, completed, usage(last.usage()), last.size(), last.quality(),
          last.background(), last.outputFormat(), requestId, elapsed, prices, limits);
    }
  }
}
