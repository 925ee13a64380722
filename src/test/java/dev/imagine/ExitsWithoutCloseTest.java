package dev.imagine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A script that made a request through the shared default client must still end. */
class ExitsWithoutCloseTest {
  public static void main(String[] args) {
    try (ScriptedServer server = new ScriptedServer()) {
      System.setProperty("openai.baseUrl", server.baseUrl());
      Images.images().prompt("p").generate();
      System.out.println("generated");
    }
  }

  @Test
  void theJvmExitsAfterMainWithoutClosingTheDefaultClient() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Children.run kills a child that is still running after 60 s and fails with what it said.
    Children.Ended ended = Children.run(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ExitsWithoutCloseTest.class.getName()), Duration.ofSeconds(60));
    assertThat(ended.exitCode()).as(ended.output()).isZero();
    assertThat(ended.output()).contains("generated");
  }

  @Test
  void aChildThatNeverEndsIsKilledAndReportedNotWaitedFor() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder sleeper = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Sleeper.class.getName());
    assertThatThrownBy(() -> Children.run(sleeper, Duration.ofSeconds(10)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("did not end within 10 s").hasMessageContaining("sleeping");
  }

  /** Says so, then never ends. */
  public static final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
      System.out.println("sleeping");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
