package dev.imagine.internal.providers;

import java.util.Map;
import java.util.Properties;

/**
 * Picks the provider of a client from the builder, then system properties, then the environment.
 * Azure OpenAI when the builder names an Azure endpoint, or when {@code AZURE_OPENAI_ENDPOINT} is
 * set and neither an OpenAI key nor a base URL is; otherwise the OpenAI shape.
 */
public final class Providers {
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
    Choice c = choose(s, props, env);
    if (c.azureEndpoint() != null) {
      String key = firstNonBlank(s.apiKey(), env.get("AZURE_OPENAI_API_KEY"));
      String version = firstNonBlank(s.azureApiVersion(), env.get("OPENAI_API_VERSION"), AzureProvider.DEFAULT_API_VERSION);
      return new AzureProvider(checkUrl.apply(c.azureEndpoint()), strip(key), version.strip());
    }
    return new OpenAiProvider(checkUrl.apply(c.openAiUrl() == null ? defaultBaseUrl : c.openAiUrl()), strip(c.openAiKey()));
  }

  /**
   * Whether these settings send a key that looks like an OpenAI project key ({@code sk-proj-…}) to
   * the default base URL because none was set: worth telling the user once.
   */
  public static boolean sendsOpenAiProjectKeyToTheDefault(Settings s, Properties props, Map<String, String> env) {
    Choice c = choose(s, props, env);
    return c.azureEndpoint() == null && c.openAiUrl() == null && c.openAiKey() != null
        && c.openAiKey().strip().startsWith("sk-proj-");
  }

  /** Azure's endpoint when Azure is chosen, else the OpenAI base URL and key that were set. */
  private record Choice(String azureEndpoint, String openAiUrl, String openAiKey) {
    /** Never the key, only whether one is set. */
    @Override
    public String toString() {
      return "Choice[azureEndpoint=" + azureEndpoint + ", openAiUrl=" + openAiUrl + ", openAiKey="
          + (openAiKey == null ? "none" : "set") + "]";
    }
  }

  private static Choice choose(Settings s, Properties props, Map<String, String> env) {
    String envKey = firstNonBlank(props.getProperty("openai.apiKey"), env.get("OPENAI_API_KEY"));
    String url = firstNonBlank(s.baseUrl(), props.getProperty("openai.baseUrl"), env.get("OPENAI_BASE_URL"));
    String azure = s.azureEndpoint() != null ? s.azureEndpoint()
        : envKey == null && url == null ? firstNonBlank(env.get("AZURE_OPENAI_ENDPOINT")) : null;
    return new Choice(azure, url, firstNonBlank(s.apiKey(), envKey));
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
