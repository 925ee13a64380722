package dev.imagine.internal.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagine.internal.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch's record in its output folder: one JSON object a line, appended with one
 * {@code write} per event, so a kill at any point leaves every earlier event whole. A torn last
 * line (the kill hit the write itself) is dropped when the journal is opened again. The file is
 * locked while a run has it open, so two runs can never send the same items.
 */
public final class Journal implements AutoCloseable {
  public static final String FILE_NAME = "imagine-batch.jsonl";

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final List<JsonNode> events;

  private Journal(Path file, FileChannel channel, FileLock lock, List<JsonNode> events) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.events = events;
  }

  /** The journal's path inside an output folder. */
  public static Path in(Path dir) {
    return dir.resolve(FILE_NAME);
  }

  /**
   * Opens (creating the folder and file if needed) and locks the journal of {@code dir}, reading
   * the events already in it.
   *
   * @throws IllegalStateException when another run holds it
   * @throws UncheckedIOException when it cannot be read or a line in the middle is not JSON
   */
  public static Journal open(Path dir) {
    Path file = in(dir);
    try {
      Files.createDirectories(dir);
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new IllegalStateException("another imagine batch is running on " + dir
            + " (its journal " + FILE_NAME + " is locked); wait for it to finish or stop it first");
      }
      List<JsonNode> events = new ArrayList<>();
      long keep = read(file, channel, events);
      if (keep < channel.size()) {
        channel.truncate(keep); // a torn last line: the next event must start on a fresh line
      }
      channel.position(keep);
      return new Journal(file, channel, lock, events);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the batch journal " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether a run holds the journal of {@code dir} now (in this JVM or another); false when there is none. */
  public static boolean inUse(Path dir) {
    Path file = in(dir);
    if (!Files.exists(file)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock probe = channel.tryLock();
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false; // cannot even open it for writing: no run can be writing it either
    }
  }

  /**
   * Reads the events of a journal without locking it (for {@code --status} while a run goes on).
   * Returns an empty list when there is none.
   */
  public static List<JsonNode> readOnly(Path dir) {
    Path file = in(dir);
    if (!Files.exists(file)) {
      return List.of();
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      List<JsonNode> events = new ArrayList<>();
      read(file, channel, events);
      return events;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the batch journal " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads whole lines into {@code events}; returns the length of the file up to the last whole line. */
  private static long read(Path file, FileChannel channel, List<JsonNode> events) throws IOException {
    byte[] all = new byte[(int) channel.size()];
    ByteBuffer buffer = ByteBuffer.wrap(all);
    channel.position(0);
    while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
      // read it all
    }
    int start = 0;
    int lineNumber = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] != '\n') {
        continue;
      }
      lineNumber++;
      String line = new String(all, start, i - start, StandardCharsets.UTF_8).strip();
      start = i + 1;
      if (line.isEmpty()) {
        continue;
      }
      try {
        events.add(Json.MAPPER.readTree(line));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IOException("line " + lineNumber + " of " + file + " is not JSON (was the journal edited?); "
            + "move it away to start the batch over: " + e.getOriginalMessage(), e);
      }
    }
    return start; // bytes after the last newline are a torn event
  }

  /** The events read when the journal was opened. */
  public List<JsonNode> events() {
    return events;
  }

  /** A new event object with its type and time; fill it and {@link #append} it. */
  public static ObjectNode event(String type) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("event", type);
    e.put("at", Instant.now().toString());
    return e;
  }

  /** Appends one event as one line, written with a single call so a kill never splits two events. */
  public synchronized void append(ObjectNode event) {
    long start = -1;
    try {
      byte[] line = (Json.MAPPER.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
      ByteBuffer buffer = ByteBuffer.wrap(line);
      start = channel.position();
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      cutBackTo(start); // a full disk may take half a line: the next event must not follow a torn one
      throw new UncheckedIOException("cannot write to the batch journal " + file + ": " + e.getMessage()
          + "; stop and free some disk space, then run the same command again", e);
    }
  }

  private void cutBackTo(long position) {
    if (position < 0) {
      return;
    }
    try {
      channel.truncate(position);
      channel.position(position);
    } catch (IOException ignored) {
      // the torn line is then the last one, dropped when the journal is opened again
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } catch (IOException ignored) {
      // closing a journal whose events are all written
    }
  }
}
