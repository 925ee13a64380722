package dev.imagine.repl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.imagine.GeneratedImage;
import dev.imagine.GenerationListener;
import dev.imagine.ImageRequest;
import dev.imagine.ImageResult;
import dev.imagine.ImagineException;
import dev.imagine.internal.metadata.EmbeddedMetadata;
import dev.imagine.internal.metadata.GenerationRecord;
import dev.imagine.repl.history.History;
import dev.imagine.repl.history.HistoryEntry;
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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
final class ImageStore implements GenerationListener, Views.Filing, AutoCloseable {
  /**
   * One image made this session. {@code file} is {@code null} when it could not be saved (a full
   * disk, a read-only folder): then {@code unsaved} holds it in memory for {@code /save N path}.
   */
  record Saved(int number, Path file, Path sidecar, int width, int height, long bytes, String prompt,
      GeneratedImage unsaved) {
    boolean onDisk() {
      return file != null;
    }
  }

  private static final Pattern NUMBERED = Pattern.compile("^(\\d{3,})-.*");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private volatile Path root;
  private final boolean inRepl;
  private final Clock clock;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "imagine-autosave");
    t.setDaemon(true);
    return t;
  });
  private final List<Saved> session = new CopyOnWriteArrayList<>();
  private final Map<GeneratedImage, CompletableFuture<Path>> pending = Collections.synchronizedMap(new WeakHashMap<>());
  private final Map<GeneratedImage, CompletableFuture<Long>> numbers = Collections.synchronizedMap(new WeakHashMap<>());
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final History history;
  /** Whether the trouble of the last failed auto-save was told; touched by the writer thread only. */
  private boolean troubleTold;

  /**
   * Saves under {@code root}; each generation is also recorded in the history database in
   * {@code historyFolder} ({@code null}: not recorded), whose one warning joins {@link #takeProblems()}.
   */
  ImageStore(Path root, Clock clock, Path historyFolder) {
    this(root, clock, historyFolder, true);
  }

  /** As {@link #ImageStore(Path, Clock, Path)}; {@code inRepl} false for a script, whose advice names no command. */
  ImageStore(Path root, Clock clock, Path historyFolder, boolean inRepl) {
    this.inRepl = inRepl;
    this.root = root;
    this.clock = clock;
    this.history = historyFolder == null ? null
        : new History(historyFolder, clock, sessionName(clock), problems::add).openInBackground();
  }

  /** A name for this session in the history: when it started, and a few random letters. */
  private static String sessionName(Clock clock) {
    return Instant.now(clock).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "-"
        + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
  }

  Path root() {
    return root;
  }

  /** Saves the images still to come under {@code folder}. */
  void root(Path folder) {
    this.root = folder;
  }

  /** The history generations are recorded in, or {@code null}. */
  History history() {
    return history;
  }

  @Override
  public void completed(ImageRequest request, ImageResult result) {
    List<GeneratedImage> images = result.images();
    CompletableFuture<List<Path>> saved = CompletableFuture.supplyAsync(() -> save(request, result), writer);
    CompletableFuture<Long> number = saved.thenCompose(paths -> record(request, result, paths, null));
    for (int i = 0; i < images.size(); i++) {
      int index = i;
      pending.put(images.get(i), saved.thenApply(paths -> paths.get(index)));
      numbers.put(images.get(i), number);
    }
  }

  @Override
  public void failed(ImageRequest request, Throwable failure) {
    String error = failure instanceof CancellationException ? "cancelled"
        : failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    if (failure instanceof ImagineException ie && ie.requestId() != null && !error.contains(ie.requestId())) {
      error += " (request id " + ie.requestId() + ")";
    }
    String why = error;
    try {
      writer.execute(() -> record(request, null, List.of(), why)); // off the event loop: an edit's inputs are copied
    } catch (RejectedExecutionException closed) {
      record(request, null, List.of(), why);
    }
  }

  /** Records a generation in the history; the number, or a failed future when there is no history or it failed. */
  private CompletableFuture<Long> record(ImageRequest request, ImageResult result, List<Path> files, String error) {
    if (history == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("no history"));
    }
    try {
      List<Path> kept = files.stream().filter(java.util.Objects::nonNull).map(Path::toAbsolutePath).toList();
      HistoryEntry entry = new HistoryEntry(0, Instant.now(clock), history.session(),
          result == null ? request.model() : result.model(), request.size(), request.quality(), request.n(),
          request.prompt(), !request.images().isEmpty(), GenerationRecord.json(historyRequest(request)),
          result == null ? null : GenerationRecord.json(GenerationRecord.response(result, 0)),
          result == null ? null : result.cost().orElse(null),
          result == null || result.elapsed() == null ? null : result.elapsed().toMillis(),
          result == null ? null : result.requestId(), error, null, kept);
      return history.record(entry);
    } catch (RuntimeException e) {
      problems.add("history not kept for this generation: " + e.getMessage());
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The request as the history keeps it: with an edit's input images, so that /rerun can send it again. */
  private Map<String, Object> historyRequest(ImageRequest request) {
    Map<String, Object> req = GenerationRecord.request(request);
    EditInputs.keep(request, history.file().getParent(), req);
    return req;
  }

  /** The history number of the generation that made {@code image}, waiting a little; {@code null} when not recorded. */
  @Override
  public Long number(GeneratedImage image) {
    return awaited(numbers.get(image), 3, image, Recall.Filed::number);
  }

  /** Where {@code image} was saved, waiting a little for a save in progress; {@code null} if it was not. */
  @Override
  public Path savedPath(GeneratedImage image) {
    return awaited(pending.get(image), 10, image, Recall.Filed::file);
  }

  /** The value of {@code f} within {@code seconds}; for an image read back from the history, what it recorded. */
  private static <T> T awaited(CompletableFuture<T> f, int seconds, GeneratedImage image,
      java.util.function.Function<Recall.Filed, T> recalled) {
    if (f == null) {
      Recall.Filed past = Recall.filed(image);
      return past == null ? null : recalled.apply(past);
    }
    try {
      return f.get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      return null;
    }
  }

  @Override
  public Integer keptInMemory(GeneratedImage image) {
    if (savedPath(image) != null) {
      return null;
    }
    for (Saved s : session) {
      if (s.unsaved() == image) {
        return s.number();
      }
    }
    return null;
  }

  /** The images made this session, saved or kept in memory, oldest first. */
  List<Saved> session() {
    return List.copyOf(session);
  }

  /** Problems met while saving since the last call (a full disk, a read-only folder). */
  List<String> takeProblems() {
    List<String> p = List.copyOf(problems);
    problems.clear();
    return p;
  }

  /** Whether an image of this session could not be saved and lives in memory only. */
  boolean anyUnsaved() {
    return session.stream().anyMatch(s -> !s.onDisk());
  }

  /** Waits for saves in progress (before a script exits). */
  void flush() {
    try {
      writer.submit(() -> { }).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort
    }
  }

  /**
   * Saves each image and its sidecar; an image that cannot be saved is kept in memory instead and
   * the trouble is told once, until a save succeeds again. Runs on the writer thread.
   */
  private List<Path> save(ImageRequest request, ImageResult result) {
    Path folder = root;
    List<Path> files = new ArrayList<>();
    String trouble = null;
    Path day = folder.resolve(LocalDate.now(clock).toString());
    String slug = AtomicFiles.slug(request.prompt(), 40);
    for (int i = 0; i < result.images().size(); i++) {
      try {
        files.add(saveImage(day, slug, request, result, i));
      } catch (IOException | RuntimeException e) {
        files.add(null);
        trouble = trouble == null ? reason(e) : trouble;
      }
    }
    String sidecarTrouble = null;
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      Path json = null;
      if (file != null) {
        try {
          String base = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
          json = AtomicFiles.writeNew(file.getParent(), base, "json", JSON.writeValueAsBytes(sidecar(request, result, i, files)));
        } catch (IOException | RuntimeException e) {
          sidecarTrouble = sidecarTrouble == null ? reason(e) : sidecarTrouble;
        }
      }
      GeneratedImage image = result.images().get(i);
      Saved saved = new Saved(session.size() + 1, file, json, image.width(), image.height(), image.size(),
          request.prompt(), file == null ? image : null);
      session.add(saved);
      if (file == null && trouble != null && !troubleTold) {
        troubleTold = true;
        problems.add("could not auto-save image " + saved.number() + " under " + folder.toAbsolutePath() + ": " + trouble
            + (inRepl ? ". It is kept in memory: /save " + saved.number() + " path writes it elsewhere, and /config output"
                + " FOLDER saves the next ones there. (Said once until a save works again; /images marks what is not saved.)"
                : ". Only the script's own variables hold it now: save it with image.save(path), or run again with"
                + " IMAGINE_OUTPUT set to a folder with room. (Said once until a save works again.)"));
      }
    }
    if (trouble == null && sidecarTrouble != null && !troubleTold) {
      troubleTold = true;
      problems.add("saved the image but not its .json sidecar under " + folder.toAbsolutePath() + ": " + sidecarTrouble
          + " (the request is also inside the image file: /load reads it)");
    }
    if (trouble == null && sidecarTrouble == null && !files.isEmpty()) {
      troubleTold = false; // a save worked: the next trouble is news again
    }
    return files;
  }

  /** Saves image {@code index} as the next free {@code NNN-slug.ext} of the day folder. */
  private Path saveImage(Path day, String slug, ImageRequest request, ImageResult result, int index) throws IOException {
    Files.createDirectories(day);
    GeneratedImage image = result.images().get(index);
    int number = nextNumber(day);
    while (true) {
      Path target = day.resolve(String.format("%03d-%s.%s", number, slug, image.extension()));
      try {
        return AtomicFiles.write(target, withMetadata(request, result, index));
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof FileAlreadyExistsException)) {
          throw e;
        }
        number++; // another process took the number: take the next one
      }
    }
  }

  /** Why a save failed, without the path the caller names anyway. */
  private static String reason(Exception e) {
    Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
    return cause instanceof IOException io ? AtomicFiles.reason(io) : String.valueOf(cause.getMessage());
  }

  /**
   * {@code /save N path} for an image kept in memory: writes it (never over an existing file) and
   * from then on it is the file, so the memory is freed.
   */
  Path saveKept(Saved kept, Path target) {
    Path written = kept.unsaved().save(target);
    session.set(kept.number() - 1, new Saved(kept.number(), written, null, kept.width(), kept.height(), kept.bytes(),
        kept.prompt(), null));
    return written;
  }

  /** The image's bytes with the request and answer inside (PNG iTXt, JPEG comment, WebP XMP). */
  private static byte[] withMetadata(ImageRequest request, ImageResult result, int index) {
    byte[] bytes = result.images().get(index).bytes();
    try {
      return EmbeddedMetadata.write(bytes, GenerationRecord.embedded(dev.imagine.internal.Version.VERSION, request, result, index));
    } catch (RuntimeException e) {
      return bytes; // the image matters more than its label
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
    Map<String, Object> req = GenerationRecord.request(request);
    Map<String, Object> res = GenerationRecord.response(result, index);
    GeneratedImage image = result.images().get(index);

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
    all.put("files", files.stream().filter(java.util.Objects::nonNull).map(f -> f.getFileName().toString()).toList());
    all.put("request", req);
    all.put("response", res);
    all.put("saved_at", Instant.now(clock).toString());
    return all;
  }

  @Override
  public void close() {
    flush();
    writer.shutdown();
    if (history != null) {
      history.close();
    }
  }
}
