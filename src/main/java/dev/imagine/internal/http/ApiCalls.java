package dev.imagine.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.ConnectionException;
import dev.imagine.ImagineException;
import dev.imagine.internal.files.AtomicFiles;
import dev.imagine.internal.wire.Json;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.multipart.MultipartForm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Calls to the API's other endpoints (files, batches) with the client's base URL, key, headers
 * and timeouts, answered as JSON or streamed to a file. Failures map to the same exceptions as
 * images requests. No retries here: the caller knows which calls are safe to repeat.
 */
public final class ApiCalls {
  /** What a download may hold in memory for a disk slower than the network before it pauses reading. */
  private static final int DOWNLOAD_QUEUE_BYTES = 16 << 20;
  private final ClientConfig config;
  private final Vertx vertx;
  private final LoopClients clients;

  ApiCalls(ImagesTransport.Shared shared) {
    this.config = shared.config();
    this.vertx = shared.vertx();
    this.clients = shared.clients();
  }

  /** {@code path} below the base URL, e.g. {@code batches/batch_abc}; {@code body} null for none. */
  public Future<JsonNode> json(HttpMethod method, String path, Object body) {
    HttpRequest<Buffer> http = request(method, path);
    Future<HttpResponse<Buffer>> sent;
    if (body == null) {
      sent = http.send();
    } else {
      try {
        sent = http.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(Json.MAPPER.writeValueAsBytes(body)));
      } catch (IOException e) {
        return Future.failedFuture(new ImagineException("cannot write the request body: " + e.getMessage()));
      }
    }
    return sent.recover(e -> Future.failedFuture(connectionFailure(path, e))).compose(r -> answer(r, path));
  }

  /** Uploads a file as {@code multipart/form-data} with a {@code purpose} ({@code POST files}). */
  public Future<JsonNode> upload(Path file, String purpose) {
    MultipartForm form = MultipartForm.create().attribute("purpose", purpose)
        .binaryFileUpload("file", file.getFileName().toString(), file.toString(), "application/jsonl");
    return request(HttpMethod.POST, "files").sendMultipartForm(form)
        .recover(e -> Future.failedFuture(connectionFailure("files", e))).compose(r -> answer(r, "files"));
  }

  /**
   * Streams a response body into {@code target} (replaced), e.g. {@code files/file-abc/content}. A
   * file that cannot be written (a full disk, a read-only folder) fails with
   * {@link UncheckedIOException}, not as a connection problem.
   */
  public Future<Void> download(String path, Path target) {
    return vertx.fileSystem().open(target.toString(), new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true))
        .recover(e -> Future.failedFuture(fileFailure(target, e)))
        .compose(file -> {
          // Vert.x pauses the connection while the file is behind, and drops what it had read if the server
          // closes then (as one does right after an answer with Connection: close): let the disk be far behind
          FileSink sink = new FileSink(file.setWriteQueueMaxSize(DOWNLOAD_QUEUE_BYTES));
          return request(HttpMethod.GET, path).as(BodyCodec.pipe(sink)).send()
              .recover(e -> Future.failedFuture(sink.failure != null ? fileFailure(target, sink.failure) : connectionFailure(path, e)))
              .compose(r -> r.statusCode() / 100 == 2 ? Future.<Void>succeededFuture()
                  : Future.failedFuture(new ImagineException("GET " + config.baseUrl() + "/" + path + " answered "
                      + r.statusCode() + " " + r.statusMessage(), r.getHeader("x-request-id"), null)));
        });
  }

  private static UncheckedIOException fileFailure(Path target, Throwable e) {
    Throwable cause = e;
    while (cause != null && !(cause instanceof IOException)) {
      cause = cause.getCause();
    }
    IOException io = cause instanceof IOException found ? found : new IOException(e.getMessage(), e);
    return new UncheckedIOException("cannot write " + target + ": " + AtomicFiles.reason(io), io);
  }

  /** The file a download writes, remembering a failed write (the body codec takes the file's own exception handler). */
  private static final class FileSink implements WriteStream<Buffer> {
    private final AsyncFile file;
    private volatile Throwable failure;

    FileSink(AsyncFile file) {
      this.file = file;
    }

    @Override
    public Future<Void> write(Buffer data) {
      return file.write(data).onFailure(e -> failure = e);
    }

    @Override
    public Future<Void> end() {
      return file.end().onFailure(e -> failure = e);
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      file.exceptionHandler(e -> {
        failure = e;
        if (handler != null) {
          handler.handle(e);
        }
      });
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      file.setWriteQueueMaxSize(maxSize);
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return file.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      file.drainHandler(handler);
      return this;
    }
  }

  private HttpRequest<Buffer> request(HttpMethod method, String path) {
    int q = path.indexOf('?');
    String url = config.provider().url(q < 0 ? path : path.substring(0, q), null);
    if (q >= 0) {
      url += (url.indexOf('?') < 0 ? "?" : "&") + path.substring(q + 1);
    }
    HttpRequest<Buffer> http = clients.here().requestAbs(method, url).timeout(config.requestTimeout().toMillis());
    config.addApiHeaders(http::putHeader);
    return http.putHeader("Accept", "application/json");
  }

  private Future<JsonNode> answer(HttpResponse<Buffer> r, String path) {
    byte[] body = r.body() == null ? new byte[0] : r.body().getBytes();
    String requestId = r.getHeader("x-request-id");
    String url = config.baseUrl() + "/" + path;
    if (r.statusCode() / 100 != 2) {
      return Future.failedFuture(ErrorMapper.toException(r.statusCode(), r.statusMessage(), ErrorMapper.parse(body),
          requestId, url, RetryDecision.serverDelay(r.headers(), Instant.now())));
    }
    try {
      return Future.succeededFuture(Json.MAPPER.readTree(body));
    } catch (IOException e) {
      return Future.failedFuture(new ImagineException("The server answered " + r.statusCode() + " to " + url
          + " but not with JSON; check that the base URL points at an OpenAI-compatible API", requestId, e));
    }
  }

  private ConnectionException connectionFailure(String path, Throwable e) {
    return new ConnectionException("The call to " + config.baseUrl() + "/" + path + " failed: "
        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), true, e);
  }
}
