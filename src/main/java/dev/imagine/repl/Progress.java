package dev.imagine.repl;

import dev.imagine.ImageRequest;
import dev.imagine.ImageResult;
import dev.imagine.GenerationListener;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Knows which requests are in flight, to draw "⠋ gpt-image-1 · 1024x1024 · a red fox… 3.2 s". */
final class Progress implements GenerationListener {
  private static final String FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
  private final Map<ImageRequest, Long> inFlight = new IdentityHashMap<>();

  @Override
  public void started(ImageRequest request) {
    synchronized (inFlight) {
      inFlight.put(request, System.nanoTime());
    }
  }

  @Override
  public void completed(ImageRequest request, ImageResult result) {
    done(request);
  }

  @Override
  public void failed(ImageRequest request, Throwable failure) {
    done(request);
  }

  private void done(ImageRequest request) {
    synchronized (inFlight) {
      inFlight.remove(request);
    }
  }

  int inFlight() {
    synchronized (inFlight) {
      return inFlight.size();
    }
  }

  /** The status line for tick {@code tick}, or {@code null} when nothing is in flight. */
  String line(int tick, int maxWidth) {
    ImageRequest first;
    long started;
    int count;
    synchronized (inFlight) {
      if (inFlight.isEmpty()) {
        return null;
      }
      Map.Entry<ImageRequest, Long> oldest = null;
      for (Map.Entry<ImageRequest, Long> e : inFlight.entrySet()) {
        if (oldest == null || e.getValue() < oldest.getValue()) {
          oldest = e;
        }
      }
      first = oldest.getKey();
      started = oldest.getValue();
      count = inFlight.size();
    }
    List<String> parts = new ArrayList<>();
    parts.add(FRAMES.charAt(tick % FRAMES.length()) + " " + first.model());
    parts.add(first.size());
    if (first.n() > 1) {
      parts.add(first.n() + " images");
    }
    if (count > 1) {
      parts.add(count + " requests");
    }
    String seconds = String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - started) / 1e9);
    String head = String.join(" · ", parts) + " · ";
    int room = Math.max(8, maxWidth - head.length() - seconds.length() - 22);
    String prompt = first.prompt() == null ? "" : first.prompt().replaceAll("\\s+", " ");
    if (prompt.length() > room) {
      prompt = prompt.substring(0, room - 1).stripTrailing() + "…";
    }
    return head + prompt + " " + seconds + " (Ctrl-C cancels)";
  }
}
