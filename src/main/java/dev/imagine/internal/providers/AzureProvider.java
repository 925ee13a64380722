package dev.imagine.internal.providers;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Azure OpenAI: {@code {endpoint}/openai/deployments/{deployment}/images/generations?api-version=…},
 * where the deployment is the request's model name, and the key in an {@code api-key} header
 * (never {@code Authorization}).
 */
public final class AzureProvider implements Provider {
  /** The api-version used when neither the builder nor {@code OPENAI_API_VERSION} gives one. */
  public static final String DEFAULT_API_VERSION = "2025-04-01-preview";

  private final String endpoint;
  private final String apiKey;
  private final String apiVersion;

  /** {@code endpoint} already checked, without a trailing slash, e.g. {@code https://my-resource.openai.azure.com}. */
  public AzureProvider(String endpoint, String apiKey, String apiVersion) {
    this.endpoint = endpoint;
    this.apiKey = apiKey;
    this.apiVersion = apiVersion;
  }

  @Override
  public String baseUrl() {
    return endpoint + "/openai";
  }

  @Override
  public String url(String path, String model) {
    String below = model == null ? "" : "deployments/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20") + "/";
    return endpoint + "/openai/" + below + path + "?api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8);
  }

  @Override
  public void authenticate(BiConsumer<String, String> header) {
    if (apiKey != null) {
      header.accept("api-key", apiKey);
    }
  }

  @Override
  public boolean hasKey() {
    return apiKey != null;
  }

  @Override
  public boolean needsKey() {
    return true;
  }

  @Override
  public String keySetting() {
    return "AZURE_OPENAI_API_KEY (or ImagesClient.builder().apiKey(...))";
  }

  @Override
  public String describe() {
    return "azure=" + endpoint + ", api-version=" + apiVersion + ", apiKey=" + (apiKey == null ? "none" : "set");
  }
}
