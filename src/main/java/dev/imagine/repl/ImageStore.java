package dev.imagine.repl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.imagine.GeneratedImage;
import dev.imagine.GenerationListener;
import dev.imagine.ImageRequest;
import dev.imagine.internal.http.RequestBodies;
import dev.imagine.ImageResult;
import dev.imagine.Usage;
import dev.imagine.internal.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Saves every image the moment it arrives, whoever asked for it and whether or not the snippet
 * kept the result: {@code <root>/<yyyy-MM-dd>/NNN-<slug>.<ext>} plus a JSON sidecar of the request
 * and the answer's metadata. NNN counts up within a day folder and a file is never overwritten.
 * It listens to the clients {@link Backends} builds; listener callbacks run on Vert.x threads, so the disk work happens on a thread of its own.
 */
final class ImageStore implements GenerationListener, AutoCloseable {
  /** One image saved this session. */
  record Saved(int number, Path file, Path sidecar, int width, int height, long bytes, String prompt) {}

  private static final Pattern NUMBERED = Pattern.compile("^(\\d{3,})-.*");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path root;
  private final Clock clock;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "imagine-autosave");
    t.setDaemon(true);
    return t;
  });
  private final List<Saved> session = new CopyOnWriteArrayList<>();
  private final Map<GeneratedImage, CompletableFuture<Path>> pending = Collections.synchronizedMap(new WeakHashMap<>());
  private final List<String> problems = new CopyOnWriteArrayList<>();

  ImageStore(Path root, Clock clock) {
    this.root = root;
    this.clock = clock;
  }

  Path root() {
    return root;
  }

  @Override
  public void completed(ImageRequest request, ImageResult result) {
    List<GeneratedImage> images = result.images();
    CompletableFuture<List<Path>> saved = CompletableFuture.supplyAsync(() -> save(request, result), writer);
    for (int i = 0; i < images.size(); i++) {
      int index = i;
      pending.put(images.get(i), saved.thenApply(paths -> paths.get(index)));
    }
  }

  /** Where {@code image} was saved, waiting a little for a save in progress; {@code null} if it was not. */
  Path savedPath(GeneratedImage image) {
    CompletableFuture<Path> f = pending.get(image);
    if (f == null) {
      return null;
    }
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return null;
    }
  }

  /** The images saved this session, oldest first. */
  List<Saved> session() {
    return List.copyOf(session);
  }

  /** Problems met while saving since the last call (a full disk, a read-only folder). */
  List<String> takeProblems() {
    List<String> p = List.copyOf(problems);
    problems.clear();
    return p;
  }

  /** Waits for saves in progress (before a script exits). */
  void flush() {
    try {
      writer.submit(() -> { }).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort
    }
  }

  private List<Path> save(ImageRequest request, ImageResult result) {
    List<Path> files = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    try {
      Path day = root.resolve(LocalDate.now(clock).toString());
      Files.createDirectories(day);
      String slug = AtomicFiles.slug(request.prompt(), 40);
      for (GeneratedImage image : result.images()) {
        int number = nextNumber(day);
        while (true) {
          Path target = day.resolve(String.format("%03d-%s.%s", number, slug, image.extension()));
          try {
            AtomicFiles.write(target, image.bytes());
            files.add(target);
            numbers.add(number);
            break;
          } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof FileAlreadyExistsException)) {
              throw e;
            }
            number++; // another process took the number: take the next one
          }
        }
      }
      for (int i = 0; i < files.size(); i++) {
        Path file = files.get(i);
        String base = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        byte[] sidecar = JSON.writeValueAsBytes(sidecar(request, result, i, files));
        Path json = AtomicFiles.writeNew(file.getParent(), base, "json", sidecar);
        GeneratedImage image = result.images().get(i);
        session.add(new Saved(session.size() + 1, file, json, image.width(), image.height(), image.size(),
            request.prompt()));
      }
      return files;
    } catch (IOException | RuntimeException e) {
      problems.add("could not auto-save an image under " + root + ": " + e.getMessage());
      while (files.size() < result.images().size()) {
        files.add(null);
      }
      return files;
    }
  }

  private static int nextNumber(Path day) throws IOException {
    int max = 0;
    try (Stream<Path> entries = Files.list(day)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        Matcher m = NUMBERED.matcher(p.getFileName().toString());
        if (m.matches()) {
          max = Math.max(max, Integer.parseInt(m.group(1)));
        }
      }
    }
    return max + 1;
  }

  /** The sidecar: request options and answer metadata. Never a key, a header value or a payload. */
  private Map<String, Object> sidecar(ImageRequest request, ImageResult result, int index, List<Path> files) {
    Map<String, Object> req = RequestBodies.apiFields(request);
    if (!request.images().isEmpty()) {
      req.put("edited_images", request.images().size());
      req.put("mask", request.mask() != null);
    }
    if (!request.extraBody().isEmpty()) {
      req.put("extra_body_fields", List.copyOf(request.extraBody().keySet()));
    }
    if (!request.headers().isEmpty()) {
      req.put("header_names", List.copyOf(request.headers().keySet())); // values may be credentials
    }

    Map<String, Object> res = new LinkedHashMap<>();
    putIfSet(res, "created", result.created() == null ? null : result.created().toString());
    putIfSet(res, "request_id", result.requestId());
    putIfSet(res, "elapsed_ms", result.elapsed() == null ? null : result.elapsed().toMillis());
    putIfSet(res, "size", result.size());
    putIfSet(res, "quality", result.quality());
    putIfSet(res, "background", result.background());
    putIfSet(res, "output_format", result.outputFormat());
    GeneratedImage image = result.images().get(index);
    putIfSet(res, "revised_prompt", image.revisedPrompt());
    Usage usage = result.usage();
    if (usage != null) {
      Map<String, Object> u = new LinkedHashMap<>();
      u.put("input_tokens", usage.inputTokens());
      u.put("output_tokens", usage.outputTokens());
      u.put("total_tokens", usage.totalTokens());
      putIfSet(u, "text_tokens", usage.textTokens());
      putIfSet(u, "image_tokens", usage.imageTokens());
      res.put("usage", u);
    }

    Map<String, Object> img = new LinkedHashMap<>();
    img.put("file", files.get(index).getFileName().toString());
    img.put("index", index);
    img.put("mime_type", image.mimeType());
    img.put("width", image.width());
    img.put("height", image.height());
    img.put("bytes", image.size());
    img.put("from_url", image.url() != null);

    Map<String, Object> all = new LinkedHashMap<>();
    all.put("image", img);
    all.put("files", files.stream().map(f -> f.getFileName().toString()).toList());
    all.put("request", req);
    all.put("response", res);
    all.put("saved_at", Instant.now(clock).toString());
    return all;
  }

  private static void putIfSet(Map<String, Object> map, String name, Object value) {
    if (value != null) {
      map.put(name, value);
    }
  }

  @Override
  public void close() {
    flush();
    writer.shutdown();
  }
}
