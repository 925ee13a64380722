package dev.imagine.internal.http;

import dev.imagine.PriceTable;
import dev.imagine.internal.providers.Provider;
import dev.imagine.internal.providers.Providers;
import dev.imagine.internal.Version;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/** The resolved settings of a client: builder values, then system properties, then environment. */
public record ClientConfig(
    Provider provider,
    Vertx vertx,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRetries,
    boolean retryUnsafe,
    boolean downloadUrls,
    String userAgent,
    Map<String, String> headers,
    URI proxy,
    PriceTable prices) {

  /** Puts the provider's credentials and the client's own headers on a request to the API. */
  public void addApiHeaders(java.util.function.BiConsumer<String, String> header) {
    provider().authenticate(header);
    headers().forEach(header);
  }

  public static final String DEFAULT_BASE_URL = "https://api.chatanywhere.tech/v1";

  public static ClientConfig resolve(Providers.Settings where, Vertx vertx, Duration connectTimeout,
      Duration requestTimeout, int maxRetries, boolean retryUnsafe, boolean downloadUrls, String userAgent,
      Map<String, String> headers, String proxy, PriceTable prices, Properties props, Map<String, String> env) {
    Provider provider = Providers.resolve(where, props, env, DEFAULT_BASE_URL, ClientConfig::checkBaseUrl);
    provider.authenticate((name, value) -> {
      if (Headers.hasControlChar(value)) {
        throw new IllegalArgumentException("the API key contains a line break or control character; copy it again without them");
      }
    });
    return new ClientConfig(provider, vertx, connectTimeout, requestTimeout,
        maxRetries, retryUnsafe, downloadUrls, userAgent == null ? "imagine/" + Version.VERSION : userAgent, Map.copyOf(headers),
        proxyFor(provider.baseUrl(), proxy, env), prices);
  }

  /** Where requests go, e.g. {@code https://api.chatanywhere.tech/v1}. */
  public String baseUrl() {
    return provider.baseUrl();
  }

  /**
   * The HTTP proxy for the base URL: the builder's, else {@code HTTPS_PROXY}/{@code HTTP_PROXY}
   * (either case) by scheme, unless {@code NO_PROXY} names the host or the host is this machine.
   */
  static URI proxyFor(String baseUrl, String explicit, Map<String, String> env) {
    URI base = URI.create(baseUrl);
    String host = base.getHost().toLowerCase(java.util.Locale.ROOT);
    String chosen = explicit;
    if (chosen == null) {
      boolean https = base.getScheme().equalsIgnoreCase("https");
      chosen = https ? Providers.firstNonBlank(env.get("HTTPS_PROXY"), env.get("https_proxy"))
          : Providers.firstNonBlank(env.get("HTTP_PROXY"), env.get("http_proxy"));
      String noProxy = Providers.firstNonBlank(env.get("NO_PROXY"), env.get("no_proxy"));
      if (chosen == null || Provider.isLoopbackHost(host) || matchesNoProxy(host, noProxy)) {
        return null;
      }
    }
    String withScheme = chosen.contains("://") ? chosen : "http://" + chosen;
    URI proxy = URI.create(withScheme.strip());
    if (proxy.getHost() == null || proxy.getPort() <= 0) {
      throw new IllegalArgumentException("proxy '" + proxy.getHost() + "' needs a host and a port, e.g. http://proxy.example:3128");
    }
    return proxy;
  }

  private static boolean matchesNoProxy(String host, String noProxy) {
    if (noProxy == null) {
      return false;
    }
    for (String entry : noProxy.split(",")) {
      String e = entry.strip().toLowerCase(java.util.Locale.ROOT).replaceFirst("^\\*?\\.", "");
      if (e.equals("*") || (!e.isEmpty() && (host.equals(e) || host.endsWith("." + e)))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Checks that the URL is absolute http(s) without credentials and drops a trailing slash; the
   * message names the problem, never a password the URL held.
   */
  public static String checkBaseUrl(String url) {
    if (url == null) {
      return null;
    }
    String trimmed = url.strip();
    String shown = trimmed.replaceFirst("//[^/?#]*@", "//***@");
    URI uri;
    try {
      uri = URI.create(trimmed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("base URL '" + shown + "' is not a valid URL"
          + (shown.equals(trimmed) ? ": " + e.getMessage() : ""));
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException("base URL '" + shown
          + "' must be an http:// or https:// URL with a host, e.g. https://api.chatanywhere.tech/v1");
    }
    if (uri.getRawUserInfo() != null) {
      // it would show wherever the URL does (errors, /config, logs), and the key goes in a header anyway
      throw new IllegalArgumentException("base URL '" + shown + "' holds a user name or password: give the URL without"
          + " them, and the key with OPENAI_API_KEY or apiKey(...) (or a header with header(...))");
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException("base URL '" + shown + "' must not have a query or fragment");
    }
    return trimmed.replaceAll("/+$", "");
  }

  /** Never shows the key: only whether one is set. */
  @Override
  public String toString() {
    return provider.describe() + ", requestTimeout="
        + requestTimeout + ", maxRetries=" + maxRetries + (retryUnsafe ? ", retryUnsafe" : "")
        + (proxy == null ? "" : ", proxy=" + proxy.getHost() + ":" + proxy.getPort()); // never the proxy's password
  }
}
