package dev.imagine.internal.http;

import dev.imagine.ImagesClient;
import java.util.Objects;
import java.util.function.Function;

/**
 * Lets the library's own packages (batches) reach a client's transport without a public method on
 * {@link ImagesClient}: the client registers the accessor when its class loads.
 */
public final class ClientAccess {
  private static volatile Function<ImagesClient, ImagesTransport> access;

  private ClientAccess() {}

  /** Called once, by {@link ImagesClient}. */
  public static void register(Function<ImagesClient, ImagesTransport> accessor) {
    access = Objects.requireNonNull(accessor, "accessor");
  }

  /** The transport of a client (its class is loaded: it exists). */
  public static ImagesTransport transport(ImagesClient client) {
    return access.apply(client);
  }
}
