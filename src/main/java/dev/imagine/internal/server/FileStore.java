package dev.imagine.internal.server;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The images handed out as {@code url} results, until they expire like the real API's (60 minutes
 * by default). Holds at most {@code capacityBytes}; past that the oldest go early, which a client
 * sees exactly like an expired URL.
 */
final class FileStore {
  /** A stored image file. */
  record StoredFile(byte[] bytes, String mimeType, long expiresAtNanos) {}

  private final Duration expiry;
  private final long capacityBytes;
  private final LongSupplier clock;
  private final LinkedHashMap<String, StoredFile> files = new LinkedHashMap<>();
  private long usedBytes;

  FileStore(Duration expiry, long capacityBytes, LongSupplier nanoClock) {
    this.expiry = expiry;
    this.capacityBytes = capacityBytes;
    this.clock = nanoClock;
  }

  /** Stores an image and returns its file name, e.g. {@code img-3f9a…c1.png}. */
  synchronized String put(byte[] bytes, String format) {
    byte[] random = new byte[12];
    ThreadLocalRandom.current().nextBytes(random);
    String name = "img-" + HexFormat.of().formatHex(random) + "." + format;
    files.put(name, new StoredFile(bytes, "image/" + format, clock.getAsLong() + expiry.toNanos()));
    usedBytes += bytes.length;
    Iterator<StoredFile> oldest = files.values().iterator();
    while (usedBytes > capacityBytes && oldest.hasNext()) {
      usedBytes -= oldest.next().bytes().length;
      oldest.remove();
    }
    return name;
  }

  /** The file, or null when it never existed, expired or was pushed out. */
  synchronized StoredFile get(String name) {
    StoredFile f = files.get(name);
    if (f != null && clock.getAsLong() - f.expiresAtNanos() >= 0) {
      purgeExpired();
      return null;
    }
    return f;
  }

  /** Drops every expired file; files are kept in the order they expire. */
  synchronized void purgeExpired() {
    long now = clock.getAsLong();
    Iterator<Map.Entry<String, StoredFile>> it = files.entrySet().iterator();
    while (it.hasNext()) {
      StoredFile f = it.next().getValue();
      if (now - f.expiresAtNanos() < 0) {
        break;
      }
      usedBytes -= f.bytes().length;
      it.remove();
    }
  }
}
