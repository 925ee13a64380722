package dev.imagine.internal.server;

import dev.imagine.server.Fault;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fault to play on one request, and its settings, from the {@code x-imagine-fault} header
 * ({@code <fault>[;times=N][;retry-after-ms=N][;rate=N]}) or the server's configuration.
 *
 * @param retryAfterMs what a 429 or 503 asks the client to wait
 * @param bytesPerSecond how fast {@link Fault#SLOW_BODY} sends
 */
record FaultPlan(Fault fault, long retryAfterMs, int bytesPerSecond) {
  static final String HEADER = "x-imagine-fault";
  static final String KEY_HEADER = "x-imagine-fault-key";
  static final long DEFAULT_RETRY_AFTER_MS = 1000;
  static final int DEFAULT_BYTES_PER_SECOND = 64 * 1024;

  static FaultPlan of(Fault fault) {
    return new FaultPlan(fault, DEFAULT_RETRY_AFTER_MS, DEFAULT_BYTES_PER_SECOND);
  }

  /** Counts, per fault key, how many times a {@code times=N} fault has been played. */
  static final class Counter {
    private final Map<String, AtomicInteger> played = new ConcurrentHashMap<>();

    /** Whether a fault limited to {@code times} plays once more under this key (and counts it). */
    boolean take(String key, int times) {
      AtomicInteger n = played.computeIfAbsent(key, k -> new AtomicInteger());
      return n.getAndUpdate(v -> v < times ? v + 1 : v) < times;
    }
  }

  /**
   * The plan a header asks for, or null when the header is absent or a {@code times=N} fault has
   * been played N times under its key (the header {@code x-imagine-fault-key}, else the value itself).
   *
   * @throws ApiFailure for a value that names no fault or has a bad setting
   */
  static FaultPlan fromHeader(String value, String key, Counter counter) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String[] parts = value.split(";");
    Fault fault = Fault.fromHeaderName(parts[0]).orElseThrow(() -> ApiFailure.invalid(null,
        "x-imagine-fault '" + parts[0].strip() + "' names no fault; use a status (429, 500, 502, 503, 403) or one of "
            + String.join(", ", java.util.Arrays.stream(Fault.values()).map(Fault::headerName).toList())));
    int times = -1;
    long retryAfterMs = DEFAULT_RETRY_AFTER_MS;
    int rate = DEFAULT_BYTES_PER_SECOND;
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      String name = kv[0].strip();
      long v;
      try {
        v = kv.length == 2 ? Long.parseLong(kv[1].strip()) : -1;
      } catch (NumberFormatException e) {
        v = -1;
      }
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw ApiFailure.invalid(null, "x-imagine-fault setting '" + parts[i].strip()
            + "' must be name=number with a number of 0 or more");
      }
      switch (name) {
        case "times" -> times = (int) v;
        case "retry-after-ms" -> retryAfterMs = v;
        case "rate" -> rate = (int) Math.max(1, v);
        default -> throw ApiFailure.invalid(null, "x-imagine-fault setting '" + name
            + "' is unknown; use times, retry-after-ms or rate");
      }
    }
    if (times >= 0 && !counter.take(key == null || key.isBlank() ? value.strip() : key, times)) {
      return null;
    }
    return new FaultPlan(fault, retryAfterMs, rate);
  }
}
