package dev.imagine.internal.http;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A client's Vert.x Web clients, a pair for each event loop, so that a call and the connection it
 * is answered on are on the same event loop.
 *
 * <p>Why: Vert.x hands an answer from its connection's event loop to the call's context through
 * a queue, and pauses reading the connection while that context is behind. A close that arrives
 * then (a server closing right after an answer, as one sending {@code Connection: close} does, or
 * one closing its surplus idle connections) drops the part of the answer already read but not yet
 * handed on, and the call fails with "Connection was closed" though the whole answer had arrived.
 * Connections are opened on the event loop of the call that needs them; with a pool of its own
 * per event loop, a connection is only ever reused by calls on that event loop, so nothing is
 * queued and nothing pauses. It also saves a thread hop per piece of every answer.
 *
 * <p>Each pair: one client keeping connections alive, one opening a new connection per request
 * (to send again a request that met a connection the server had closed).
 */
final class LoopClients {
  private record Pair(WebClient pooled, WebClient fresh) {}

  private final Vertx vertx;
  private final Function<Boolean, WebClient> create;
  private final Map<EventLoop, Pair> byLoop = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** @param create makes a Web client, keeping connections alive when given true */
  LoopClients(Vertx vertx, Function<Boolean, WebClient> create) {
    this.vertx = vertx;
    this.create = create;
  }

  /** The pooling client for calls on {@code context}. */
  WebClient pooled(Context context) {
    return pair(context).pooled();
  }

  /** The client opening a new connection per request, for calls on {@code context}. */
  WebClient fresh(Context context) {
    return pair(context).fresh();
  }

  /**
   * The pooling client for a request sent from this thread: the Web client sends on this thread's
   * context ({@link Vertx#getOrCreateContext()}), so its answer comes on that event loop.
   */
  WebClient here() {
    return pooled(vertx.getOrCreateContext());
  }

  private Pair pair(Context context) {
    Pair pair = byLoop.computeIfAbsent(((ContextInternal) context).nettyEventLoop(),
        loop -> new Pair(create.apply(true), create.apply(false)));
    if (closed) {
      close(); // one made while closing: its requests fail as closed, and it holds nothing open
    }
    return pair;
  }

  /** Closes every client made, and any made later. */
  void close() {
    closed = true;
    byLoop.values().forEach(pair -> {
      pair.pooled().close();
      pair.fresh().close();
    });
  }
}
