package dev.imagine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
  void theJvmExitsAfterMainWithoutClosingTheDefaultClient() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ExitsWithoutCloseTest.class.getName())
        .redirectErrorStream(true).start();
    boolean exited = p.waitFor(30, TimeUnit.SECONDS);
    String output = new String(p.getInputStream().readAllBytes());
    if (!exited) {
      p.destroyForcibly();
    }
    assertThat(exited).as("JVM exited; output: %s", output).isTrue();
    assertThat(output).contains("generated");
  }
}
