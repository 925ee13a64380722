package dev.imagine.cli;

import java.util.Set;

/**
 * Reads a command line of {@code --name value} / {@code --name=value} options, flags and plain
 * words, one at a time, for every subcommand alike.
 *
 * <pre>{@code
 * Args a = new Args(args, Set.of("--dry-run"));
 * while (a.next()) {
 *   switch (a.name()) { case "--out" -> out = a.value(); ... }
 * }
 * }</pre>
 */
public final class Args {
  private final String[] args;
  private final Set<String> flags;
  private int i = -1;
  private String name;
  private String value;

  /** @param flags the options that take no value */
  public Args(String[] args, Set<String> flags) {
    this.args = args.clone();
    this.flags = flags;
  }

  /**
   * Moves to the next option, flag or word; false at the end.
   *
   * @throws IllegalArgumentException for an option with no value after it
   */
  public boolean next() {
    if (++i >= args.length) {
      return false;
    }
    String arg = args[i];
    int eq = arg.indexOf('=');
    if (!arg.startsWith("--") || flags.contains(arg)) {
      name = arg;
      value = null;
    } else if (eq > 0) {
      name = arg.substring(0, eq);
      value = arg.substring(eq + 1);
    } else if (i + 1 < args.length) {
      name = arg;
      value = args[++i];
    } else {
      throw new IllegalArgumentException(arg + " needs a value");
    }
    return true;
  }

  /** The option's name ({@code --out}), the flag, or the plain word. */
  public String name() {
    return name;
  }

  /** Whether the current argument is a plain word rather than an option. */
  public boolean isWord() {
    return !name.startsWith("--");
  }

  /** The option's value; null for a flag or a word. */
  public String value() {
    return value;
  }

  /** The value as a whole number. */
  public int number() {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException | NullPointerException e) {
      throw new IllegalArgumentException(name + " needs a whole number, not '" + value + "'");
    }
  }
}
