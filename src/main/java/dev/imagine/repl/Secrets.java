package dev.imagine.repl;

import java.util.regex.Pattern;

/** Recognises lines that carry a credential, so that history and exports never keep them. */
public final class Secrets {
  private static final Pattern SECRET = Pattern.compile(
      "sk-[A-Za-z0-9_\\-]{6,}"                         // OpenAI-style keys, also reseller ones
          + "|(?i)apiKey\\s*\\("                       // builder.apiKey("...")
          + "|(?i)api[_\\-.]?key\\s*[\"']?\\s*[=:,]"     // api_key=..., "apiKey": ..., ("openai.apiKey", ...)
          + "|(?i)authorization"                         // a header carrying a token
          + "|(?i)bearer\\s+\\S"
          + "|(?i)(secret|token|password)\\s*[=:(]");

  private Secrets() {}

  /** Whether {@code line} looks like it contains a key or another credential. */
  public static boolean containsSecret(String line) {
    return line != null && SECRET.matcher(line).find();
  }
}
