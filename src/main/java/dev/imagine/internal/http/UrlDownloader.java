package dev.imagine.internal.http;

import dev.imagine.ImagineException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.codec.BodyCodec;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fetches {@code url} results at once (they expire after about an hour), with a few retries. The
 * key goes only to the API's own origin, never to another host (OpenAI's URLs are on a CDN).
 */
final class UrlDownloader {
  private static final int ATTEMPTS = 3;

  private final Vertx vertx;
  private final LoopClients clients;
  private final ClientConfig config;

  UrlDownloader(Vertx vertx, LoopClients clients, ClientConfig config) {
    this.vertx = vertx;
    this.clients = clients;
    this.config = config;
  }

  /** The bytes at {@code url}; fails when every attempt failed. */
  Future<byte[]> download(String url) {
    return attempt(url, 0);
  }

  private Future<byte[]> attempt(String url, int attempt) {
    HttpRequest<Buffer> get = clients.here().getAbs(url).as(BodyCodec.buffer()).timeout(config.requestTimeout().toMillis());
    if (config.provider().mayAuthenticate(url)) {
      config.provider().authenticate(get::putHeader);
    }
    return get.send().compose(r -> r.statusCode() == 200 && r.body() != null
        ? Future.succeededFuture(r.body().getBytes())
        : Future.<byte[]>failedFuture(new ImagineException("GET " + url + " answered " + r.statusCode())))
        .recover(e -> attempt + 1 < ATTEMPTS
            ? Future.<Void>future(p -> vertx.setTimer(
                RetryDecision.backoff(attempt, ThreadLocalRandom.current().nextDouble()).toMillis(), id -> p.complete()))
                .compose(v -> attempt(url, attempt + 1))
            : Future.failedFuture(e));
  }
}
