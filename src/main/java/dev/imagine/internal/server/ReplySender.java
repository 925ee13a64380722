package dev.imagine.internal.server;

import dev.imagine.server.Fault;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link Reply}, piece by piece with the pieces' delays, or plays a connection fault on it:
 * close before answering, close halfway through the body, or trickle the body slowly.
 */
final class ReplySender {
  private static final long SLOW_TICK_MS = 100;

  private ReplySender() {}

  private static final String CLOSED_EARLY = "the connection closed before the whole answer was written";

  /** How long after making the image a {@code drop} fault closes the connection. */
  static final long DROP_DELAY_MS = 100;

  /**
   * Sends the reply; {@code plan} may be null or a non-refusing fault.
   *
   * @param extraHeaders headers every answer carries (request id, rate limits), set before the reply's own
   * @return succeeds once the whole body was handed to the socket; fails when it never will be (the
   *     connection closed first, or a fault cut the answer)
   */
  static Future<Void> send(Vertx vertx, HttpServerRequest request, Reply reply, FaultPlan plan,
      java.util.Map<String, String> extraHeaders) {
    HttpServerResponse response = request.response();
    if (response.closed() || response.ended()) {
      return Future.failedFuture("the client went away while the image was being made");
    }
    Fault fault = plan == null ? null : plan.fault();
    if (fault == Fault.DROP_BEFORE_RESPONSE) {
      // A real server drops seconds into making the image; closing at once would look like a stale
      // pooled connection, which the client rightly sends again (it closes within its 30 ms window).
      vertx.setTimer(DROP_DELAY_MS, id -> request.connection().close());
      return Future.failedFuture("dropped before answering");
    }
    response.setStatusCode(reply.status());
    extraHeaders.forEach(response::putHeader);
    reply.headers().forEach(response::putHeader);
    long length = reply.length();
    if (reply.streamed()) {
      response.setChunked(true);
    } else if (!reply.headers().containsKey("content-length")) { // HEAD declares the file's length
      response.putHeader("content-length", String.valueOf(length));
    }
    List<Reply.Piece> pieces = reply.pieces();
    if (fault == Fault.DROP_MID_BODY) {
      pieces = firstBytes(pieces, length / 2);
    } else if (fault == Fault.SLOW_BODY) {
      pieces = trickle(pieces, Math.max(1, plan.bytesPerSecond() * SLOW_TICK_MS / 1000));
    }
    boolean drop = fault == Fault.DROP_MID_BODY;
    if (pieces.isEmpty() || pieces.get(0).delayMs() > 0 || reply.streamed()) {
      response.writeHead(); // headers go out now, like a real stream's
    }
    Promise<Void> delivered = Promise.promise();
    response.closeHandler(v -> delivered.tryFail(CLOSED_EARLY));
    writeFrom(vertx, request, pieces, 0, drop, delivered);
    return delivered.future();
  }

  private static void writeFrom(Vertx vertx, HttpServerRequest request, List<Reply.Piece> pieces, int i,
      boolean dropAtEnd, Promise<Void> delivered) {
    HttpServerResponse response = request.response();
    while (i < pieces.size()) {
      if (response.closed()) {
        delivered.tryFail(CLOSED_EARLY);
        return;
      }
      Reply.Piece piece = pieces.get(i);
      if (piece.delayMs() > 0) {
        int next = i;
        vertx.setTimer(piece.delayMs(), t -> {
          if (!response.closed()) {
            response.write(pieces.get(next).data());
            writeFrom(vertx, request, pieces, next + 1, dropAtEnd, delivered);
          } else {
            delivered.tryFail(CLOSED_EARLY);
          }
        });
        return;
      }
      response.write(piece.data());
      i++;
    }
    if (dropAtEnd) {
      // let the half body reach the socket, then cut the connection without ending the response
      delivered.tryFail("the fault cut the answer halfway");
      vertx.setTimer(20, t -> request.connection().close());
    } else if (!response.closed()) {
      response.end().onComplete(delivered);
    } else {
      delivered.tryFail(CLOSED_EARLY);
    }
  }

  private static List<Reply.Piece> firstBytes(List<Reply.Piece> pieces, long count) {
    List<Reply.Piece> out = new ArrayList<>();
    long left = count;
    for (Reply.Piece p : pieces) {
      if (left <= 0) {
        break;
      }
      Buffer data = p.data();
      int take = (int) Math.min(left, data.length());
      out.add(new Reply.Piece(take == data.length() ? data : data.slice(0, take), p.delayMs()));
      left -= take;
    }
    return out;
  }

  private static List<Reply.Piece> trickle(List<Reply.Piece> pieces, long chunk) {
    List<Reply.Piece> out = new ArrayList<>();
    for (Reply.Piece p : pieces) {
      Buffer data = p.data();
      for (int at = 0; at < data.length(); at += chunk) {
        int end = (int) Math.min(data.length(), at + chunk);
        out.add(new Reply.Piece(data.slice(at, end), at == 0 ? Math.max(p.delayMs(), SLOW_TICK_MS) : SLOW_TICK_MS));
      }
    }
    return out;
  }
}
