package dev.imagine.internal.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.imagine.internal.rules.ImageParams;
import dev.imagine.internal.rules.ImageParams.Endpoint;
import dev.imagine.internal.models.ModelCatalog;
import dev.imagine.internal.models.ModelInfo;
import dev.imagine.internal.rules.ModelRules;
import dev.imagine.internal.rules.Violation;
import dev.imagine.internal.wire.ImagesResponseBody;
import dev.imagine.internal.wire.Json;
import dev.imagine.internal.wire.StreamEvent;
import dev.imagine.internal.wire.UsageBody;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * What the backend does with an images request: checks it like the real server (the shared
 * {@link ModelRules}, strict, plus the rules for uploaded files), fills in the defaults, and
 * makes the answer: JSON with {@code b64_json} or {@code url} items, or server-sent events.
 */
final class ImageService {
  static final String DEFAULT_MODEL = ModelCatalog.FALLBACK_MODEL;
  static final String VARIATIONS_MODEL = "dall-e-2";
  static final int MAX_EDIT_IMAGES = 16;
  private static final long DALL_E_2_MAX_FILE = 4L * 1024 * 1024;
  private static final long GPT_IMAGE_MAX_FILE = 50L * 1024 * 1024;
  private static final List<String> IMAGE_TYPES = List.of("image/png", "image/jpeg", "image/webp");
  /** Stands in for a base64 payload while the JSON around it is written; split out afterwards. */
  private static final String SLOT = "imagine-b64-slot-" + UUID.randomUUID() + "-";

  private final ImageCache cache;
  private final FileStore files;

  ImageService(ImageCache cache, FileStore files) {
    this.cache = cache;
    this.files = files;
  }

  /** A checked request with every default filled in. */
  record Plan(Endpoint endpoint, String model, ModelInfo info, String prompt, int n, int width, int height,
      String quality, String outputFormat, int compression, boolean transparent, boolean stream, int partials,
      boolean url, long salt, long inputImageTokens, PaintInput input) {

    boolean gpt() {
      return info.family().isGptImage();
    }

    String size() {
      return width + "x" + height;
    }
  }

  /** Checks a request and fills in defaults; throws {@link ApiFailure} for the first broken rule. */
  Plan check(ImageJob job) {
    ImageParams p = job.params();
    Endpoint endpoint = p.endpoint();
    String model = p.model() != null ? p.model()
        : endpoint == Endpoint.VARIATIONS ? VARIATIONS_MODEL : DEFAULT_MODEL;
    ModelInfo known = ModelCatalog.find(model).orElse(null);
    ModelInfo info;
    if (endpoint == Endpoint.VARIATIONS && (known == null || !known.variations())) {
      if (known != null) {
        throw ApiFailure.invalid("model", "model '" + model + "' cannot make variations; only dall-e-2 can "
            + "(leave model out or send dall-e-2)");
      }
      info = ModelCatalog.find(VARIATIONS_MODEL).orElseThrow(); // a reseller's id for the variations model
    } else {
      info = known != null ? known : ModelCatalog.strictRulesFor(model);
    }
    String rulesModel = endpoint == Endpoint.VARIATIONS ? VARIATIONS_MODEL : model;
    Optional<Violation> v = ModelRules.check(withModel(p, rulesModel), true);
    if (v.isPresent()) {
      throw ApiFailure.invalid(v.get().param(), v.get().message());
    }
    long imageTokens = checkFiles(job, endpoint, info, model);

    String format = p.outputFormat() == null ? "png" : p.outputFormat();
    if (!ImageCache.canWrite(format)) {
      throw ApiFailure.invalid("output_format", "output_format '" + format + "' is not supported by the local "
          + "backend (this JVM has no " + format + " encoder); use png or jpeg");
    }
    boolean gpt = info.family().isGptImage();
    String size = p.size() == null || p.size().equals("auto") ? "1024x1024" : p.size();
    int x = size.indexOf('x');
    int width = Integer.parseInt(size.substring(0, x));
    int height = Integer.parseInt(size.substring(x + 1));
    String quality = p.quality() == null || p.quality().equals("auto") ? (gpt ? "medium" : "standard") : p.quality();
    String prompt = endpoint == Endpoint.VARIATIONS ? "variation of " + job.images().get(0).filename() : p.prompt();
    return new Plan(endpoint, model, info, prompt, p.n() == null ? 1 : p.n(), width, height, quality, format,
        p.outputCompression() == null ? 100 : p.outputCompression(), "transparent".equals(p.background()),
        gpt && Boolean.TRUE.equals(p.stream()), p.partialImages() == null ? 0 : p.partialImages(),
        !gpt && !"b64_json".equals(p.responseFormat()), salt(job), imageTokens, input(job));
  }

  private static ImageParams withModel(ImageParams p, String model) {
    return new ImageParams(p.endpoint(), p.prompt(), model, p.n(), p.size(), p.quality(), p.style(),
        p.responseFormat(), p.outputFormat(), p.outputCompression(), p.background(), p.moderation(),
        p.inputFidelity(), p.stream(), p.partialImages());
  }

  /** The rules for uploaded files; returns the input image tokens a GPT image model would count. */
  private static long checkFiles(ImageJob job, Endpoint endpoint, ModelInfo info, String model) {
    if (endpoint == Endpoint.GENERATIONS) {
      return 0;
    }
    List<ImageJob.Upload> images = job.images();
    if (images.isEmpty()) {
      throw ApiFailure.invalid("image", "Missing required parameter: 'image' (send the picture as a file part "
          + "named image, or up to " + MAX_EDIT_IMAGES + " parts named image[]; as JSON, images: [{\"image_url\": ...}])");
    }
    // dall-e-2, the only model that makes variations, takes one square PNG
    boolean oneSquarePng = endpoint == Endpoint.VARIATIONS || info.variations();
    if (oneSquarePng && images.size() > 1) {
      throw ApiFailure.invalid("image", (endpoint == Endpoint.VARIATIONS ? "variations take" : model + " edits take")
          + " exactly one image, not " + images.size());
    }
    if (images.size() > MAX_EDIT_IMAGES) {
      throw ApiFailure.invalid("image", "Too many images: " + images.size() + "; at most " + MAX_EDIT_IMAGES
          + " image[] parts are accepted");
    }
    long tokens = 0;
    int[] firstSize = null;
    for (ImageJob.Upload image : images) {
      int[] dims = checkFile(image);
      if (firstSize == null) {
        firstSize = dims;
      }
      if (oneSquarePng) {
        if (!image.contentType().equals("image/png")) {
          throw ApiFailure.invalid(image.field(), "Invalid image '" + image.filename() + "': "
              + (endpoint == Endpoint.VARIATIONS ? "variations" : model) + " needs a PNG image, not " + image.contentType());
        }
        if (image.bytes().length >= DALL_E_2_MAX_FILE) {
          throw ApiFailure.invalid(image.field(), "Invalid image '" + image.filename() + "': it is "
              + image.bytes().length + " bytes; the limit is 4 MB");
        }
        if (dims != null && dims[0] != dims[1]) {
          throw ApiFailure.invalid(image.field(), "Invalid image '" + image.filename() + "': it is " + dims[0] + "x"
              + dims[1] + "; the image must be square");
        }
      } else if (image.bytes().length >= GPT_IMAGE_MAX_FILE) {
        throw ApiFailure.invalid(image.field(), "Invalid image '" + image.filename() + "': it is "
            + image.bytes().length + " bytes; the limit is 50 MB");
      }
      tokens += ModelCatalog.inputImageTokens(dims);
    }
    ImageJob.Upload mask = job.mask();
    if (mask != null) {
      if (endpoint == Endpoint.VARIATIONS) {
        throw ApiFailure.invalid("mask", "variations take no mask");
      }
      int[] dims = checkFile(mask);
      if (!mask.contentType().equals("image/png")) {
        throw ApiFailure.invalid("mask", "Invalid mask '" + mask.filename() + "': the mask must be a PNG, not "
            + mask.contentType());
      }
      if (dims != null && firstSize != null && (dims[0] != firstSize[0] || dims[1] != firstSize[1])) {
        throw ApiFailure.invalid("mask", "Invalid mask '" + mask.filename() + "': it is " + dims[0] + "x" + dims[1]
            + " but the image is " + firstSize[0] + "x" + firstSize[1] + "; they must be the same size");
      }
    }
    return tokens;
  }

  /** Checks a file part's name, type and content; returns its width and height when cheap to know. */
  private static int[] checkFile(ImageJob.Upload f) {
    if (f.filename() == null || f.filename().isBlank()) {
      throw ApiFailure.invalid(f.field(), "The file part '" + f.field() + "' has no filename; send it with "
          + "Content-Disposition: form-data; name=\"" + f.field() + "\"; filename=\"...\"");
    }
    String type = f.contentType() == null ? "" : f.contentType().toLowerCase(Locale.ROOT);
    if (!IMAGE_TYPES.contains(type)) {
      throw ApiFailure.invalid(f.field(), "invalid_image_format", "Invalid file '" + f.field()
          + "': unsupported mimetype ('" + f.contentType() + "'). Supported file formats are 'image/jpeg', "
          + "'image/png', and 'image/webp'.");
    }
    byte[] b = f.bytes();
    boolean png = b.length > 24 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    boolean jpeg = b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8;
    boolean webp = b.length > 12 && new String(b, 0, 4, StandardCharsets.US_ASCII).equals("RIFF")
        && new String(b, 8, 4, StandardCharsets.US_ASCII).equals("WEBP");
    boolean matches = type.equals("image/png") ? png : type.equals("image/jpeg") ? jpeg : webp;
    if (!matches) {
      throw ApiFailure.invalid(f.field(), "invalid_image_format", "Invalid file '" + f.field() + "' ('"
          + f.filename() + "'): the content is not a " + type.substring(6).toUpperCase(Locale.ROOT) + " image");
    }
    if (png) {
      return new int[] {readInt(b, 16), readInt(b, 20)};
    }
    return null;
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }

  /** Edits and variations of different pictures with the same prompt must differ. */
  private static long salt(ImageJob job) {
    if (job.images().isEmpty()) {
      return 0;
    }
    CRC32 crc = new CRC32();
    job.images().forEach(i -> crc.update(i.bytes()));
    if (job.mask() != null) {
      crc.update(job.mask().bytes());
    }
    return crc.getValue() + 1;
  }

  private static PaintInput input(ImageJob job) {
    return job.images().isEmpty() ? null
        : new PaintInput(job.images().get(0).bytes(), job.mask() == null ? null : job.mask().bytes());
  }

  /**
   * Makes the images and the answer. Runs off the event loop.
   *
   * @param fileBase where {@code url} results are served, e.g. {@code http://127.0.0.1:8080/v1/files/}
   * @param eventSpacingMs for streams: the wait before each event
   */
  Reply answer(Plan plan, String fileBase, long eventSpacingMs) {
    List<ImageCache.Rendered> finals = new ArrayList<>();
    for (int i = 0; i < plan.n(); i++) {
      finals.add(cache.get(key(plan, i, 0), plan.input()));
    }
    long created = Instant.now().getEpochSecond();
    return plan.stream() ? events(plan, finals, created, eventSpacingMs) : json(plan, finals, created, fileBase);
  }

  private ImageCache.Key key(Plan plan, int index, int preview) {
    ImagePainter.Kind kind = switch (plan.endpoint()) {
      case GENERATIONS -> ImagePainter.Kind.GENERATION;
      case EDITS -> ImagePainter.Kind.EDIT;
      case VARIATIONS -> ImagePainter.Kind.VARIATION;
    };
    return new ImageCache.Key(new ImagePainter.Spec(plan.prompt(), plan.salt(), plan.width(), plan.height(), index,
        plan.transparent(), preview, kind, plan.model(), plan.quality()), plan.outputFormat(), plan.compression());
  }

  private Reply json(Plan plan, List<ImageCache.Rendered> images, long created, String fileBase) {
    List<ImagesResponseBody.ImageData> data = new ArrayList<>();
    List<byte[]> payloads = new ArrayList<>();
    String revised = plan.info().id().equals("dall-e-3")
        ? plan.prompt() + " (as drawn by the imagine local backend: a palette and shapes from the prompt, and its words)"
        : null;
    for (ImageCache.Rendered r : images) {
      if (plan.url()) {
        data.add(new ImagesResponseBody.ImageData(null, fileBase + files.put(r.bytes, r.format), revised));
      } else {
        data.add(new ImagesResponseBody.ImageData(marker(payloads.size()), null, revised));
        payloads.add(r.base64());
      }
    }
    ImagesResponseBody body = plan.gpt()
        ? new ImagesResponseBody(created, data, plan.transparent() ? "transparent" : "opaque", plan.outputFormat(),
            plan.size(), plan.quality(), usage(plan, plan.n()))
        : new ImagesResponseBody(created, data, null, null, null, null, null);
    Reply reply = Reply.empty(200, "application/json", false);
    split(write(body), payloads, 0, reply.pieces());
    return reply;
  }

  private Reply events(Plan plan, List<ImageCache.Rendered> finals, long created, long spacingMs) {
    boolean edit = plan.endpoint() == Endpoint.EDITS;
    String partialType = edit ? StreamEvent.EDIT_PARTIAL : StreamEvent.GENERATION_PARTIAL;
    String completedType = edit ? StreamEvent.EDIT_COMPLETED : StreamEvent.GENERATION_COMPLETED;
    String background = plan.transparent() ? "transparent" : "opaque";
    Reply reply = Reply.empty(200, "text/event-stream", true).header("cache-control", "no-cache");
    List<Reply.Piece> pieces = reply.pieces();
    for (int i = 0; i < finals.size(); i++) {
      for (int k = 0; k < plan.partials(); k++) {
        ImageCache.Rendered preview = cache.get(key(plan, i, plan.partials() - k + 1), plan.input());
        StreamEvent e = new StreamEvent(partialType, marker(0), k, plan.size(), plan.quality(), background,
            plan.outputFormat(), created, null, null);
        split(sse(partialType, e), List.of(preview.base64()), spacingMs, pieces);
      }
      StreamEvent done = new StreamEvent(completedType, marker(0), null, plan.size(), plan.quality(), background,
          plan.outputFormat(), created, usage(plan, 1), null);
      split(sse(completedType, done), List.of(finals.get(i).base64()), spacingMs, pieces);
    }
    return reply;
  }

  private static String marker(int i) {
    return SLOT + i + "~";
  }

  private static String sse(String type, StreamEvent event) {
    return "event: " + type + "\ndata: " + write(event) + "\n\n";
  }

  /** Token counts in the shape of gpt-image-1's: about 4 characters a token, 1056 per medium 1024x1024 image. */
  private static UsageBody usage(Plan plan, int images) {
    long text = Math.max(1, (plan.prompt().codePointCount(0, plan.prompt().length()) + 3) / 4);
    long perImage = switch (plan.quality()) {
      case "low" -> 272;
      case "medium" -> 1056;
      default -> 4160;
    };
    long output = images * Math.max(1, Math.round(perImage * (double) plan.width() * plan.height() / (1024 * 1024)));
    long input = text + plan.inputImageTokens();
    return new UsageBody(input, output, input + output, new UsageBody.Details(text, plan.inputImageTokens()));
  }

  private static String write(Object body) {
    try {
      return Json.MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + body.getClass().getSimpleName(), e);
    }
  }

  /**
   * Cuts the text at each slot marker and puts the payload there as its own piece, so base64
   * bytes go to the socket as they are, never through a String.
   */
  private static void split(String text, List<byte[]> payloads, long firstDelayMs, List<Reply.Piece> out) {
    int from = 0;
    long delay = firstDelayMs;
    for (int i = 0; i < payloads.size(); i++) {
      String marker = marker(i);
      int at = text.indexOf(marker, from);
      out.add(new Reply.Piece(Buffer.buffer(text.substring(from, at).getBytes(StandardCharsets.UTF_8)), delay));
      out.add(new Reply.Piece(Reply.wrap(payloads.get(i)), 0));
      delay = 0;
      from = at + marker.length();
    }
    out.add(new Reply.Piece(Buffer.buffer(text.substring(from).getBytes(StandardCharsets.UTF_8)), delay));
  }
}
