package dev.imagine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagine.server.LocalBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ServeCommandTest {
  static final String SMALL = "{\"model\":\"dall-e-2\",\"prompt\":\"serve\",\"size\":\"256x256\",\"response_format\":\"b64_json\"}";
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static int post(String baseUrl, String authorization) throws IOException, InterruptedException {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(baseUrl + "/images/generations"))
        .timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(SMALL));
    if (authorization != null) {
      r.header("authorization", authorization);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void parsesItsOptions() throws Exception {
    try (LocalBackend backend = ServeCommand.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
        "--api-key", "k1", "--latency-ms=50-80", "--url-expiry-minutes", "5"}).backend().start()) {
      long t0 = System.nanoTime();
      assertThat(post(backend.baseUrl(), "Bearer k1")).isEqualTo(200);
      assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(50);
      assertThat(post(backend.baseUrl(), null)).isEqualTo(401);
    }
    assertThatThrownBy(() -> ServeCommand.parse(new String[] {"--port", "eighty"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--port");
    assertThatThrownBy(() -> ServeCommand.parse(new String[] {"--colour", "red"}))
        .hasMessageContaining("unknown option --colour");
    assertThatThrownBy(() -> ServeCommand.parse(new String[] {"--fault", "meteor"}))
        .hasMessageContaining("rate-limit");
    assertThatThrownBy(() -> ServeCommand.parse(new String[] {"--api-key", " "}))
        .hasMessageContaining("--api-key needs a non-empty key");
  }

  @Test
  void printsUsageAndRefusesBadOptionsWithExitCode2() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    assertThat(ServeCommand.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(err))).isZero();
    assertThat(ServeCommand.run(new String[] {"--latency-ms"}, new PrintStream(out), new PrintStream(err))).isEqualTo(2);
    assertThat(out.toString()).contains("--port", "--api-key", "--latency-ms");
    assertThat(err.toString()).contains("--latency-ms needs a value");
  }

  @Test
  void loopbackServesWithoutAKeyAndPrintsNone() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (LocalBackend backend = ServeCommand.startAndAnnounce(new String[] {"--port", "0"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()))) {
      assertThat(backend).isNotNull();
      assertThat(post(backend.baseUrl(), null)).isEqualTo(200);
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("listening on").doesNotContain("OPENAI_API_KEY");
    assertThat(ServeCommand.parse(new String[] {"--host", "localhost"}).generatedKey()).isNull();
    assertThat(ServeCommand.parse(new String[] {"--host", "::1"}).generatedKey()).isNull();
  }

  @Test
  void aHostOtherMachinesReachGetsAGeneratedKeyPrintedOnceAndRequiredAfter() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (LocalBackend backend = ServeCommand.startAndAnnounce(new String[] {"--port", "0", "--host", "0.0.0.0"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()))) {
      String printed = out.toString(StandardCharsets.UTF_8);
      Matcher key = Pattern.compile("OPENAI_API_KEY=(sk-local-[A-Za-z0-9_-]{32})").matcher(printed);
      assertThat(key.find()).as(printed).isTrue();
      assertThat(printed).contains("0.0.0.0", "--api-key");
      assertThat(printed.indexOf(key.group(1))).isEqualTo(printed.lastIndexOf(key.group(1)));

      assertThat(post(backend.baseUrl(), null)).isEqualTo(401);
      assertThat(post(backend.baseUrl(), "Bearer sk-local-wrong")).isEqualTo(401);
      assertThat(post(backend.baseUrl(), "Bearer " + key.group(1))).isEqualTo(200);
      assertThat(backend.toString()).doesNotContain(key.group(1));
    }
    ServeCommand.Options first = ServeCommand.parse(new String[] {"--host", "0.0.0.0"});
    assertThat(first.generatedKey()).isNotEqualTo(ServeCommand.parse(new String[] {"--host", "0.0.0.0"}).generatedKey());
    assertThat(first.toString()).doesNotContain(first.generatedKey());
    assertThat(ServeCommand.parse(new String[] {"--host", "0.0.0.0", "--api-key", "mine"}).generatedKey()).isNull();
  }
}
