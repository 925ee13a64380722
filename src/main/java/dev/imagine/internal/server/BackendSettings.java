package dev.imagine.internal.server;

import dev.imagine.server.Fault;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Everything a {@link BackendServer} is configured with; built by {@code LocalBackend.Builder}.
 *
 * @param apiKey the key required as {@code Authorization: Bearer <key>}, or null for none
 * @param latencyMin the shortest delay before an answer; equal to {@code latencyMax} for a fixed delay
 * @param fault the fault played on image requests, or null
 * @param faultTimes how many image requests get {@code fault}; negative for all of them
 * @param vertx the Vert.x to run on, or null to create (and later close) one
 */
public record BackendSettings(
    String host,
    int port,
    String apiKey,
    Duration latencyMin,
    Duration latencyMax,
    Fault fault,
    int faultTimes,
    Duration urlExpiry,
    long maxBodyBytes,
    Vertx vertx) {

  public static final Duration DEFAULT_URL_EXPIRY = Duration.ofMinutes(60);
  public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;

  /** Every setting but the key, of which only whether one is set. */
  @Override
  public String toString() {
    return "BackendSettings[host=" + host + ", port=" + port + ", apiKey=" + (apiKey == null ? "none" : "set")
        + ", latency=" + latencyMin.toMillis() + "-" + latencyMax.toMillis() + "ms, fault=" + fault
        + (fault == null ? "" : " x" + (faultTimes < 0 ? "all" : String.valueOf(faultTimes)))
        + ", urlExpiry=" + urlExpiry + ", maxBodyBytes=" + maxBodyBytes + "]";
  }
}
