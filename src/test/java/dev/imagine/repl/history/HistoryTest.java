package dev.imagine.repl.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
  @TempDir Path dir;
  final List<String> warnings = new CopyOnWriteArrayList<>();

  static HistoryEntry entry(String prompt, String model, BigDecimal cost, Path... files) {
    return new HistoryEntry(0, Instant.now(), "s1", model, "1024x1024", null, 1, prompt, false,
        "{\"prompt\":\"" + prompt + "\"}", "{}", cost, 120L, "req_1", null, null, List.of(files));
  }

  History history() {
    return new History(dir.resolve("data"), Clock.systemDefaultZone(), "s1", warnings::add);
  }

  @Test
  void recordsNumberSearchAndSurviveReopening() throws Exception {
    Path png = Files.writeString(dir.resolve("fox.png"), "x");
    try (History h = history()) {
      assertThat(h.record(entry("a red fox in snow", "gpt-image-1", new BigDecimal("0.04"), png)).get(5, TimeUnit.SECONDS))
          .isEqualTo(1);
      assertThat(h.record(entry("a blue whale", "dall-e-3", null)).get(5, TimeUnit.SECONDS)).isEqualTo(2);
    }
    try (History h = history()) {
      assertThat(h.list(History.Query.recent(10))).extracting(HistoryEntry::prompt).containsExactly("a blue whale",
          "a red fox in snow");
      assertThat(h.list(new History.Query(List.of("fox"), false, null, 10))).extracting(HistoryEntry::number)
          .containsExactly(1L);
      assertThat(h.list(new History.Query(List.of("wha"), false, null, 10))).extracting(HistoryEntry::number)
          .as("words match as prefixes").containsExactly(2L);
      assertThat(h.list(new History.Query(List.of("\"fox", "OR", "NEAR("), false, null, 10)))
          .as("user words are never FTS syntax").isEmpty();
      assertThat(h.list(new History.Query(List.of(), true, "dall-e-3", 10))).extracting(HistoryEntry::number)
          .containsExactly(2L);
      HistoryEntry fox = h.get(1).orElseThrow();
      assertThat(fox.files()).containsExactly(png.toAbsolutePath());
      assertThat(fox.cost()).isEqualByComparingTo("0.04");
      assertThat(fox.filesGone()).isFalse();
      Files.delete(png);
      assertThat(h.get(1).orElseThrow().filesGone()).isTrue();
      assertThat(h.totals(true)).extracting(History.Totals::model, History.Totals::generations, History.Totals::unpriced)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("dall-e-3", 1, 1),
              org.assertj.core.groups.Tuple.tuple("gpt-image-1", 1, 0));
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void theDatabaseIsReadableByItsOwnerOnly() throws Exception {
    try (History h = history()) {
      h.record(entry("x", "m", null)).get(5, TimeUnit.SECONDS);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(h.file()))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(h.file().getParent()))).isEqualTo("rwx------");
    }
  }

  /** A read-only folder, or (as root, who may write anywhere) a folder that cannot exist because a file is in its place. */
  static void makeUnwritable(Path data) throws Exception {
    if (isRoot()) {
      Files.createDirectories(data.getParent());
      Files.writeString(data, "not a folder");
    } else {
      Files.createDirectories(data);
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-x------"));
    }
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  @Test
  void anUnwritableFolderGivesOneWarningAndNoFailure() throws Exception {
    Path data = dir.resolve("data");
    makeUnwritable(data);
    try (History h = history()) {
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> h.record(entry("x", "m", null)).get(30, TimeUnit.SECONDS))
            .isInstanceOf(java.util.concurrent.ExecutionException.class);
      }
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).contains("history not kept").contains("images are still saved");
    } finally {
      if (!isRoot()) {
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
      }
    }
  }

  /** Holds an exclusive lock on a database in another JVM until its stdin closes. */
  public static final class LockHolder {
    public static void main(String[] args) throws Exception {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0]); Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode = DELETE");
        st.execute("BEGIN EXCLUSIVE");
        System.out.println("locked");
        System.out.flush();
        System.in.read();
      }
    }
  }

  @Test
  void aDatabaseLockedByAnotherProcessGivesOneWarningAndEveryWriteReturns() throws Exception {
    Path data = dir.resolve("data");
    try (History h = history()) {
      h.record(entry("before", "m", null)).get(5, TimeUnit.SECONDS);
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process holder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        LockHolder.class.getName(), data.resolve("history.db").toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start(); // a logging library may warn on stderr
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      // A read from a child's pipe ignores interrupts: wait for it on another thread, for a bounded time.
      assertThat(CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).get(60, TimeUnit.SECONDS)).isEqualTo("locked");
      try (History h = history()) {
        for (int i = 0; i < 2; i++) {
          assertThatThrownBy(() -> h.record(entry("during", "m", null)).get(30, TimeUnit.SECONDS))
              .hasMessageContaining("lock");
        }
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("locked by another program");
      }
    } finally {
      holder.getOutputStream().close();
      assertThat(holder.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
    try (History h = history()) {
      assertThat(h.record(entry("after", "m", null)).get(5, TimeUnit.SECONDS)).as("works again once released").isEqualTo(2);
    }
  }
}
