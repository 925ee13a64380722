package dev.imagine.internal.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagine.GeneratedImage;
import dev.imagine.ImageRequest;
import dev.imagine.batch.BatchReport;
import dev.imagine.batch.ItemOutcome;
import dev.imagine.batch.ItemOutcome.Status;
import dev.imagine.internal.files.AtomicFiles;
import dev.imagine.internal.http.ImageDestination;
import dev.imagine.internal.images.ImageBacking;
import dev.imagine.internal.images.StreamedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * A batch's output folder: its journal, where each item stands, and its image files. Both
 * runners (direct and provider batch) record through here, so the journal has one vocabulary.
 */
public final class BatchFolder implements AutoCloseable {
  private static final int SLUG_LENGTH = 40;
  /** How the hidden files images stream into while their answers arrive begin: {@code .imagine-streaming-0007-…part}. */
  static final String STREAMING_PREFIX = "imagine-streaming-";

  final Path out;
  final List<ImageRequest> requests;
  final Journal journal;
  final JournalState state;
  private final int digits;

  private BatchFolder(Path out, List<ImageRequest> requests, Journal journal) {
    this.out = out;
    this.requests = requests;
    this.journal = journal;
    this.state = JournalState.replay(journal.events());
    this.digits = Math.max(4, String.valueOf(requests.size()).length());
  }

  /**
   * Opens the folder's journal, checks that it was written for these same requests, and records
   * the items it does not know yet.
   *
   * @throws IllegalArgumentException when an item differs from the one the journal recorded
   */
  static BatchFolder open(Path out, List<ImageRequest> requests, String mode) {
    Journal journal = Journal.open(out);
    BatchFolder folder;
    try {
      folder = new BatchFolder(out, requests, journal);
      folder.checkSameRequests();
      folder.deleteStreamingLeftovers();
    } catch (RuntimeException e) {
      journal.close();
      throw e;
    }
    ObjectNode run = Journal.event("run");
    run.put("mode", mode);
    run.put("items", requests.size());
    folder.record(run);
    for (int i = 1; i <= requests.size(); i++) {
      if (folder.state.items.get(i) == null || folder.state.items.get(i).key == null) {
        ObjectNode item = itemEvent("item", i);
        item.put("key", RequestJson.fingerprint(requests.get(i - 1)));
        item.put("prompt", requests.get(i - 1).prompt());
        folder.record(item);
      }
    }
    return folder;
  }

  private void checkSameRequests() {
    for (JournalState.Entry e : state.items.values()) {
      if (e.key == null) {
        continue;
      }
      if (e.item > requests.size()) {
        throw new IllegalArgumentException(out + " holds a batch of at least " + e.item + " items, but this one has "
            + requests.size() + ": use a new --out folder for a different batch");
      }
      String now = RequestJson.fingerprint(requests.get(e.item - 1));
      if (!now.equals(e.key)) {
        throw new IllegalArgumentException("item " + e.item + " is not the request " + out + " was started with (it was \""
            + RequestJson.shortPrompt(e.prompt, 60) + "\" with its options, now \""
            + RequestJson.shortPrompt(requests.get(e.item - 1).prompt(), 60)
            + "\"); the prompts or options changed. Use a new --out folder for a different batch, or restore the old one");
      }
    }
  }

  /**
   * Deletes the files a killed run was streaming images into (their answers never completed, so
   * they are halves); safe, as the journal's lock keeps any other run out of this folder.
   */
  private void deleteStreamingLeftovers() {
    try (Stream<Path> files = Files.list(out)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith("." + STREAMING_PREFIX) && name.endsWith(".part")) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      // a folder that cannot be listed or changed: the save of the first image says so
    }
  }

  /**
   * Where an item's images go as they decode: each to a hidden file in the folder (the same file
   * system as its final name, so {@link #save} only has to give it that name), written on {@code writes}.
   */
  ImageDestination destinationFor(int item, Executor writes) {
    return ImageDestination.files(out, STREAMING_PREFIX + String.format(Locale.ROOT, "%0" + digits + "d-", item), writes);
  }

  /** Deletes the file an image was streamed to unless it was moved into place (a rescued or unsaved image). */
  static void release(GeneratedImage image) {
    if (ImageBacking.bytesOf(image) instanceof StreamedFile streamed) {
      streamed.release();
    }
  }

  /**
   * Settles the items a stopped run left sent with no outcome (outside a provider batch): saved if
   * their files are all there, else of unknown outcome, since the server may have made them.
   */
  void settleInterrupted() {
    for (int i = 1; i <= requests.size(); i++) {
      JournalState.Entry e = state.items.get(i);
      if (e == null || !e.sentWithoutOutcome || e.batchId != null) {
        continue;
      }
      List<Path> found = filesOf(i);
      if (!found.isEmpty() && found.size() >= requests.get(i - 1).n()) {
        saved(i, found, null, null, "found on disk after an interrupted run");
      } else {
        unknown(i, "the run stopped after sending this request and before its answer was saved; the server may have "
            + "made and billed it", null);
      }
    }
  }

  /** The items this run should send, in order. */
  List<Integer> toSend(boolean retryUnknown) {
    List<Integer> todo = new ArrayList<>();
    for (int i = 1; i <= requests.size(); i++) {
      JournalState.Entry e = state.items.get(i);
      Status s = e == null ? null : e.status;
      if (e != null && e.batchId != null) {
        continue; // in a provider batch: its results come from there
      }
      if (s == null || s == Status.FAILED || (s == Status.UNKNOWN && retryUnknown)) {
        todo.add(i);
      }
    }
    return todo;
  }

  /**
   * Saves an item's images atomically under names from its number and prompt, never replacing a
   * file: an image streamed to a file here is given its name, any other is written. An image that
   * cannot be saved stops the item (the caller records why).
   */
  List<Path> save(int item, List<GeneratedImage> images) {
    return save(item, images, out);
  }

  /**
   * Where images that arrived but could not be saved in the folder (a full disk, a folder made
   * read-only) are kept until a later run moves them in: a folder of the system's temporary
   * directory, named after this batch folder, so usually on another disk.
   */
  Path rescueDir() {
    String key = java.util.UUID.nameUUIDFromBytes(out.toAbsolutePath().normalize().toString()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    return Path.of(System.getProperty("java.io.tmpdir"), "imagine-batch-rescue", key);
  }

  /** Keeps an item's images in {@link #rescueDir()}, under the names they would have had in the folder. */
  List<Path> rescue(int item, List<GeneratedImage> images) {
    return save(item, images, rescueDir());
  }

  /**
   * Moves into the folder the images an earlier run kept in {@link #rescueDir()} for items not
   * saved yet, recording them as saved: they were paid for once and are not sent again.
   *
   * @return how many items were completed so
   */
  int recoverRescued() {
    Path dir = rescueDir();
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int recovered = 0;
    for (int i = 1; i <= requests.size(); i++) {
      JournalState.Entry e = state.items.get(i);
      List<Path> kept = filesOf(i, dir);
      if (kept.isEmpty() || (e != null && e.status == Status.SAVED)) {
        continue;
      }
      List<Path> moved = new ArrayList<>();
      for (Path k : kept) {
        Path target = out.resolve(k.getFileName());
        try {
          if (!Files.exists(target)) {
            AtomicFiles.write(target, Files.readAllBytes(k));
          }
        } catch (IOException io) {
          throw new UncheckedIOException("cannot read the kept image " + k + ": " + AtomicFiles.reason(io), io);
        }
        moved.add(target);
      }
      saved(i, moved, null, null, "moved in from " + dir + ", where an earlier run kept it when the folder could not take it");
      for (Path k : kept) {
        deleteQuietly(k);
      }
      recovered++;
    }
    deleteQuietly(dir);
    return recovered;
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException notEmpty) {
      // a rescue folder that still holds another item's image stays
    }
  }

  private List<Path> save(int item, List<GeneratedImage> images, Path dir) {
    List<Path> saved = new ArrayList<>();
    String base = String.format(Locale.ROOT, "%0" + digits + "d-%s", item,
        AtomicFiles.slug(requests.get(item - 1).prompt(), SLUG_LENGTH));
    for (GeneratedImage image : images) {
      for (int k = saved.size() + 1; ; k++) {
        Path file = dir.resolve((k == 1 ? base : base + "-" + k) + "." + image.extension());
        try {
          saved.add(streamedHere(image, dir) ? moveInto(image, file) : image.save(file));
          break;
        } catch (UncheckedIOException e) {
          if (!(e.getCause() instanceof FileAlreadyExistsException)) {
            throw e;
          }
        }
      }
    }
    return saved;
  }

  /** Whether the image is whole in a file it was streamed to in {@code dir}, so that naming it saves it. */
  private boolean streamedHere(GeneratedImage image, Path dir) {
    return dir.equals(out) && ImageBacking.bytesOf(image) instanceof StreamedFile streamed && streamed.wholeInTemporaryFile();
  }

  private static Path moveInto(GeneratedImage image, Path file) {
    try {
      ((StreamedFile) ImageBacking.bytesOf(image)).moveTo(file);
      return file;
    } catch (IOException e) {
      throw AtomicFiles.notSaved(file, e);
    }
  }

  /** The image files on disk that belong to an item (by the number their names start with). */
  List<Path> filesOf(int item) {
    return filesOf(item, out);
  }

  private List<Path> filesOf(int item, Path dir) {
    String prefix = String.format(Locale.ROOT, "%0" + digits + "d-", item);
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> {
        String name = p.getFileName().toString();
        return name.startsWith(prefix) && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".webp"));
      }).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  // ------------------------------------------------------------ events

  void sent(int item) {
    record(itemEvent("sent", item));
  }

  void saved(int item, List<Path> files, String requestId, BigDecimal cost, String note) {
    ObjectNode e = itemEvent("saved", item);
    files.forEach(f -> e.withArray("files").add(f.getFileName().toString())); // files live right in the folder
    putIfSet(e, "request_id", requestId);
    putIfSet(e, "cost", cost == null ? null : cost.toPlainString());
    putIfSet(e, "note", note);
    record(e);
  }

  void failed(int item, boolean retry, String message, String requestId) {
    ObjectNode e = itemEvent("failed", item);
    e.put("retry", retry);
    e.put("message", message);
    putIfSet(e, "request_id", requestId);
    record(e);
  }

  void unknown(int item, String message, String requestId) {
    ObjectNode e = itemEvent("unknown", item);
    e.put("message", message);
    putIfSet(e, "request_id", requestId);
    record(e);
  }

  private static void putIfSet(ObjectNode e, String name, String value) {
    if (value != null) {
      e.put(name, value);
    }
  }

  /** Appends an event and applies it to the state, so memory and disk never disagree. */
  synchronized void record(ObjectNode event) {
    journal.append(event);
    state.apply(event);
  }

  private static ObjectNode itemEvent(String type, int item) {
    ObjectNode e = Journal.event(type);
    e.put("item", item);
    return e;
  }

  // ------------------------------------------------------------ report

  /** Every item's outcome; items still to send count as not sent. */
  synchronized BatchReport report(Duration elapsed, Optional<BigDecimal> cost, String stopReason) {
    return report(state, out, requests.size(), elapsed, cost, stopReason);
  }

  /**
   * Where a batch stands from its journal alone, without the requests (for {@code --status});
   * empty when the folder has no journal.
   */
  public static Optional<BatchReport> status(Path out) {
    List<com.fasterxml.jackson.databind.JsonNode> events = Journal.readOnly(out);
    int total = 0;
    for (com.fasterxml.jackson.databind.JsonNode e : events) {
      if (e.path("event").asText().equals("run")) {
        total = e.path("items").asInt(total);
      }
    }
    if (events.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(report(JournalState.replay(events), out, total, Duration.ZERO, Optional.empty(), null));
  }

  /**
   * What the journal of {@code out} says of its provider batches not yet collected, one line
   * each with their last seen status and counts, and whether a run is attached to collect them;
   * empty when there is none.
   */
  public static List<String> openProviderBatches(Path out) {
    JournalState state = JournalState.replay(Journal.readOnly(out));
    List<String> open = new ArrayList<>();
    state.batches.values().stream().filter(b -> !b.finished()).forEach(b ->
        open.add(b.id() + " (last seen: " + state.batchStatus.getOrDefault(b.id(), "created") + ")"));
    if (open.isEmpty()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    String which = open.size() == 1 ? "the provider's batch " + open.get(0) + " goes on"
        : "the provider's batches " + String.join(", ", open) + " go on";
    if (Journal.inUse(out)) {
      lines.add(which + "; a run is attached and saves the images when it ends");
    } else {
      lines.add(which + " at the provider, but no run here is waiting for " + (open.size() == 1 ? "it" : "them")
          + " (the last one stopped)");
      lines.add("to collect the images: run the same imagine batch command again (its prompts file, --out " + out
          + " --via batch-api): it re-attaches, never creating a second batch; to stop: imagine batch --cancel " + out);
    }
    return lines;
  }

  private static BatchReport report(JournalState state, Path out, int total, Duration elapsed,
      Optional<BigDecimal> cost, String stopReason) {
    List<ItemOutcome> outcomes = new ArrayList<>();
    for (int i = 1; i <= total; i++) {
      JournalState.Entry e = state.items.get(i);
      Status s = e == null || e.status == null ? Status.NOT_SENT : e.status;
      if (e != null && e.sentWithoutOutcome) {
        s = Status.UNKNOWN;
      }
      String message = e == null || s == Status.SAVED ? null : e.message;
      if (e != null && e.batchId != null) {
        message = "in provider batch " + e.batchId + ", still being worked on";
      }
      List<Path> files = e == null || s != Status.SAVED ? List.of() : e.files.stream().map(out::resolve).toList();
      outcomes.add(new ItemOutcome(i, e == null ? null : e.prompt, s, files, message, e == null ? null : e.requestId));
    }
    return new BatchReport(outcomes, out, elapsed, cost, stopReason);
  }

  int count(Status status) {
    int n = 0;
    for (JournalState.Entry e : state.items.values()) {
      if (e.status == status && !e.sentWithoutOutcome) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void close() {
    journal.close();
  }
}
