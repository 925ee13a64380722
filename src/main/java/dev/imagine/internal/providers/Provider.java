package dev.imagine.internal.providers;

import java.net.URI;
import java.util.function.BiConsumer;

/**
 * How requests reach one kind of server: the URL of each API path and the credentials. The
 * transport asks its provider and never tests which one it has; adding a provider is a new class
 * and a rule in {@link Providers#resolve}.
 */
public interface Provider {
  /** Where requests go, shown to users and used for same-origin checks, e.g. {@code https://api.openai.com/v1}. */
  String baseUrl();

  /**
   * The absolute URL of an API path such as {@code images/generations} for {@code model} (which
   * Azure puts in the path as its deployment); {@code model} is {@code null} for paths of no model,
   * such as {@code models}.
   */
  String url(String path, String model);

  /** Puts the credentials on a request through {@code header}; nothing when there is no key. */
  void authenticate(BiConsumer<String, String> header);

  /** Whether a key is set (the key itself is never shown). */
  boolean hasKey();

  /** Whether this server needs a key (the local backend on loopback does not). */
  boolean needsKey();

  /** What a user sets to give the key, for messages, e.g. {@code OPENAI_API_KEY (or -Dopenai.apiKey)}. */
  String keySetting();

  /** Whether a download from {@code url} may carry the credentials: only the API's own origin may. */
  default boolean mayAuthenticate(String url) {
    return sameOrigin(url, baseUrl());
  }

  /** One line for {@code toString()}: never the key. */
  String describe();

  static boolean sameOrigin(String a, String b) {
    try {
      URI x = URI.create(a);
      URI y = URI.create(b);
      return x.getScheme().equalsIgnoreCase(y.getScheme()) && x.getHost().equalsIgnoreCase(y.getHost())
          && x.getPort() == y.getPort();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Whether the host is this machine. */
  static boolean isLoopbackHost(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
  }
}
