package dev.imagine.internal.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Which provider a client gets, and how each addresses and authenticates a request. */
class ProvidersTest {
  static final String DEFAULT = "https://api.chatanywhere.tech/v1";

  static Provider resolve(Providers.Settings s, Map<String, String> env) {
    return Providers.resolve(s, new Properties(), env, DEFAULT, u -> u.replaceAll("/+$", ""));
  }

  static Map<String, String> headers(Provider p) {
    Map<String, String> h = new LinkedHashMap<>();
    p.authenticate(h::put);
    return h;
  }

  @Test
  void openAiByDefaultWithABearerToken() {
    Provider p = resolve(new Providers.Settings(null, null, null, null), Map.of("OPENAI_API_KEY", "sk-test-fake-0042"));
    assertThat(p).isInstanceOf(OpenAiProvider.class);
    assertThat(p.url("images/generations", "gpt-image-2")).isEqualTo(DEFAULT + "/images/generations");
    assertThat(headers(p)).containsExactly(Map.entry("Authorization", "Bearer sk-test-fake-0042"));
    assertThat(p.describe()).doesNotContain("sk-test");
  }

  @Test
  void azureFromTheBuilderPutsTheModelInTheDeploymentPath() {
    Provider p = resolve(new Providers.Settings("azure-key-0042", null, "https://res.openai.azure.com", null), Map.of());
    assertThat(p.url("images/edits", "my deployment"))
        .isEqualTo("https://res.openai.azure.com/openai/deployments/my%20deployment/images/edits?api-version=2025-04-01-preview");
    assertThat(p.url("models", null)).isEqualTo("https://res.openai.azure.com/openai/models?api-version=2025-04-01-preview");
    assertThat(headers(p)).containsExactly(Map.entry("api-key", "azure-key-0042"));
    assertThat(p.describe()).doesNotContain("azure-key");
    assertThat(p.mayAuthenticate("https://res.openai.azure.com/openai/files/x")).isTrue();
    assertThat(p.mayAuthenticate("https://cdn.example/x.png")).isFalse();
  }

  @Test
  void azureFromTheEnvironmentOnlyWhenNoOpenAiKeyOrBaseUrlIsSet() {
    Map<String, String> azure = Map.of("AZURE_OPENAI_ENDPOINT", "https://res.openai.azure.com", "AZURE_OPENAI_API_KEY", "k");
    assertThat(resolve(new Providers.Settings(null, null, null, null), azure)).isInstanceOf(AzureProvider.class);
    Map<String, String> both = new LinkedHashMap<>(azure);
    both.put("OPENAI_API_KEY", "sk-test-fake-0042");
    assertThat(resolve(new Providers.Settings(null, null, null, null), both)).isInstanceOf(OpenAiProvider.class);
    assertThat(resolve(new Providers.Settings(null, "http://127.0.0.1:1/v1", null, null), azure))
        .isInstanceOf(OpenAiProvider.class);
  }

  @Test
  void anOpenAiProjectKeyIsWorthATellingOnlyWhenItGoesToTheDefaultHost() {
    Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-proj-test-fake-0042");
    Properties none = new Properties();
    assertThat(Providers.sendsOpenAiProjectKeyToTheDefault(new Providers.Settings(null, null, null, null), none, env)).isTrue();
    assertThat(Providers.sendsOpenAiProjectKeyToTheDefault(
        new Providers.Settings(null, "https://api.openai.com/v1", null, null), none, env)).isFalse();
    assertThat(Providers.sendsOpenAiProjectKeyToTheDefault(new Providers.Settings(null, null, null, null), none,
        Map.of("OPENAI_API_KEY", "sk-test-fake-0042"))).isFalse();
    assertThat(Providers.sendsOpenAiProjectKeyToTheDefault(
        new Providers.Settings("sk-proj-x", null, "https://res.openai.azure.com", null), none, Map.of())).isFalse();
  }
}
