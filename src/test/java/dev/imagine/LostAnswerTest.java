package dev.imagine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.imagine.server.SharedBackend;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An answer the server began and never finished (found by the fault soak): the failure names the
 * request id from the answer's headers, so the user can ask the provider about a request that
 * may have been billed, and the request is not sent again.
 */
class LostAnswerTest extends SharedBackend {
  static ImagesClient client;

  @BeforeAll
  static void buildClient() {
    client = ImagesClient.builder().baseUrl(backend.baseUrl()).build();
  }

  @AfterAll
  static void closeClient() {
    client.close();
  }

  static ImageGeneration small(ImagesClient client, String prompt) {
    return client.images().model(Model.DALL_E_2).size("256x256").responseFormat(ResponseFormat.B64_JSON).prompt(prompt);
  }

  @Test
  void aConnectionCutMidBodyNamesTheRequestIdAndIsNotSentAgain() {
    ConnectionException e = catchThrowableOfType(ConnectionException.class,
        () -> small(client, "lost mid body").header("x-imagine-fault", "drop-mid-body").generate());

    assertThat(e.requestSent()).isTrue();
    assertThat(e.requestId()).startsWith("req_");
    assertThat(e.getMessage()).contains(e.requestId(), "while its answer was arriving", "not sent again");
    assertThat(backend.timesGenerated("lost mid body")).isEqualTo(1);
  }

  @Test
  void aConnectionDroppedBeforeAnyAnswerHasNoRequestIdToName() {
    ConnectionException e = catchThrowableOfType(ConnectionException.class,
        () -> small(client, "dropped before answer").header("x-imagine-fault", "drop").generate());

    assertThat(e.requestId()).isNull();
    assertThat(e.getMessage()).contains("after the request was sent").doesNotContain("null");
    assertThat(backend.timesGenerated("dropped before answer")).isEqualTo(1);
  }

  @Test
  void aBodyTooSlowForTheTimeoutNamesTheRequestId() {
    try (ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl())
        .requestTimeout(Duration.ofMillis(500)).build()) {
      RequestTimeoutException e = catchThrowableOfType(RequestTimeoutException.class,
          () -> small(client, "too slow").header("x-imagine-fault", "slow-body;rate=1000").generate());

      assertThat(e.requestId()).startsWith("req_");
      assertThat(e.getMessage()).contains(e.requestId(), "did not arrive within", "not sent again");
      assertThat(backend.timesGenerated("too slow")).isEqualTo(1);
      assertThat(backend.timesDelivered("too slow")).isZero();
    }
  }

  @Test
  void aRateLimitWithoutRetryAfterIsRetriedWithTheClientsOwnBackoff() {
    ImageResult r = small(client, "limited without retry-after")
        .header("x-imagine-fault", "rate-limit-no-retry-after;times=1")
        .header("x-imagine-fault-key", "lost-answer-test").generate();

    assertThat(r.image().size()).isPositive();
    assertThat(backend.timesGenerated("limited without retry-after")).isEqualTo(1);
  }
}
