package dev.imagine.internal.providers;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Picks the provider of a client from the builder, then system properties, then the environment.
 * Azure OpenAI when the builder names an Azure endpoint, or when {@code AZURE_OPENAI_ENDPOINT} is
 * set and neither an OpenAI key nor a base URL is; otherwise the OpenAI shape.
 */
public final class Providers {
  private static final System.Logger LOG = System.getLogger(Providers.class.getName());
  private static final AtomicBoolean TOLD_ABOUT_DEFAULT_HOST = new AtomicBoolean();

  private Providers() {}

  /** What the builder was given; any may be {@code null}. */
  public record Settings(String apiKey, String baseUrl, String azureEndpoint, String azureApiVersion) {
    @Override
    public String toString() {
      return "Settings[baseUrl=" + baseUrl + ", azureEndpoint=" + azureEndpoint + ", apiKey=" + (apiKey == null ? "none" : "set") + "]";
    }
  }

  /**
   * The provider for these settings; {@code checkUrl} checks and normalises a base URL or endpoint
   * (throwing a message that names the problem), {@code defaultBaseUrl} is used when none is set.
   */
  public static Provider resolve(Settings s, Properties props, Map<String, String> env, String defaultBaseUrl,
      java.util.function.UnaryOperator<String> checkUrl) {
    String openAiKey = firstNonBlank(props.getProperty("openai.apiKey"), env.get("OPENAI_API_KEY"));
    String openAiUrl = firstNonBlank(s.baseUrl(), props.getProperty("openai.baseUrl"), env.get("OPENAI_BASE_URL"));
    String azureEndpoint = s.azureEndpoint() != null ? s.azureEndpoint()
        : openAiKey == null && openAiUrl == null ? firstNonBlank(env.get("AZURE_OPENAI_ENDPOINT")) : null;
    if (azureEndpoint != null) {
      String key = firstNonBlank(s.apiKey(), env.get("AZURE_OPENAI_API_KEY"));
      String version = firstNonBlank(s.azureApiVersion(), env.get("OPENAI_API_VERSION"), AzureProvider.DEFAULT_API_VERSION);
      return new AzureProvider(checkUrl.apply(azureEndpoint), strip(key), version.strip());
    }
    String key = firstNonBlank(s.apiKey(), openAiKey);
    if (openAiUrl == null && key != null && key.strip().startsWith("sk-proj-")
        && TOLD_ABOUT_DEFAULT_HOST.compareAndSet(false, true)) {
      LOG.log(System.Logger.Level.WARNING, "The API key looks like an OpenAI project key (sk-proj-...), but no base URL"
          + " is set, so requests go to ChatAnywhere (" + defaultBaseUrl + "). For OpenAI itself set"
          + " OPENAI_BASE_URL=https://api.openai.com/v1 (or ImagesClient.builder().baseUrl(...)).");
    }
    return new OpenAiProvider(checkUrl.apply(openAiUrl == null ? defaultBaseUrl : openAiUrl), strip(key));
  }

  private static String strip(String key) {
    return key == null ? null : key.strip();
  }

  /** The first value that is neither {@code null} nor blank, else {@code null}. */
  public static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
