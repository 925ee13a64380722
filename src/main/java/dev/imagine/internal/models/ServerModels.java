package dev.imagine.internal.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.internal.wire.Json;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The model a client uses when a request sets none: the best live model the server's
 * {@code GET {base}/models} lists, asked once per client (lazily, on the first such request) with
 * a short timeout of its own. A server with no list, an error, or a list without a model the
 * catalogue prefers gets {@link ModelCatalog#FALLBACK_MODEL}. The answer is kept for the client's life.
 */
public final class ServerModels {
  /** Long enough for a slow gateway, short enough that a server without a list does not hold up a generation. */
  public static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final Supplier<WebClient> web;
  private final String url;
  private final Consumer<HttpRequest<Buffer>> authenticate;
  private final boolean ask;
  private final AtomicReference<Future<String>> defaultModel = new AtomicReference<>();

  /**
   * @param modelsUrl where the model list is, e.g. {@code https://api.openai.com/v1/models}
   * @param authenticate adds the client's credentials and headers to the GET
   * @param ask false when asking is pointless (no key for a remote server): the fallback is used
   */
  public ServerModels(Vertx vertx, Supplier<WebClient> web, String modelsUrl, Consumer<HttpRequest<Buffer>> authenticate, boolean ask) {
    this.vertx = vertx;
    this.web = web;
    this.url = modelsUrl;
    this.authenticate = authenticate;
    this.ask = ask;
  }

  /** The default model; the first call asks the server, later ones share its answer. Never fails. */
  public Future<String> defaultModel() {
    Future<String> known = defaultModel.get();
    if (known != null) {
      return known;
    }
    Promise<String> promise = Promise.promise();
    if (!defaultModel.compareAndSet(null, promise.future())) {
      return defaultModel.get();
    }
    if (!ask) {
      promise.complete(ModelCatalog.FALLBACK_MODEL);
      return promise.future();
    }
    long timer = vertx.setTimer(TIMEOUT.toMillis(), id -> promise.tryComplete(ModelCatalog.FALLBACK_MODEL));
    HttpRequest<Buffer> get = web.get().getAbs(url).putHeader("Accept", "application/json");
    authenticate.accept(get);
    get.send().onComplete(ar -> {
      vertx.cancelTimer(timer);
      promise.tryComplete(ar.succeeded() ? choose(ar.result(), ModelCatalog.today()) : ModelCatalog.FALLBACK_MODEL);
    });
    return promise.future();
  }

  /** The default model if the server was already asked. */
  public Optional<String> known() {
    Future<String> f = defaultModel.get();
    return f != null && f.succeeded() ? Optional.of(f.result()) : Optional.empty();
  }

  /** The best live model of a {@code /models} answer, or the fallback for anything else. */
  static String choose(HttpResponse<Buffer> response, LocalDate today) {
    if (response.statusCode() != 200 || response.body() == null) {
      return ModelCatalog.FALLBACK_MODEL;
    }
    return choose(response.body().getBytes(), today);
  }

  static String choose(byte[] body, LocalDate today) {
    JsonNode data;
    try {
      data = Json.MAPPER.readTree(body).path("data");
    } catch (Exception notJson) {
      return ModelCatalog.FALLBACK_MODEL;
    }
    List<String> listed = new ArrayList<>();
    List<String> shutDown = new ArrayList<>();
    for (JsonNode model : data) {
      String id = model.path("id").asText(null);
      if (id == null) {
        continue;
      }
      listed.add(id);
      String date = model.path("shutdown_date").asText(null);
      if (date != null && isPast(date, today)) {
        shutDown.add(id);
      }
    }
    return ModelCatalog.preferred(listed, shutDown, today);
  }

  private static boolean isPast(String date, LocalDate today) {
    try {
      return !today.isBefore(LocalDate.parse(date));
    } catch (RuntimeException notADate) {
      return false;
    }
  }
}
