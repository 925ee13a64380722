package dev.imagine.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Test classes that share one default backend, started before their tests and closed after. */
public abstract class SharedBackend {
  protected static LocalBackend backend;
  protected static String url;

  @BeforeAll
  protected static void startBackend() {
    backend = LocalBackend.start();
    url = backend.baseUrl() + "/images/generations";
  }

  @AfterAll
  protected static void stopBackend() {
    backend.close();
  }
}
