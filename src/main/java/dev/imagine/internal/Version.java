package dev.imagine.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of imagine, from the pom (the build writes it into {@code dev/imagine/version.properties}):
 * the banner, {@code --version} and the {@code User-Agent} all show this one string.
 */
public final class Version {
  public static final String VERSION = read();

  private Version() {}

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("/dev/imagine/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      String v = p.getProperty("version", "");
      return v.isBlank() || v.startsWith("${") ? "dev" : v; // "dev": classes compiled outside Maven
    } catch (IOException e) {
      return "dev";
    }
  }
}
