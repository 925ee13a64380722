package dev.imagine.repl;

import java.util.List;

/**
 * What became of one snippet.
 *
 * @param kind what happened
 * @param source the snippet's text as JShell evaluated it
 * @param offset where the snippet starts in the input it came from
 * @param name the variable's name for a declaration or expression ({@code $3}); else {@code null}
 * @param value the value object (only for {@link Kind#VALUE})
 * @param valueText JShell's text for the value ({@code "a"}, {@code 3}); {@code null} without one
 * @param note a line for declarations ("created method f(int)"); else {@code null}
 * @param diagnostics compile errors, positions relative to {@link #source}
 * @param exception the exception a snippet threw, as thrown (only for {@link Kind#EXCEPTION})
 */
record Outcome(Kind kind, String source, int offset, String name, Object value, String valueText, String note,
    List<Diagnostic> diagnostics, Throwable exception) {

  enum Kind { VALUE, NO_VALUE, DECLARED, COMPILE_ERROR, EXCEPTION, CANCELLED }

  /** One compile error; positions are offsets into the snippet's source, -1 when unknown. */
  record Diagnostic(String message, long start, long position, long end) {}

  boolean failed() {
    return kind == Kind.COMPILE_ERROR || kind == Kind.EXCEPTION || kind == Kind.CANCELLED;
  }
}
