package dev.imagine.repl;

import dev.imagine.ApiException;
import dev.imagine.GeneratedImage;
import dev.imagine.Images;
import dev.imagine.GenerationListener;
import dev.imagine.ImageRequest;
import dev.imagine.ImagineException;
import dev.imagine.internal.files.AtomicFiles;
import dev.imagine.render.GraphicsProtocol;
import dev.imagine.repl.history.History;
import dev.imagine.repl.history.HistoryEntry;
import dev.imagine.repl.commands.Arguments;
import dev.imagine.repl.commands.Command;
import dev.imagine.repl.export.Exports;
import dev.imagine.repl.export.SessionLog;
import dev.imagine.render.TerminalGeometry;
import dev.imagine.render.TerminalGraphics;
import java.io.IOException;
import java.math.BigDecimal;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jline.keymap.KeyMap;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive imagine REPL: JLine line editing over JShell evaluation, with the DSL imported,
 * every image saved as it arrives and drawn inline.
 *
 * <pre>{@code
 * $ ./scripts/imagine
 * imagine> var r = images().prompt("a red fox in snow").generate()
 *   ✓ 1 image · gpt-image-1 · 1024x1024 · 2.1 s · saved imagine-output/2026-11-25/001-a-red-fox-in-snow.png
 * }</pre>
 *
 * Start it with {@link #interactive()}, or run a script with {@link #runScript}.
 */
public final class Repl implements AutoCloseable {
  static final String PROMPT = "imagine> ";
  static final String CONTINUATION = "   ...> ";

  private final Terminal terminal;
  private final Map<String, String> env;
  private final Console console;
  private final Backends backends;
  private final ImageStore store;
  private final Progress progress = new Progress();
  private final SessionLog session = new SessionLog();
  private final CompletableFuture<Evaluator> evaluator;
  private final CompletableFuture<Void> backendReady;
  private final ExecutorService evalThread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "imagine-eval");
    t.setDaemon(true);
    return t;
  });
  private final PrintStream originalOut = System.out;
  private final PrintStream originalErr = System.err;
  private volatile boolean evaluating;
  private volatile boolean cancelRequested;
  private volatile LineReader reader;
  private TerminalGraphics.Detection detection;
  private Throwable lastFailure;
  private volatile BigDecimal confirmAbove = new BigDecimal("0.50");

  /**
   * A REPL on {@code terminal}. {@code env} stands in for the environment (keys, base URL,
   * {@code IMAGINE_IMAGES}, {@code XDG_CONFIG_HOME}); images are saved under {@code outputDir}.
   * JShell and the backend start in the background at once, so the first prompt is not kept waiting.
   */
  Repl(Terminal terminal, Map<String, String> env, Path outputDir) {
    this(terminal, env, outputDir, List.of());
  }

  /** As above, with {@code moreListeners} also on every client the REPL builds (tests listen in). */
  Repl(Terminal terminal, Map<String, String> env, Path outputDir, List<GenerationListener> moreListeners) {
    this.terminal = terminal;
    this.env = env;
    this.console = new Console(terminal.output());
    this.store = new ImageStore(outputDir, Clock.systemDefaultZone(), History.folder(env));
    Recall.current = store.history();
    List<GenerationListener> listeners = new ArrayList<>(List.of(progress, store));
    listeners.addAll(moreListeners);
    this.backends = new Backends(env, listeners);
    this.backendReady = backends.startDefaultInBackground();
    this.evaluator = CompletableFuture.supplyAsync(() -> {
      Evaluator e = new Evaluator();
      e.warmUp();
      return e;
    }, Repl::daemon);
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "imagine-jshell-start");
    t.setDaemon(true);
    t.start();
  }

  /** Runs the REPL on the system terminal with the process's environment until /exit or Ctrl-D. */
  public static int interactive() throws IOException {
    // Java 22+ asks for native access (the jar's manifest and scripts/imagine grant it): no WARNING lines.
    Terminal terminal = TerminalBuilder.builder().name("imagine").system(true).nativeSignals(true).build();
    try (Repl repl = new Repl(terminal, System.getenv(), defaultOutputDir(System.getenv()))) {
      return repl.run();
    } finally {
      terminal.close();
    }
  }

  /** Runs a {@code .jsh} script without a prompt; 0 on success, 1 on the first error. */
  public static int runScript(Path script, PrintStream out, PrintStream err) {
    return ScriptRunner.run(script, out, err, System.getenv(), defaultOutputDir(System.getenv()));
  }

  /**
   * Runs a {@code .jsh} script and writes what it did as a Jupyter notebook for JJava (see
   * {@code /export}); the script's exit code, or 2 when the notebook cannot be written.
   */
  public static int exportNotebook(Path script, Path notebook, boolean replace, PrintStream out, PrintStream err) {
    return ScriptRunner.exportNotebook(script, notebook, replace, out, err, System.getenv(),
        defaultOutputDir(System.getenv()));
  }

  /** {@code IMAGINE_OUTPUT}, else {@code imagine-output} in the working directory. */
  static Path defaultOutputDir(Map<String, String> env) {
    String dir = env.get("IMAGINE_OUTPUT");
    return Path.of(dir == null || dir.isBlank() ? "imagine-output" : dir);
  }

  /** {@code $XDG_CONFIG_HOME/imagine/history}, else {@code ~/.config/imagine/history}. */
  static Path historyFile(Map<String, String> env) {
    String xdg = env.get("XDG_CONFIG_HOME");
    Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
    return config.resolve("imagine").resolve("history");
  }

  /** The read-evaluate-print loop; returns the exit code. */
  int run() {
    System.setOut(session.tee(new PrintStream(console.stream(), true, StandardCharsets.UTF_8), SessionLog.STDOUT));
    System.setErr(session.tee(new PrintStream(console.stream(), true, StandardCharsets.UTF_8), SessionLog.STDERR));
    Display.repl = this::show;
    terminal.handle(Terminal.Signal.INT, signal -> interrupt());
    banner();
    reader = buildReader();
    while (true) {
      String input;
      try {
        input = reader.readLine(PROMPT);
      } catch (UserInterruptException e) {
        continue; // Ctrl-C: the line is dropped
      } catch (CancellationException e) {
        Thread.interrupted(); // Ctrl-C while the line waited for Java to start: keep the REPL, drop the line
        console.println("  cancelled (Java was still starting)");
        continue;
      } catch (EndOfFileException e) {
        break; // Ctrl-D
      }
      if (input == null || input.isBlank()) {
        continue;
      }
      String trimmed = input.strip();
      if (SnippetParser.isCommand(trimmed)) {
        if (!command(trimmed)) {
          break;
        }
      } else {
        evaluate(input);
      }
    }
    return 0;
  }

  private void banner() {
    console.println("imagine " + dev.imagine.internal.Version.VERSION + " · Java images REPL · /help for commands, Tab completes, Ctrl-D exits");
    if (backends.startsLocal()) {
      console.println("No OPENAI_API_KEY set: using the embedded local backend (offline, test images).");
    } else {
      console.println("Using " + backends.configuredBaseUrl() + " (" + backends.keySource()
          + " set). /backend local switches to offline test images.");
    }
  }

  private LineReader buildReader() {
    Path history = historyFile(env);
    try {
      Files.createDirectories(history.getParent());
    } catch (IOException e) {
      console.println("(history not kept: cannot create " + history.getParent() + ")");
    }
    LineReader r = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("imagine")
        .parser(new SnippetParser(line -> evaluator().isIncomplete(line)))
        .completer((lr, line, candidates) -> new ReplCompleter(evaluator(), ReplCommands.TABLE, this)
            .complete(lr, line, candidates))
        .highlighter(new JavaHighlighter())
        .history(new FilteringHistory())
        .variable(LineReader.HISTORY_FILE, history)
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
        .variable(LineReader.INDENTATION, 2)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // "!" is Java's not, not history
        .option(LineReader.Option.INSERT_TAB, false)
        .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
        .build();
    r.getWidgets().put("imagine-doc", () -> {
      List<String> doc = documentation(r.getBuffer().toString(), r.getBuffer().cursor());
      r.printAbove(String.join("\n", doc));
      return true;
    });
    r.getKeyMaps().get(LineReader.EMACS).bind(new Reference("imagine-doc"), KeyMap.alt('d'));
    r.getKeyMaps().get(LineReader.VIINS).bind(new Reference("imagine-doc"), KeyMap.alt('d'));
    return r;
  }

  /** The evaluator, waiting for JShell's start if it is still under way. */
  private Evaluator evaluator() {
    try {
      return evaluator.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while Java was starting");
    } catch (ExecutionException e) {
      throw new IllegalStateException("Java evaluation could not start: " + e.getCause(), e.getCause());
    }
  }

  private void interrupt() {
    if (evaluating) {
      cancelRequested = true;
      if (evaluator.isDone()) {
        evaluator().stop();
      }
    }
  }

  /** Evaluates the snippets of one input, drawing progress while a request is in flight. */
  void evaluate(String input) {
    evaluating = true;
    cancelRequested = false;
    session.startCell(input);
    try {
      awaitBackend();
      Evaluator ev = evaluator();
      Future<?> done = evalThread.submit(() -> ev.eval(input, false, o -> print(o, input)));
      int tick = 0;
      while (true) {
        try {
          done.get(100, TimeUnit.MILLISECONDS);
          break;
        } catch (TimeoutException e) {
          String status = progress.line(tick++, Math.max(40, terminal.getWidth() - 1));
          if (status != null && isInteractiveTerminal()) {
            console.status(status);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      console.println("  ✗ internal error: " + e.getCause());
      lastFailure = e.getCause();
    } catch (RuntimeException e) {
      console.println("  ✗ " + e.getMessage());
      lastFailure = e;
    } finally {
      console.clearStatus();
      evaluating = false;
      session.endCell();
      for (String problem : store.takeProblems()) {
        console.println("  ! " + problem);
      }
    }
  }

  private void awaitBackend() {
    try {
      backendReady.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the backend could not start: " + e.getCause().getMessage()
          + " (see /backend)", e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      throw new IllegalStateException("the backend is still starting; try again", e);
    }
  }

  private boolean isInteractiveTerminal() {
    return !Terminal.TYPE_DUMB.equals(terminal.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
  }

  /** Prints what became of one snippet. */
  private void print(Outcome o, String input) {
    switch (o.kind()) {
      case VALUE -> {
        if (Views.isImageValue(o.value())) {
          show(o.value());
        } else {
          String text = (o.name() == null ? "" : o.name() + " ==> ") + o.valueText();
          session.value(o.value(), text);
          console.println(text);
        }
      }
      case DECLARED -> console.println("  " + o.note());
      case NO_VALUE -> { }
      case COMPILE_ERROR -> {
        String error = compileError(o, input, null);
        session.failed(error);
        console.print(error);
      }
      case EXCEPTION -> {
        lastFailure = o.exception();
        String error = exception(o.exception());
        session.failed(error);
        console.print(error);
      }
      case CANCELLED -> {
        session.failed("cancelled");
        console.println("  cancelled" + (progress.inFlight() == 0 ? "" : " (request aborted)")
            + (o.note() == null ? "" : ": " + o.note()));
      }
      default -> throw new IllegalStateException(o.kind().toString());
    }
  }

  /** The summary and drawing of an image value, through this REPL's terminal. */
  private void show(Object value) {
    Object v = Display.normalize(value);
    session.value(v, null);
    TerminalGraphics.Detection d = detection();
    console.print(Views.describe(v, d.protocol(), d.geometry(), d.tmux(), store));
  }

  /** Detected once; {@code IMAGINE_IMAGES} forces a protocol; a dumb terminal gets text only. */
  private synchronized TerminalGraphics.Detection detection() {
    if (detection == null) {
      try {
        detection = TerminalGraphics.detect(terminal, env);
      } catch (IllegalArgumentException e) {
        console.println("  ! " + e.getMessage() + "; drawing with Unicode half blocks");
        detection = new TerminalGraphics.Detection(GraphicsProtocol.BLOCKS, TerminalGeometry.DEFAULT, false);
      }
    }
    // the probe is cached by TerminalGraphics; asking again picks up a resized window
    try {
      return TerminalGraphics.detect(terminal, env);
    } catch (IllegalArgumentException e) {
      return detection;
    }
  }

  /** "error: message", the line, and a caret under the place; {@code file} adds "file:line: ". */
  static String compileError(Outcome o, String input, String file) {
    StringBuilder out = new StringBuilder();
    for (Outcome.Diagnostic d : o.diagnostics()) {
      long pos = d.position() >= 0 ? d.position() : d.start();
      int at = (int) Math.max(0, Math.min(input.length(), o.offset() + Math.max(0, pos)));
      int lineStart = input.lastIndexOf('\n', at - 1) + 1;
      int lineEnd = input.indexOf('\n', at);
      lineEnd = lineEnd < 0 ? input.length() : lineEnd;
      long lineNo = input.substring(0, lineStart).chars().filter(c -> c == '\n').count() + 1;
      String[] message = d.message().split("\n");
      out.append(file == null ? "  error: " : file + ":" + lineNo + ": error: ").append(message[0]).append('\n');
      for (int i = 1; i < message.length; i++) {
        out.append("  ").append(message[i]).append('\n');
      }
      String line = input.substring(lineStart, lineEnd);
      out.append("  ").append(line).append('\n');
      StringBuilder caret = new StringBuilder("  ");
      for (int i = lineStart; i < at; i++) {
        caret.append(input.charAt(i) == '\t' ? '\t' : ' ');
      }
      caret.append('^');
      long end = d.end() >= 0 ? o.offset() + d.end() : at + 1;
      for (long i = at + 1; i < Math.min(end, lineEnd); i++) {
        caret.append('~');
      }
      out.append(caret).append('\n');
    }
    return out.toString();
  }

  /** An exception's class and message; for API errors also the server's message and the request id. */
  static String exception(Throwable t) {
    if (t instanceof CancellationException) {
      return "  cancelled\n";
    }
    StringBuilder out = new StringBuilder("  ✗ ").append(t.getClass().getSimpleName());
    if (t.getMessage() != null) {
      out.append(": ").append(t.getMessage());
    }
    out.append('\n');
    if (t instanceof ApiException api) {
      out.append("    status:      ").append(api.status()).append(api.code() == null ? "" : " " + api.code()).append('\n');
      out.append("    server said: ").append(api.serverMessage() == null ? "(nothing)" : api.serverMessage()).append('\n');
    }
    if (t instanceof ImagineException ie && ie.requestId() != null) {
      out.append("    request id:  ").append(ie.requestId()).append('\n');
    }
    out.append("    (/trace shows the stack trace)\n");
    return out.toString();
  }

  /** Runs a REPL command; {@code false} ends the session. */
  boolean command(String line) {
    String name = line.split("\\s+", 2)[0];
    String arguments = line.substring(name.length()).strip();
    Optional<Command<Repl>> command = ReplCommands.TABLE.find(name);
    if (command.isEmpty()) {
      console.println(ReplCommands.TABLE.unknown(name));
      return true;
    }
    try {
      command.get().action().run(this, arguments);
    } catch (RuntimeException e) {
      console.println("  ✗ " + e.getMessage());
    } catch (Exception e) {
      console.println("  ✗ " + e);
    }
    return !command.get().endsSession();
  }

  void help() {
    console.print(HELP_START + ReplCommands.TABLE.listing("  ") + HELP_KEYS);
  }

  private static final String HELP_START = """
      Type Java; the DSL is imported:  images().prompt("a red fox in snow").generate()
      Every image is saved as it arrives (imagine-output/<date>/NNN-<prompt>.png + .json) and drawn here.
      """;

  private static final String HELP_KEYS = """
      Keys: Tab completes (also values inside .size(" .model(" .quality(" ...), Alt-D documents,
      Ctrl-C clears the line or cancels a running generation, Ctrl-D exits, Up/Down/Ctrl-R history.
      """;

  void doc(String code) {
    console.println(String.join("\n", documentation(code, code.length())));
  }

  void vars() {
    evaluator().variables().forEach(v -> console.println("  " + v));
  }

  void imports() {
    evaluator().imports().forEach(i -> console.println("  " + i));
  }

  private List<String> documentation(String code, int cursor) {
    if (code.isBlank()) {
      return List.of("  usage: /doc images().size");
    }
    List<String> doc = new Docs(evaluator()).lookup(code, cursor);
    return doc.isEmpty() ? List.of("  no documentation found for " + code.strip()) : doc.stream().map(l -> "  " + l).toList();
  }

  void backend(String arg) {
    String[] parts = arg.isBlank() ? new String[0] : arg.split("\\s+");
    if (parts.length == 0) {
      awaitBackendQuietly();
      console.println("  " + backends.describe());
    } else if (parts[0].equals("local")) {
      console.println("  " + backends.useLocal());
    } else if (parts[0].equals("remote")) {
      console.println("  " + backends.useRemote(parts.length > 1 ? parts[1] : null));
    } else {
      console.println("  usage: /backend [local | remote [url]]");
    }
  }

  private void awaitBackendQuietly() {
    try {
      backendReady.get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // describe() says "starting" or the failure shows at first use
    }
  }

  void config(String arguments) {
    Arguments a = Arguments.parse(arguments);
    if (!a.words().isEmpty()) {
      if (a.words().size() == 2 && a.words().get(0).equals("output")) {
        store.root(Path.of(a.words().get(1)));
        console.println("  images are saved under " + store.root().toAbsolutePath() + " from now on");
        return;
      }
      if (a.words().size() != 2 || !a.words().get(0).equals("confirm-above")) {
        throw new IllegalArgumentException("usage: /config confirm-above $0.50, /config output FOLDER"
            + " (or /config alone to show the settings)");
      }
      confirmAbove = dollars(a.words().get(1));
      console.println("  /compare asks before sending when its estimate passes " + HistoryLines.money(confirmAbove));
      return;
    }
    awaitBackendQuietly();
    TerminalGraphics.Detection d = detection();
    console.println("  backend:  " + backends.describe());
    console.println("  API key:  " + (backends.keySource() == null ? "not set" : "set (" + backends.keySource() + ")"));
    console.println("  images:   " + d.protocol().name().toLowerCase(Locale.ROOT)
        + (env.get("IMAGINE_IMAGES") == null || env.get("IMAGINE_IMAGES").isBlank() ? " (detected)" : " (IMAGINE_IMAGES)")
        + (d.tmux() ? ", through tmux" : ""));
    console.println("  output:   " + store.root().toAbsolutePath());
    console.println("  lines:    " + historyFile(env) + " (lines with keys are never stored)");
    console.println("  history:  " + (store.history() == null ? "not kept" : store.history().file()
        + " (every generation; /history)"));
    console.println("  confirm:  /compare asks first above " + HistoryLines.money(confirmAbove) + " (confirm-above)");
  }

  private static BigDecimal dollars(String text) {
    try {
      BigDecimal d = new BigDecimal(text.startsWith("$") ? text.substring(1) : text);
      if (d.signum() < 0) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("confirm-above takes an amount in dollars such as $0.50, not '" + text + "'", e);
    }
  }

  /** {@code /compare prompt="..." name=a,b [name=c,d] ...}: a matrix of requests, sent after the count and estimate. */
  void compare(String arguments) throws InterruptedException {
    Arguments a = Arguments.parse(arguments);
    for (String flag : a.flags()) {
      if (!flag.equals("--yes")) {
        throw new IllegalArgumentException("unknown option " + flag + ": " + Comparison.USAGE);
      }
    }
    Comparison comparison = Comparison.parse(arguments);
    awaitBackend();
    Comparison.Estimate estimate = comparison.estimate(Images.defaultClient());
    console.println("  " + comparison.shape() + " · " + estimate.describe());
    boolean ask = estimate.known().compareTo(confirmAbove) > 0 || (estimate.unknown() > 0 && backends.isRemote());
    if (ask && !a.flags().contains("--yes") && !confirmed("  send them? [y/N] ")) {
      console.println("  nothing sent");
      return;
    }
    List<Comparison.Cell> cells = comparison.send(COMPARE_TIMEOUT_SECONDS);
    Path folder = null;
    BigDecimal total = BigDecimal.ZERO;
    for (int i = 0; i < cells.size(); i++) {
      Comparison.Cell cell = cells.get(i);
      GeneratedImage first = Comparison.first(cell);
      if (first == null) {
        console.println("  ✗ " + comparison.cellLabel(i) + ": " + (cell.error() == null ? "no image" : cell.error()));
        continue;
      }
      Long number = store.number(first);
      Path saved = store.savedPath(first);
      folder = folder != null || saved == null ? folder : saved.toAbsolutePath().getParent();
      total = total.add(cell.result().cost().orElse(BigDecimal.ZERO));
      console.println("  ✓ " + (number == null ? "" : "#" + number + " ") + comparison.cellLabel(i)
          + cell.result().cost().map(c -> " · " + HistoryLines.money(c)).orElse(""));
    }
    if (folder == null) {
      console.println("  no image came back, so there is no contact sheet");
      return;
    }
    java.awt.image.BufferedImage sheet = comparison.sheet(cells, SHEET_MAX_WIDTH);
    Path file = comparison.save(sheet, folder);
    console.println("  contact sheet " + sheet.getWidth() + "x" + sheet.getHeight() + " · " + HistoryLines.money(total)
        + " · saved " + Views.display(file));
    TerminalGraphics.Detection d = detection();
    if (d.protocol() != GraphicsProtocol.NONE) {
      int columns = Math.max(8, (d.geometry().columns() > 0 ? d.geometry().columns() : 80) - 2);
      int rows = Math.max(6, (d.geometry().rows() > 0 ? d.geometry().rows() : 24) - 4);
      console.print(TerminalGraphics.render(sheet, d.protocol(), d.geometry(), columns, rows, d.tmux()));
    }
  }

  private static final long COMPARE_TIMEOUT_SECONDS = 600;
  private static final int SHEET_MAX_WIDTH = 3072;

  /** Asks a yes/no question on the terminal; anything but y or yes is no. */
  private boolean confirmed(String question) {
    if (reader == null) {
      return false;
    }
    try {
      String answer = reader.readLine(question);
      return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
    } catch (UserInterruptException | EndOfFileException e) {
      return false;
    }
  }

  /** {@code /export file.ipynb|.jsh|.html [--replace]}: the session so far, without keys. */
  void export(String arguments) {
    Arguments a = Arguments.parse(arguments);
    List<String> files = a.positional();
    for (String flag : a.flags()) {
      if (!flag.equals("--replace")) {
        throw new IllegalArgumentException("unknown option " + flag + ": /export FILE [--replace]");
      }
    }
    if (files.size() != 1) {
      throw new IllegalArgumentException("usage: /export session.ipynb (or .jsh, .html) [--replace]");
    }
    if (session.isEmpty()) {
      throw new IllegalStateException("nothing to export yet: run a snippet first");
    }
    Path file = Exports.write(session, Path.of(files.get(0)), new Exports.Setup(dev.imagine.internal.Version.VERSION,
        !backends.isRemote()),
        backends.secrets(), a.flags().contains("--replace"));
    console.println("  exported " + session.cells().size() + " cells to " + Views.display(file));
  }

  void images() {
    List<ImageStore.Saved> saved = store.session();
    if (saved.isEmpty()) {
      console.println("  no images yet this session");
      return;
    }
    for (ImageStore.Saved s : saved) {
      String where = s.onDisk() ? Views.display(s.file()) : "not saved, in memory only: /save " + s.number() + " path";
      console.println(String.format(Locale.ROOT, "  %3d  %s  %dx%d  %s", s.number(), where,
          s.width(), s.height(), Views.humanSize(s.bytes())));
    }
  }

  private ImageStore.Saved numbered(List<String> words, String usage) {
    if (words.isEmpty()) {
      throw new IllegalArgumentException("usage: " + usage);
    }
    int n;
    try {
      n = Integer.parseInt(words.get(0));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("usage: " + usage + " (N is a number from /images)");
    }
    List<ImageStore.Saved> saved = store.session();
    if (n < 1 || n > saved.size()) {
      throw new IllegalArgumentException(saved.isEmpty() ? "no images yet this session"
          : "no image " + n + ": /images lists 1 to " + saved.size());
    }
    return saved.get(n - 1);
  }

  void save(String arguments) {
    List<String> words = Arguments.parse(arguments).words();
    ImageStore.Saved s = numbered(words, "/save N path");
    if (words.size() != 2) {
      throw new IllegalArgumentException("usage: /save N path (quote a path with spaces: \"my fox.png\")");
    }
    Path target = Path.of(words.get(1));
    if (Files.isDirectory(target)) {
      target = target.resolve(s.onDisk() ? s.file().getFileName().toString()
          : AtomicFiles.slug(s.prompt(), 40) + "." + s.unsaved().extension());
    }
    if (!s.onDisk()) {
      store.saveKept(s, target);
    } else {
      try {
        AtomicFiles.write(target, Files.readAllBytes(s.file()));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + s.file() + ": " + e.getMessage(), e);
      }
    }
    console.println("  saved " + Views.display(target));
  }

  void open(String arguments) {
    ImageStore.Saved s = numbered(Arguments.parse(arguments).words(), "/open N");
    if (!s.onDisk()) {
      throw new IllegalStateException("image " + s.number() + " is not saved (auto-save failed; it is in memory only):"
          + " /save " + s.number() + " path writes it, then /open " + s.number() + " opens it");
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String viewer = os.contains("mac") ? "open" : os.contains("win") ? "explorer" : "xdg-open";
    if (findOnPath(viewer) == null) {
      console.println("  No image viewer found (" + viewer + " is not installed). The file is "
          + s.file().toAbsolutePath());
      return;
    }
    if (viewer.equals("xdg-open") && isBlank(env.get("DISPLAY")) && isBlank(env.get("WAYLAND_DISPLAY"))) {
      console.println("  No graphical session here (DISPLAY is not set), so no viewer can open it. The file is "
          + s.file().toAbsolutePath());
      return;
    }
    try {
      new ProcessBuilder(viewer, s.file().toAbsolutePath().toString())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      console.println("  opened " + Views.display(s.file()) + " with " + viewer);
    } catch (IOException e) {
      console.println("  could not start " + viewer + ": " + e.getMessage() + ". The file is " + s.file().toAbsolutePath());
    }
  }

  private Path findOnPath(String program) {
    String path = env.getOrDefault("PATH", System.getenv("PATH"));
    if (path == null) {
      return null;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  void trace() {
    if (lastFailure == null) {
      console.println("  no exception yet");
      return;
    }
    StringWriter w = new StringWriter();
    lastFailure.printStackTrace(new PrintWriter(w));
    List<String> lines = new ArrayList<>();
    for (String l : w.toString().split("\n")) {
      if (l.contains("jdk.internal.reflect.") || l.contains("java.lang.reflect.Method.invoke")) {
        break; // below this is the REPL's machinery, not the user's code
      }
      lines.add("  " + l.replace("\t", "    "));
    }
    console.println(String.join("\n", lines));
  }

  /** {@code /history [words] [--today] [--model M]}: the most recent first. */
  void history(String arguments) {
    Arguments a = Arguments.parse(arguments);
    String model = a.flagValue("--model").orElse(null);
    List<String> words = new ArrayList<>(a.positional());
    if (model != null) {
      words.remove(model);
    }
    for (String flag : a.flags()) {
      if (!flag.equals("--today") && !flag.equals("--model")) {
        throw new IllegalArgumentException("unknown option " + flag + ": /history [words] [--today] [--model M]");
      }
    }
    if (a.flags().contains("--model") && model == null) {
      throw new IllegalArgumentException("--model needs a model id: /history --model gpt-image-1");
    }
    History history = requireHistory();
    List<HistoryEntry> found = history.list(new History.Query(words, a.flags().contains("--today"), model, HISTORY_LINES));
    if (found.isEmpty()) {
      console.println(words.isEmpty() && model == null && !a.flags().contains("--today") ? "  no generations in the history yet"
          : "  nothing in the history matches " + arguments);
      return;
    }
    int width = Math.max(60, terminal.getWidth() - 1);
    for (HistoryEntry e : found) {
      console.println(HistoryLines.line(e, width, history.clock()));
    }
  }

  private static final int HISTORY_LINES = 20;

  /** {@code /cost}: this session's and today's totals by model, from the history. */
  void cost() {
    History history = requireHistory();
    console.print(CostLines.table("this session", history.totals(true)));
    console.print(CostLines.table("today", history.totals(false)));
  }

  private History requireHistory() {
    History h = store.history();
    if (h == null) {
      throw new IllegalStateException("no history in this session");
    }
    return h;
  }

  /** {@code /show N}: draws generation N again from its files. */
  void showPast(String arguments) {
    show(Recall.history(historyNumber(arguments, "/show N")));
  }

  /** {@code /rerun N [name=value ...]}: the same request again, changed; shown like any generation. */
  void rerun(String arguments) {
    Arguments a = Arguments.parse(arguments);
    long number = historyNumber(a.positional().isEmpty() ? "" : a.positional().get(0), "/rerun N [name=value ...]");
    if (a.positional().size() > 1) {
      throw new IllegalArgumentException("'" + a.positional().get(1) + "' is not name=value: /rerun " + number
          + " size=1536x1024 quality=high");
    }
    List<String> changes = new ArrayList<>();
    a.assignments().forEach((name, value) -> changes.add(name + "=" + value));
    ImageRequest request = Recall.rerunRequest(number, changes); // fails here, before anything is sent
    console.println("  #" + number + " again: " + request);
    StringBuilder call = new StringBuilder("dev.imagine.repl.Recall.rerun(").append(number).append('L');
    for (String change : changes) {
      call.append(", ").append(javaString(change));
    }
    evaluate(call.append(')').toString());
  }

  /** {@code /load path}: the request inside an image imagine saved, as {@code loaded}, ready to generate. */
  void load(String arguments) {
    List<String> words = Arguments.parse(arguments).words();
    if (words.size() != 1) {
      throw new IllegalArgumentException("usage: /load path.png (quote a path with spaces)");
    }
    Path file = Path.of(words.get(0));
    ImageRequest request = ImageRequest.fromImage(file); // a clear error before JShell is involved
    console.println("  " + request);
    evaluate("var loaded = images(ImageRequest.fromImage(Path.of(" + javaString(file.toString()) + ")))");
    console.println("  loaded.generate() makes it again; loaded.quality(\"high\").generate() changes it first");
  }

  private static long historyNumber(String word, String usage) {
    String w = word.strip().startsWith("#") ? word.strip().substring(1) : word.strip();
    if (w.isEmpty()) {
      throw new IllegalArgumentException("usage: " + usage + " (N is a number from /history)");
    }
    try {
      return Long.parseLong(w.split("\\s+")[0]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("usage: " + usage + " (N is a number from /history, not '" + w + "')");
    }
  }

  /** {@code text} as a Java string literal. */
  static String javaString(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** Recent history numbers, for completion; none when the history cannot be read. */
  List<String> recentNumbers() {
    try {
      return store.history() == null ? List.of() : store.history().list(History.Query.recent(HISTORY_LINES)).stream()
          .map(e -> String.valueOf(e.number())).toList();
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  @Override
  public void close() {
    Display.repl = null;
    if (Recall.current == store.history()) {
      Recall.current = null;
    }
    System.setOut(originalOut);
    System.setErr(originalErr);
    evalThread.shutdownNow();
    store.close();
    if (evaluator.isDone() && !evaluator.isCompletedExceptionally()) {
      evaluator.join().close();
    }
    backends.close();
  }
}
