package dev.imagine.repl;

import dev.imagine.repl.Outcome.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.MethodSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * Java evaluation for the REPL and for scripts: one JShell running snippets in this JVM, with the
 * DSL imported. Input may hold several snippets ({@code int a = 1; int b = 2}); each is evaluated
 * in turn. JShell is not thread-safe, so every use goes through one lock.
 */
final class Evaluator implements AutoCloseable {
  /** The startup snippets: the imports also offered to plain jshell as a startup file. */
  static final String STARTUP_RESOURCE = "/imagine-startup.jsh";

  private final InProcessExecution execution = new InProcessExecution();
  private final JShell shell;
  private final ReentrantLock lock = new ReentrantLock();

  Evaluator() {
    String classPath = System.getProperty("java.class.path", "");
    shell = JShell.builder()
        .executionEngine(execution, java.util.Map.of())
        // The compiler needs the class path as well as the runtime (javac follows a manifest's Class-Path).
        .compilerOptions("--class-path", classPath)
        .build();
    for (String snippet : startupSnippets()) {
      eval(snippet, true);
    }
  }

  /** The startup file's text: imports of the DSL and of the JDK packages scripts use most. */
  static String startupText() {
    try (InputStream in = Evaluator.class.getResourceAsStream(STARTUP_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(STARTUP_RESOURCE + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> startupSnippets() {
    return startupText().lines().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("//")).toList();
  }

  /** Runs a throwaway snippet so that javac's first, slow compilation is behind us. */
  void warmUp() {
    eval("1 + 1", true);
  }

  /** Whether {@code input} still needs more lines to be a whole snippet (an open brace, a trailing operator). */
  boolean isIncomplete(String input) {
    lock.lock();
    try {
      String remaining = input;
      while (!remaining.isBlank()) {
        CompletionInfo ci = shell.sourceCodeAnalysis().analyzeCompletion(remaining);
        if (ci.completeness() == Completeness.DEFINITELY_INCOMPLETE) {
          return true;
        }
        if (ci.completeness() == Completeness.CONSIDERED_INCOMPLETE) {
          // e.g. "int x" alone: JShell would add the semicolon; a line ending there is meant to run
          return false;
        }
        if (!ci.completeness().isComplete() || ci.remaining().length() >= remaining.length()) {
          return false;
        }
        remaining = ci.remaining();
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Evaluates every snippet in {@code input}; with {@code stopOnFailure} stops after the first
   * compile error, exception or cancellation.
   */
  List<Outcome> eval(String input, boolean stopOnFailure) {
    return eval(input, stopOnFailure, o -> { });
  }

  /** As {@link #eval(String, boolean)}, handing each outcome to {@code each} as soon as it is known. */
  List<Outcome> eval(String input, boolean stopOnFailure, Consumer<Outcome> each) {
    lock.lock();
    try {
      List<Outcome> outcomes = new ArrayList<>();
      String remaining = input;
      execution.control().resetStop();
      while (!remaining.isBlank()) {
        if (execution.control().stopPending()) {
          Outcome cancelled = new Outcome(Kind.CANCELLED, remaining, input.length() - remaining.length(), null, null,
              null, null, List.of(), null);
          each.accept(cancelled);
          outcomes.add(cancelled);
          break;
        }
        int base = input.length() - remaining.length();
        CompletionInfo ci = shell.sourceCodeAnalysis().analyzeCompletion(remaining);
        String source;
        String rest;
        if (ci.completeness() == Completeness.EMPTY) {
          break;
        } else if (ci.completeness().isComplete() && ci.remaining().length() < remaining.length()) {
          source = ci.source();
          rest = ci.remaining();
        } else {
          source = remaining; // incomplete or unknown: let the compiler say what is wrong
          rest = "";
        }
        String searched = ci.completeness() == Completeness.COMPLETE_WITH_SEMI && source.endsWith(";")
            ? source.substring(0, source.length() - 1) : source;
        int at = remaining.indexOf(searched.strip());
        int lead = source.length() - source.stripLeading().length(); // diagnostics count from the source's start
        int offset = base + Math.max(at, 0) - lead;
        remaining = rest;
        List<Outcome> these = evalOne(source, offset);
        these.forEach(each);
        outcomes.addAll(these);
        if (stopOnFailure && these.stream().anyMatch(Outcome::failed)) {
          break;
        }
      }
      return outcomes;
    } finally {
      lock.unlock();
    }
  }

  private List<Outcome> evalOne(String source, int offset) {
    InProcessExecution.Control control = execution.control();
    control.clearValues();
    control.takeThrown();
    control.takeStopped();
    List<SnippetEvent> events = shell.eval(source);
    InProcessExecution.Stop stopped = control.takeStopped();
    Throwable thrown = control.takeThrown();
    List<Outcome> outcomes = new ArrayList<>();
    for (SnippetEvent e : events) {
      if (e.causeSnippet() != null) {
        continue; // a dependent snippet updated by this one; JShell's tool reports these quietly too
      }
      Snippet s = e.snippet();
      if (stopped != null) {
        outcomes.add(new Outcome(Kind.CANCELLED, source, offset, null, null, null, stopNote(stopped), List.of(), null));
      } else if (e.status() == Snippet.Status.REJECTED) {
        List<Outcome.Diagnostic> diags = shell.diagnostics(s)
            .filter(Diag::isError)
            .map(d -> new Outcome.Diagnostic(d.getMessage(Locale.getDefault()), d.getStartPosition(),
                d.getPosition(), d.getEndPosition()))
            .toList();
        if (diags.isEmpty()) {
          diags = List.of(new Outcome.Diagnostic("this is not valid Java", -1, -1, -1));
        }
        outcomes.add(new Outcome(Kind.COMPILE_ERROR, source, offset, null, null, null, null, diags, null));
      } else if (e.exception() != null) {
        outcomes.add(new Outcome(Kind.EXCEPTION, source, offset, null, null, null, null, List.of(),
            thrown != null ? thrown : asThrowable(e.exception())));
      } else {
        outcomes.add(success(e, s, source, offset, control));
      }
    }
    return outcomes;
  }

  /** What the REPL says after "cancelled", or null when the interrupt was enough. */
  static String stopNote(InProcessExecution.Stop how) {
    return switch (how) {
      case INTERRUPTED -> null;
      case FORCED -> "stopped at a loop: the snippet ignored the interrupt";
      case STILL_RUNNING -> "still running in the background: it ignores the interrupt inside a library call,"
          + " and stops when that call returns to the snippet";
    };
  }

  private Outcome success(SnippetEvent e, Snippet s, String source, int offset, InProcessExecution.Control control) {
    String raw = e.value();
    Object value = control.isKey(raw) ? control.take(raw) : null;
    boolean hasValue = raw != null && !raw.isEmpty();
    String name = s instanceof VarSnippet v ? v.name() : s instanceof ExpressionSnippet x ? x.name() : null;
    if (s instanceof DeclarationSnippet d && !(s instanceof VarSnippet)) {
      String what = s instanceof MethodSnippet m ? "method " + m.name() + "(" + m.parameterTypes() + ")"
          : switch (s.subKind()) {
            case INTERFACE_SUBKIND -> "interface ";
            case ENUM_SUBKIND -> "enum ";
            case RECORD_SUBKIND -> "record ";
            case ANNOTATION_TYPE_SUBKIND -> "annotation ";
            default -> "class ";
          } + d.name();
      String note = (e.previousStatus() == Snippet.Status.NONEXISTENT || e.previousStatus() == Snippet.Status.REJECTED
          ? "created " : "replaced ") + what;
      if (e.status() == Snippet.Status.RECOVERABLE_DEFINED || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
        note += ", which cannot be used until " + shell.unresolvedDependencies(d)
            .collect(Collectors.joining(", ")) + " is declared";
      }
      return new Outcome(Kind.DECLARED, source, offset, name, null, null, note, List.of(), null);
    }
    if (!hasValue) {
      return new Outcome(Kind.NO_VALUE, source, offset, name, null, null, null, List.of(), null);
    }
    String text = control.isKey(raw) ? InProcessExecution.Control.format(value) : raw;
    return new Outcome(Kind.VALUE, source, offset, name, value, text, null, List.of(), null);
  }

  private static Throwable asThrowable(JShellException e) {
    if (e instanceof EvalException ee) {
      return new RuntimeException(ee.getExceptionClassName() + ": " + ee.getMessage());
    }
    if (e instanceof UnresolvedReferenceException ure) {
      return new IllegalStateException("cannot run " + ure.getSnippet().source().strip()
          + ": it refers to something not yet declared");
    }
    return e;
  }

  /** Stops the snippet that is running, if any (Ctrl-C); safe to call from any thread. */
  void stop() {
    execution.control().stop();
  }

  /** Completion suggestions for {@code code} at {@code cursor}; {@code anchor[0]} receives where they apply. */
  List<SourceCodeAnalysis.Suggestion> completions(String code, int cursor, int[] anchor) {
    lock.lock();
    try {
      return shell.sourceCodeAnalysis().completionSuggestions(code, cursor, anchor);
    } finally {
      lock.unlock();
    }
  }

  /** The signatures (no Javadoc: JShell finds that only in the JDK's src.zip) at {@code cursor}. */
  List<String> signatures(String code, int cursor) {
    lock.lock();
    try {
      return shell.sourceCodeAnalysis().documentation(code, cursor, false).stream()
          .map(SourceCodeAnalysis.Documentation::signature).toList();
    } finally {
      lock.unlock();
    }
  }

  /** Lines for {@code /vars}: {@code type name = value}. */
  List<String> variables() {
    lock.lock();
    try {
      return shell.variables().map(v -> v.typeName() + " " + v.name() + " = " + shortValue(v)).toList();
    } finally {
      lock.unlock();
    }
  }

  private String shortValue(VarSnippet v) {
    try {
      String value = shell.varValue(v);
      return value.length() > 120 ? value.substring(0, 117) + "..." : value;
    } catch (IllegalStateException e) {
      return "(unavailable)";
    }
  }

  /** Lines for {@code /imports}. */
  List<String> imports() {
    lock.lock();
    try {
      return shell.imports().map(i -> i.source().strip()).toList();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    stop();
    shell.close();
  }
}
