package dev.imagine.repl.history;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Every generation of every session in one SQLite file, {@code history.db} in the user's data
 * folder, with full-text search over prompts (FTS5). One background thread owns the connection:
 * {@link #record} returns at once, so writing never slows a generation down, and a database that
 * is locked, broken or in a read-only folder gives one warning and never fails one.
 *
 * <pre>{@code
 * try (History h = new History(History.folder(System.getenv()), Clock.systemDefaultZone(), "s1", System.err::println)) {
 *   long n = h.record(entry).join();                    // #42
 *   h.list(History.Query.words("fox"));                  // most recent first
 * }
 * }</pre>
 */
public final class History implements AutoCloseable {
  /** How long a write waits for another process holding the database. */
  private static final int BUSY_MILLIS = 1000;
  /** How long a read waits for the writer thread (queued writes first, so it sees them). */
  private static final long READ_SECONDS = 10;
  private static final int SCHEMA = 1;

  private final Path folder;
  private final Path file;
  private final Clock clock;
  private final String session;
  private final Consumer<String> warnings;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "imagine-history");
    t.setDaemon(true);
    return t;
  });
  private Connection connection; // used on the history thread only
  private boolean warned;

  /**
   * A history in {@code folder} (created readable by its owner only); nothing is opened until the
   * first use. {@code warnings} hears, at most once, that generations are not being recorded.
   */
  public History(Path folder, Clock clock, String session, Consumer<String> warnings) {
    this.folder = folder;
    this.file = folder.resolve("history.db");
    this.clock = clock;
    this.session = session;
    this.warnings = warnings;
  }

  /**
   * {@code $XDG_DATA_HOME/imagine}, else {@code <imagine.dataHome>/imagine} (a system property; the
   * build points it into {@code target/} so no test touches the real folder), else
   * {@code ~/.local/share/imagine}.
   */
  public static Path folder(Map<String, String> env) {
    String xdg = env.get("XDG_DATA_HOME");
    String property = System.getProperty("imagine.dataHome");
    Path data = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : property != null && !property.isBlank() ? Path.of(property)
        : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "share");
    return data.resolve("imagine").toAbsolutePath();
  }

  /**
   * Opens the database on its thread now (loading SQLite's native library takes a moment), so the
   * first generation's number is ready when its summary is printed. A problem gives the one warning.
   */
  public History openInBackground() {
    try {
      thread.execute(() -> {
        try {
          connection();
        } catch (SQLException | IOException | RuntimeException e) {
          closeQuietly();
          warnOnce(e);
        }
      });
    } catch (RuntimeException closed) {
      // nothing to open
    }
    return this;
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /** This session's name, as recorded with each entry. */
  public String session() {
    return session;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Writes {@code entry} in the background; the future gives its number, or completes
   * exceptionally when it could not be written (after the one warning). Never throws.
   */
  public CompletableFuture<Long> record(HistoryEntry entry) {
    CompletableFuture<Long> number = new CompletableFuture<>();
    try {
      thread.execute(() -> {
        try {
          number.complete(insert(entry));
        } catch (SQLException | IOException | RuntimeException e) {
          closeQuietly();
          warnOnce(e);
          number.completeExceptionally(e);
        }
      });
    } catch (RuntimeException e) { // closed
      number.completeExceptionally(e);
    }
    return number;
  }

  /** What {@link #list} looks for: words in the prompt (all of them, as word prefixes), today only, one model. */
  public record Query(List<String> words, boolean today, String model, int limit) {
    public Query {
      words = List.copyOf(words);
    }

    /** The {@code limit} most recent generations. */
    public static Query recent(int limit) {
      return new Query(List.of(), false, null, limit);
    }
  }

  /** The generations {@code query} finds, most recent first. */
  public List<HistoryEntry> list(Query query) {
    return read(() -> {
      StringBuilder sql = new StringBuilder("SELECT g.* FROM generations g");
      List<Object> args = new ArrayList<>();
      List<String> where = new ArrayList<>();
      if (!query.words().isEmpty()) {
        sql.append(" JOIN prompts p ON p.rowid = g.number");
        where.add("prompts MATCH ?");
        args.add(ftsQuery(query.words()));
      }
      if (query.today()) {
        where.add("g.day = ?");
        args.add(LocalDate.now(clock).toString());
      }
      if (query.model() != null) {
        where.add("g.model = ?");
        args.add(query.model());
      }
      if (!where.isEmpty()) {
        sql.append(" WHERE ").append(String.join(" AND ", where));
      }
      sql.append(" ORDER BY g.number DESC LIMIT ?");
      args.add(query.limit());
      return entries(sql.toString(), args);
    });
  }

  /** Entry {@code number}, if there is one. */
  public Optional<HistoryEntry> get(long number) {
    return read(() -> entries("SELECT * FROM generations WHERE number = ?", List.of(number)).stream().findFirst());
  }

  /** The newest generation that made images, if any. */
  public Optional<HistoryEntry> newest() {
    return read(() -> entries("SELECT * FROM generations WHERE error IS NULL ORDER BY number DESC LIMIT 1", List.of())
        .stream().findFirst());
  }

  /** Per model: how many generations and their known cost; {@code sessionOnly} or else today. */
  public record Totals(String model, int generations, int images, BigDecimal cost, int unpriced) {}

  /** This session's totals by model ({@code sessionOnly}), or today's across sessions. */
  public List<Totals> totals(boolean sessionOnly) {
    return read(() -> {
      Map<String, Totals> byModel = new LinkedHashMap<>();
      try (PreparedStatement st = connection.prepareStatement(
          "SELECT model, n, cost FROM generations WHERE error IS NULL AND " + (sessionOnly ? "session = ?" : "day = ?")
              + " ORDER BY model")) {
        st.setString(1, sessionOnly ? session : LocalDate.now(clock).toString());
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            String model = rs.getString(1);
            String cost = rs.getString(3);
            Totals t = byModel.getOrDefault(model, new Totals(model, 0, 0, BigDecimal.ZERO, 0));
            byModel.put(model, new Totals(model, t.generations() + 1, t.images() + rs.getInt(2),
                cost == null ? t.cost() : t.cost().add(new BigDecimal(cost)), t.unpriced() + (cost == null ? 1 : 0)));
          }
        }
      }
      return List.copyOf(byModel.values());
    });
  }

  private long insert(HistoryEntry e) throws SQLException, IOException {
    Connection c = connection();
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      long number;
      try (PreparedStatement st = c.prepareStatement("INSERT INTO generations (at, day, session, endpoint, model, size, "
          + "quality, n, prompt, request, response, cost, elapsed_ms, request_id, error, label, folder) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        int i = 1;
        st.setString(i++, e.at().toString());
        st.setString(i++, LocalDate.ofInstant(e.at(), clock.getZone()).toString());
        st.setString(i++, e.session());
        st.setString(i++, e.edit() ? "edits" : "generations");
        st.setString(i++, e.model());
        st.setString(i++, e.size());
        st.setString(i++, e.quality());
        st.setInt(i++, e.n());
        st.setString(i++, e.prompt());
        st.setString(i++, e.request());
        st.setString(i++, e.response());
        st.setString(i++, e.cost() == null ? null : e.cost().toPlainString());
        if (e.elapsedMillis() == null) {
          st.setNull(i++, Types.INTEGER);
        } else {
          st.setLong(i++, e.elapsedMillis());
        }
        st.setString(i++, e.requestId());
        st.setString(i++, e.error());
        st.setString(i++, e.label());
        st.setString(i++, Path.of("").toAbsolutePath().toString());
        st.executeUpdate();
        try (ResultSet keys = st.getGeneratedKeys()) {
          keys.next();
          number = keys.getLong(1);
        }
      }
      try (PreparedStatement st = c.prepareStatement("INSERT INTO files (number, idx, path) VALUES (?, ?, ?)")) {
        for (int i = 0; i < e.files().size(); i++) {
          st.setLong(1, number);
          st.setInt(2, i);
          st.setString(3, e.files().get(i).toAbsolutePath().toString());
          st.addBatch();
        }
        st.executeBatch();
      }
      c.commit();
      return number;
    } catch (SQLException | RuntimeException ex) {
      c.rollback();
      throw ex;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private List<HistoryEntry> entries(String sql, List<Object> args) throws SQLException, IOException {
    List<HistoryEntry> out = new ArrayList<>();
    try (PreparedStatement st = connection().prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        st.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String cost = rs.getString("cost");
          long elapsed = rs.getLong("elapsed_ms");
          Long elapsedMillis = rs.wasNull() ? null : elapsed;
          out.add(new HistoryEntry(rs.getLong("number"), Instant.parse(rs.getString("at")), rs.getString("session"),
              rs.getString("model"), rs.getString("size"), rs.getString("quality"), rs.getInt("n"),
              rs.getString("prompt"), "edits".equals(rs.getString("endpoint")), rs.getString("request"),
              rs.getString("response"), cost == null ? null : new BigDecimal(cost), elapsedMillis,
              rs.getString("request_id"), rs.getString("error"), rs.getString("label"), List.of()));
        }
      }
    }
    List<HistoryEntry> withFiles = new ArrayList<>(out.size());
    try (PreparedStatement st = connection().prepareStatement("SELECT path FROM files WHERE number = ? ORDER BY idx")) {
      for (HistoryEntry e : out) {
        st.setLong(1, e.number());
        List<Path> files = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            files.add(Path.of(rs.getString(1)));
          }
        }
        withFiles.add(new HistoryEntry(e.number(), e.at(), e.session(), e.model(), e.size(), e.quality(), e.n(),
            e.prompt(), e.edit(), e.request(), e.response(), e.cost(), e.elapsedMillis(), e.requestId(), e.error(),
            e.label(), files));
      }
    }
    return withFiles;
  }

  /** Each word as a quoted FTS5 prefix term, so user input is never FTS syntax. */
  static String ftsQuery(List<String> words) {
    List<String> terms = new ArrayList<>();
    for (String w : words) {
      String cleaned = w.replace("\"", "\"\"").strip();
      if (!cleaned.isEmpty()) {
        terms.add('"' + cleaned + "\"*");
      }
    }
    return String.join(" ", terms);
  }

  private interface Read<T> {
    T run() throws SQLException, IOException;
  }

  /** Runs a read on the history thread, after the writes queued before it. */
  private <T> T read(Read<T> read) {
    Callable<T> task = () -> {
      try {
        return read.run();
      } catch (SQLException | IOException | RuntimeException e) {
        closeQuietly();
        throw e;
      }
    };
    try {
      return thread.submit(task).get(READ_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the history " + file + " cannot be read: " + describe(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the history " + file + " did not answer within " + READ_SECONDS
          + " s (another program may hold it locked); try again", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the history", e);
    }
  }

  private Connection connection() throws SQLException, IOException {
    if (connection == null) {
      createOwnerOnly();
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA busy_timeout = " + BUSY_MILLIS);
        st.execute("PRAGMA journal_mode = WAL");
        try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
          if (rs.next() && rs.getInt(1) < SCHEMA) {
            createSchema(st);
          }
        }
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      connection = c;
    }
    return connection;
  }

  private static void createSchema(Statement st) throws SQLException {
    st.execute("CREATE TABLE IF NOT EXISTS generations (number INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, "
        + "day TEXT NOT NULL, session TEXT, endpoint TEXT NOT NULL, model TEXT, size TEXT, quality TEXT, n INTEGER, "
        + "prompt TEXT, request TEXT NOT NULL, response TEXT, cost TEXT, elapsed_ms INTEGER, request_id TEXT, "
        + "error TEXT, label TEXT, folder TEXT)");
    st.execute("CREATE INDEX IF NOT EXISTS generations_day ON generations (day)");
    st.execute("CREATE TABLE IF NOT EXISTS files (number INTEGER NOT NULL REFERENCES generations (number), "
        + "idx INTEGER NOT NULL, path TEXT NOT NULL, PRIMARY KEY (number, idx))");
    st.execute("CREATE VIRTUAL TABLE IF NOT EXISTS prompts USING fts5 (prompt, content = 'generations', "
        + "content_rowid = 'number')");
    st.execute("CREATE TRIGGER IF NOT EXISTS generations_prompt AFTER INSERT ON generations BEGIN "
        + "INSERT INTO prompts (rowid, prompt) VALUES (new.number, coalesce(new.prompt, '')); END");
    st.execute("PRAGMA user_version = " + SCHEMA);
  }

  /** The folder and the file, readable by the owner only (SQLite gives its -wal and -shm files the same mode). */
  private void createOwnerOnly() throws IOException {
    boolean posix = folder.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(folder)) {
      Files.createDirectories(folder);
      if (posix) {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
      }
    }
    if (!Files.exists(file)) {
      try {
        if (posix) {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
          Files.createFile(file);
        }
      } catch (FileAlreadyExistsException raced) {
        // another session made it first
      }
    }
  }

  private synchronized void warnOnce(Throwable e) {
    if (!warned) {
      warned = true;
      warnings.accept("history not kept: " + file + " " + describe(e) + "; images are still saved as usual");
    }
  }

  private static String describe(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String lower = m.toLowerCase(Locale.ROOT);
    if (lower.contains("locked") || lower.contains("busy")) {
      return "is locked by another program (" + m + ")";
    }
    if (lower.contains("readonly") || lower.contains("read-only") || e instanceof java.nio.file.AccessDeniedException) {
      return "cannot be written: the folder or file is read-only (" + m + ")";
    }
    return "cannot be used (" + m + ")";
  }

  private void closeQuietly() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // it is being given up on anyway
      }
      connection = null;
    }
  }

  /** Finishes queued writes (bounded), then closes the database. */
  @Override
  public void close() {
    try {
      thread.submit(this::closeQuietly).get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // leaving anyway
    }
    thread.shutdown();
  }
}
