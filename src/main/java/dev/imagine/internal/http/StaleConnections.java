package dev.imagine.internal.http;

import io.netty.channel.Channel;
import io.vertx.core.Context;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Guards against sending on a keep-alive connection the server has closed while it sat in the
 * pool. A server that closes idle connections (right after an answer, or after its idle timeout)
 * sends a FIN the client may not have read yet when the pool hands the connection out again; a
 * request written then is lost, although the server never read it. Before a reused connection
 * carries a request, its event loop gets one round of input first (so a close already received is
 * seen); a connection found closed fails with {@link ClosedBeforeSending}, which is safe to send
 * again because nothing was written. A close that arrives later is judged by
 * {@link RetryDecision#resendOnNewConnection}.
 */
final class StaleConnections {
  private final Set<HttpConnection> used = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /** The pooled connection was found closed before the request was written on it. */
  static final class ClosedBeforeSending extends RuntimeException {
    ClosedBeforeSending() {
      super("the server had closed the pooled connection; nothing was sent on it", null, false, false);
    }
  }

  /** Whether this is the first request on {@code connection} (a new connection needs no check). */
  boolean firstUse(HttpConnection connection) {
    return connection == null || used.add(connection);
  }

  /**
   * Calls {@code then} on {@code context} with whether {@code connection} is still open once its
   * event loop has run a round of input: a task scheduled from a scheduled task runs only after the
   * event loop's next select, which reads a FIN that had already arrived.
   */
  void whenChecked(HttpConnection connection, Context context, Consumer<Boolean> then) {
    if (!(connection instanceof ConnectionBase base)) {
      then.accept(true);
      return;
    }
    Channel channel = base.channel();
    channel.eventLoop().schedule(() -> channel.eventLoop().schedule(
        () -> context.runOnContext(v -> then.accept(channel.isActive())), 0, TimeUnit.NANOSECONDS), 0, TimeUnit.NANOSECONDS);
  }
}
