package dev.imagine;

import static dev.imagine.ScriptedServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Content refusals: one exception to catch, a message that says what must change, never a retry. */
class ContentRefusedTest {
  final ScriptedServer server = new ScriptedServer();

  @AfterEach
  void stopServer() {
    server.close();
  }

  /** What one generation of {@code request} on a fresh client threw. */
  Throwable failureOf(java.util.function.Function<ImageGeneration, ImageGeneration> request) {
    try (ImagesClient client = server.client()) {
      return org.assertj.core.api.Assertions.catchThrowable(() -> request.apply(client.images().prompt("p")).generate());
    }
  }

  ContentRefusedException refusal(java.util.function.Function<ImageGeneration, ImageGeneration> request) {
    Throwable t = failureOf(request);
    assertThat(t).isInstanceOf(ContentRefusedException.class);
    return (ContentRefusedException) t;
  }

  @Test
  void openAisModerationBlockedNamesStageAndCategoriesAfterExactlyOneRequest() {
    // x-should-retry: true would retry anything else; a refusal must still not be sent again
    server.always((req, b) -> req.response().setStatusCode(400).putHeader("x-request-id", "req_mod1")
        .putHeader("x-should-retry", "true").end("{\"error\":{\"message\":\"Your request was rejected by the safety "
            + "system. safety_violations=[sexual]\",\"type\":\"image_generation_user_error\",\"param\":null,"
            + "\"code\":\"moderation_blocked\",\"moderation_details\":{\"moderation_stage\":\"input\","
            + "\"categories\":[\"sexual\",\"violence\"]}}}"));
    ContentRefusedException e = refusal(g -> g.prompt("something refused"));
    assertThat(server.received).hasSize(1);
    assertThat(e).isInstanceOf(BadRequestException.class);
    assertThat(e.stage()).isEqualTo("input");
    assertThat(e.categories()).containsExactly("sexual", "violence");
    assertThat(e.code()).isEqualTo("moderation_blocked");
    assertThat(e.requestId()).isEqualTo("req_mod1");
    assertThat(e.getMessage()).contains("Refused by the content filter at the input stage (categories: sexual, violence)")
        .contains("the prompt or input image must change").contains("req_mod1");
  }

  @Test
  void anOutputRefusalSaysItMayStillCountAndCategoriesComeFromTheMessageWhenNotListed() {
    server.always(json(400, "{\"error\":{\"message\":\"Your request was rejected by the safety system. "
        + "safety_violations=[self-harm, violence]\",\"code\":\"moderation_blocked\","
        + "\"moderation_details\":{\"moderation_stage\":\"output\"}}}"));
    ContentRefusedException e = refusal(g -> g);
    assertThat(e.stage()).isEqualTo("output");
    assertThat(e.categories()).containsExactly("self-harm", "violence");
    assertThat(e.getMessage()).contains("at the output stage").contains("may still count against the quota");
    assertThat(server.received).hasSize(1);
  }

  @Test
  void aRefusalInsideAStreamIsTheSameException() {
    server.always((req, b) -> req.response().putHeader("content-type", "text/event-stream")
        .end("event: error\ndata: {\"type\":\"error\",\"error\":{\"message\":\"rejected\",\"code\":\"moderation_blocked\","
            + "\"moderation_details\":{\"moderation_stage\":\"output\",\"categories\":[\"sexual\"]}}}\n\n"));
    ContentRefusedException e = refusal(g -> g.stream(2));
    assertThat(e.stage()).isEqualTo("output");
    assertThat(e.categories()).containsExactly("sexual");
  }

  @Test
  void otherBadRequestsAreNotRefusals() {
    server.always(json(400, "{\"error\":{\"message\":\"Invalid size\",\"param\":\"size\",\"code\":\"invalid_value\"}}"));
    assertThat(failureOf(g -> g)).isInstanceOf(BadRequestException.class).isNotInstanceOf(ContentRefusedException.class);
  }
}
