package dev.imagine.repl;

/** The version shown by the banner and {@code --version}. */
final class Version {
  static final String VERSION = version();

  private Version() {}

  private static String version() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v != null ? v : "0.1.0-SNAPSHOT";
  }
}
