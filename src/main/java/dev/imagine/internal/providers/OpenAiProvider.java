package dev.imagine.internal.providers;

import java.net.URI;
import java.util.function.BiConsumer;

/**
 * OpenAI's shape, also spoken by ChatAnywhere, other resellers and the local backend: paths below
 * a base URL, the key as {@code Authorization: Bearer <key>}.
 */
public final class OpenAiProvider implements Provider {
  private final String baseUrl;
  private final String apiKey;

  /** {@code baseUrl} already checked, without a trailing slash; {@code apiKey} may be {@code null}. */
  public OpenAiProvider(String baseUrl, String apiKey) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
  }

  @Override
  public String baseUrl() {
    return baseUrl;
  }

  @Override
  public String url(String path, String model) {
    return baseUrl + "/" + path;
  }

  @Override
  public void authenticate(BiConsumer<String, String> header) {
    if (apiKey != null) {
      header.accept("Authorization", "Bearer " + apiKey);
    }
  }

  @Override
  public boolean hasKey() {
    return apiKey != null;
  }

  @Override
  public boolean needsKey() {
    return !Provider.isLoopbackHost(URI.create(baseUrl).getHost());
  }

  @Override
  public String keySetting() {
    return "OPENAI_API_KEY (or -Dopenai.apiKey, or ImagesClient.builder().apiKey(...))";
  }

  @Override
  public String describe() {
    return "baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "set");
  }
}
