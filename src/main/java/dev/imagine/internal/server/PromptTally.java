package dev.imagine.internal.server;

import dev.imagine.internal.Digests;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per prompt, how many times the server made images for it and how many answers carrying them it
 * finished writing: what a test needs to prove a client never made the server generate twice nor
 * dropped an image the server delivered. Keyed by the prompt's SHA-256, for the most recently
 * seen {@value #KEPT} prompts, so a long-running server holds a few MB at most.
 */
final class PromptTally {
  static final int KEPT = 65_536;

  private static final class Counts {
    long generated;
    long delivered;
  }

  private final Map<String, Counts> byPrompt = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Counts> eldest) {
      return size() > KEPT;
    }
  };

  synchronized void generated(String prompt) {
    if (prompt != null) {
      byPrompt.computeIfAbsent(digest(prompt), k -> new Counts()).generated++;
    }
  }

  synchronized void delivered(String prompt) {
    if (prompt != null) {
      byPrompt.computeIfAbsent(digest(prompt), k -> new Counts()).delivered++;
    }
  }

  synchronized long generatedCount(String prompt) {
    Counts c = byPrompt.get(digest(prompt));
    return c == null ? 0 : c.generated;
  }

  synchronized long deliveredCount(String prompt) {
    Counts c = byPrompt.get(digest(prompt));
    return c == null ? 0 : c.delivered;
  }

  private static String digest(String prompt) {
    return Digests.sha256(prompt.getBytes(StandardCharsets.UTF_8));
  }
}
