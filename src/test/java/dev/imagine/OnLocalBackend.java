package dev.imagine;

import dev.imagine.server.LocalBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Test classes that share one default local backend and a client of it, started before their tests and closed after. */
public abstract class OnLocalBackend {
  protected static LocalBackend backend;
  protected static ImagesClient client;

  @BeforeAll
  static void start() {
    backend = LocalBackend.start();
    client = ImagesClient.builder().baseUrl(backend.baseUrl()).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    backend.close();
  }
}
