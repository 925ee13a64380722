package dev.imagine.internal.http;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.AbstractNioChannel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Guards against sending on a keep-alive connection the server has closed while it sat in the
 * pool. A server that closes idle connections (right after an answer, or after its idle timeout)
 * sends a FIN the client may not have read yet when the pool hands the connection out again; a
 * request written then is lost, although the server never read it. So a request on a reused
 * connection is written by {@link #writeIfOpen} in one task on the connection's event loop, right
 * after that task has read what the server sent while the connection was idle: a close already
 * received is seen ({@link ClosedBeforeSending}, safe to send again because nothing was written),
 * and none can slip in between the check and the write however busy the event loops are. A close
 * that arrives after the write is judged by {@link RetryDecision#resendOnNewConnection}, from the
 * time the connection's event loop saw it ({@link #closedAt}).
 */
final class StaleConnections {
  /** Each connection that carried a request, with when its event loop saw it close (0 while open). */
  private final Map<HttpConnection, AtomicLong> closedAt = new WeakHashMap<>();

  /** The pooled connection was found closed before the request was written on it. */
  static final class ClosedBeforeSending extends RuntimeException {
    ClosedBeforeSending() {
      super("the server had closed the pooled connection; nothing was sent on it", null, false, false);
    }
  }

  /**
   * Whether this is the first request on {@code connection} (a new connection needs no check); notes
   * it, whatever the request (an image, {@code GET /models}, a file), so the next one is checked.
   */
  boolean firstUse(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return true;
    }
    AtomicLong closed = new AtomicLong();
    synchronized (closedAt) {
      if (closedAt.putIfAbsent(connection, closed) != null) {
        return false;
      }
    }
    base.channel().closeFuture().addListener(done -> closed.set(System.nanoTime()));
    return true;
  }

  /** When {@code connection}'s event loop saw it close, as {@link System#nanoTime()}; 0 while open or unknown. */
  LongSupplier closedAt(HttpConnection connection) {
    AtomicLong closed;
    synchronized (closedAt) {
      closed = closedAt.get(connection);
    }
    return closed == null ? () -> 0 : closed::get;
  }

  /**
   * On {@code connection}'s event loop: reads what arrived while it was idle, then runs {@code write}
   * (which must write the request in that same call) if it is still open, else {@code closed}.
   */
  void writeIfOpen(HttpConnection connection, Runnable write, Runnable closed) {
    if (!(connection instanceof ConnectionBase base)) {
      write.run();
      return;
    }
    Channel channel = base.channel();
    EventLoop loop = channel.eventLoop();
    if (channel.unsafe() instanceof AbstractNioChannel.NioUnsafe nio) {
      // the NIO transport (Vert.x's unless a native one is on the class path): read the socket now, in this
      // task, as the event loop does when it is readable; an idle connection has at most a close to read
      loop.execute(() -> {
        if (channel.isActive() && channel.config().isAutoRead()) {
          nio.read();
        }
        (channel.isActive() ? write : closed).run();
      });
    } else {
      // another transport: a task scheduled from a scheduled task runs only after the event loop's next
      // select, which reads a close that had already arrived
      loop.schedule(() -> loop.schedule(() -> (channel.isActive() ? write : closed).run(), 0, TimeUnit.NANOSECONDS),
          0, TimeUnit.NANOSECONDS);
    }
  }
}
