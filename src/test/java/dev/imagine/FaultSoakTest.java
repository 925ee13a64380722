package dev.imagine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.server.Fault;
import dev.imagine.server.LocalBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault soak in CI: 300 generations, 16 at once, 20 % of them with a fault of every kind the
 * local backend has, through the client's default settings (see {@link FaultSoak}). A failure
 * prints the seed; {@code -Dsoak.seed=N} plays the same faults again.
 */
class FaultSoakTest {
  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void noImageLostNoneGeneratedTwiceNoStrayFileAndEveryFailureTypedAndClear(@TempDir Path folder) throws Exception {
    long seed = Long.getLong("soak.seed", System.nanoTime());
    FaultSoak.Settings settings = new FaultSoak.Settings(300, 16, 0.20, seed, folder.resolve("images"),
        Duration.ofMinutes(2));
    try (LocalBackend backend = LocalBackend.start()) {
      FaultSoak.Outcome outcome = FaultSoak.run(backend, settings);

      String summary = outcome.summary();
      System.out.println(summary); // the figures in the CI log (target/surefire-reports/*FaultSoakTest-output.txt)
      assertThat(outcome.lostImages()).as(summary).isEmpty();
      assertThat(outcome.generatedTwice()).as(summary).isEmpty();
      assertThat(outcome.strayFiles()).as(summary).isEmpty();
      assertThat(outcome.badFailures()).as(summary).isEmpty();
      assertThat(outcome.unexpectedFailures()).as(summary).isEmpty();
      // the soak really played faults, and some ended as failures the user sees
      assertThat(outcome.faulted()).as(summary).isGreaterThanOrEqualTo(Fault.values().length);
      assertThat(outcome.failed()).as(summary).isPositive();
      assertThat(outcome.succeeded()).as(summary).isGreaterThan(outcome.generations() / 2);
    }
  }
}
