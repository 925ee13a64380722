package dev.imagine.internal.http;

import dev.imagine.internal.wire.ImagePayloadExtractor;
import dev.imagine.internal.wire.PayloadOutput;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;
import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Receives an images response body as it arrives, without ever holding it whole: a JSON body goes
 * through an {@link ImagePayloadExtractor}; a server-sent-event body is cut into events, each
 * extracted the same way and handed to {@code onEvent} as soon as it is complete. The images of a
 * JSON body go to the outputs the caller gives; those of events stay in memory.
 */
final class ResponseBodyStream implements BodyStream<ResponseBodyStream> {
  private final Promise<ResponseBodyStream> result = Promise.promise();
  private final Consumer<ImagePayloadExtractor> onEvent;
  private final ImagePayloadExtractor body;
  private byte[] scratch = new byte[0]; // for a buffer not backed by an array
  private Boolean eventStream; // null until the first non-blank byte tells
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private ImagePayloadExtractor event;
  private int events;
  private boolean inData;
  private static final byte[] NEWLINE = {'\n'};

  private ResponseBodyStream(Consumer<ImagePayloadExtractor> onEvent, Supplier<? extends PayloadOutput> outputs) {
    this.onEvent = onEvent;
    this.body = new ImagePayloadExtractor(outputs);
  }

  /**
   * A codec whose result is the stream itself, read once the body has ended; each image of a JSON
   * body goes to an output of its own from {@code outputs}.
   */
  static BodyCodec<ResponseBodyStream> codec(Consumer<ImagePayloadExtractor> onEvent, Supplier<? extends PayloadOutput> outputs) {
    return () -> new ResponseBodyStream(onEvent, outputs);
  }

  /** The JSON (or other) body; empty for an event stream. */
  ImagePayloadExtractor body() {
    return body;
  }

  /** Whether the body was a server-sent-event stream. */
  boolean isEventStream() {
    return Boolean.TRUE.equals(eventStream);
  }

  /** How many events were dispatched. */
  int events() {
    return events;
  }

  @Override
  public Future<Void> write(Buffer data) {
    try {
      ByteBuf wire = data instanceof BufferInternal internal ? internal.unwrap() : null;
      if (wire != null && wire.hasArray()) {
        // Vert.x hands over a heap copy of what it read: read it in place rather than copying it again
        int from = wire.arrayOffset() + wire.readerIndex();
        accept(wire.array(), from, from + wire.readableBytes());
      } else {
        int length = data.length();
        if (scratch.length < length) {
          scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        data.getBytes(0, length, scratch, 0);
        accept(scratch, 0, length);
      }
    } catch (RuntimeException e) {
      result.tryFail(e);
    }
    return Future.succeededFuture();
  }

  private void accept(byte[] data, int from, int to) {
    if (eventStream == null) {
      for (int i = from; i < to && eventStream == null; i++) {
        int c = data[i];
        if (!(c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
          // SSE lines start with a field name ("event:", "data:", "id:", "retry:") or ':' for a comment
          eventStream = c == 'e' || c == 'd' || c == ':' || c == 'i' || c == 'r';
        }
      }
    }
    if (!Boolean.TRUE.equals(eventStream)) {
      body.feed(data, from, to - from);
      return;
    }
    int i = from;
    while (i < to) {
      if (event != null && inData) {
        // inside a data line: stream the JSON straight into the event's extractor, a run at a time
        int newline = indexOf(data, (byte) '\n', i, to);
        int runEnd = newline < 0 ? to : newline;
        event.feed(data, i, runEnd - i);
        if (newline < 0) {
          return;
        }
        i = newline;
      }
      byte c = data[i++];
      if (c == '\n') {
        endLine();
      } else if (c != '\r') {
        line.write(c);
        if (line.size() == 5 && isDataField(line.toByteArray())) {
          inData = true;
          if (event == null) {
            event = new ImagePayloadExtractor();
          }
        }
      }
    }
  }

  private static int indexOf(byte[] data, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isDataField(byte[] b) {
    return b[0] == 'd' && b[1] == 'a' && b[2] == 't' && b[3] == 'a' && b[4] == ':';
  }

  private void endLine() {
    boolean blank = line.size() == 0 && !inData;
    if (inData) {
      event.feed(NEWLINE, 0, 1); // multi-line data joins with a newline, which JSON reads as space
    }
    inData = false;
    line.reset();
    if (blank && event != null) {
      ImagePayloadExtractor done = event;
      event = null;
      events++;
      onEvent.accept(done);
    }
  }

  @Override
  public Future<Void> end() {
    if (Boolean.TRUE.equals(eventStream)) {
      endLine();
      endLine(); // a stream that ends without a blank line still delivers its last event
    }
    result.tryComplete(this);
    return Future.succeededFuture();
  }

  @Override
  public void handle(Throwable failure) {
    result.tryFail(failure);
  }

  @Override
  public Future<ResponseBodyStream> result() {
    return result.future();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    return this;
  }
}
