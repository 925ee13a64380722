package dev.imagine.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Test classes that share one default backend, started before their tests and closed after. */
abstract class SharedBackend {
  static LocalBackend backend;
  static String url;

  @BeforeAll
  static void startBackend() {
    backend = LocalBackend.start();
    url = backend.baseUrl() + "/images/generations";
  }

  @AfterAll
  static void stopBackend() {
    backend.close();
  }
}
