package dev.imagine.internal.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagine.internal.wire.ApiError;
import dev.imagine.internal.wire.Json;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An answer ready to send: status, headers and a body in pieces, each with a delay before it (a
 * stream's events come one by one). Big pieces wrap their byte arrays without copying.
 *
 * @param streamed send chunked (server-sent events) rather than with a {@code content-length}
 */
record Reply(int status, Map<String, String> headers, List<Piece> pieces, boolean streamed) {
  private static final ObjectMapper ERRORS = Json.MAPPER.copy()
      .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.ALWAYS, JsonInclude.Include.ALWAYS));

  /** A piece of the body and how long to wait before sending it. */
  record Piece(Buffer data, long delayMs) {
    /** The size, never the bytes (they are base64 images). */
    @Override
    public String toString() {
      return "Piece[" + data.length() + " bytes after " + delayMs + " ms]";
    }
  }

  /** Header names only (values may be secrets) and the body's size (it is base64 images). */
  @Override
  public String toString() {
    return "Reply[" + status + ", headers=" + headers.keySet() + ", " + pieces.size() + " pieces of "
        + pieces.stream().mapToLong(p -> p.data().length()).sum() + " bytes" + (streamed ? ", streamed" : "") + "]";
  }

  static Reply of(int status, String contentType, Buffer body) {
    Reply reply = empty(status, contentType, false);
    reply.pieces().add(new Piece(body, 0));
    return reply;
  }

  /** A reply whose body pieces the caller adds. */
  static Reply empty(int status, String contentType, boolean streamed) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", contentType);
    return new Reply(status, headers, new ArrayList<>(), streamed);
  }

  static Reply json(int status, Object body) {
    try {
      return of(status, "application/json", wrap(Json.MAPPER.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + body.getClass().getSimpleName(), e);
    }
  }

  /** Errors always carry all four keys, {@code "param": null} and {@code "code": null} included, like OpenAI's. */
  static Reply error(int status, ApiError error) {
    try {
      return of(status, "application/json", wrap(ERRORS.writeValueAsBytes(new ApiError.Envelope(error))));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an error", e);
    }
  }

  static Reply error(ApiFailure failure) {
    return error(failure.status, failure.error);
  }

  static Reply html(int status, String html) {
    return of(status, "text/html; charset=utf-8", Buffer.buffer(html.getBytes(StandardCharsets.UTF_8)));
  }

  Reply header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  long length() {
    long n = 0;
    for (Piece p : pieces) {
      n += p.data().length();
    }
    return n;
  }

  /** A Buffer over the array itself: a 3 MB base64 payload is not copied on its way to the socket. */
  static Buffer wrap(byte[] bytes) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
  }
}
