package dev.imagine.repl;

import java.time.Instant;
import org.jline.reader.impl.history.DefaultHistory;

/** JLine's history, minus any line that looks like it carries a key (see {@link Secrets}). */
final class FilteringHistory extends DefaultHistory {
  @Override
  public void add(Instant time, String line) {
    if (!Secrets.containsSecret(line)) {
      super.add(time, line);
    }
  }
}
