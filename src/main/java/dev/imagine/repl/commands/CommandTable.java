package dev.imagine.repl.commands;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.jline.utils.Levenshtein;

/**
 * The REPL's commands in one table: lookup (by name, alias or unambiguous prefix), "did you mean",
 * the help listing and completion all read it, so adding a command is adding one entry.
 *
 * <pre>{@code
 * CommandTable<Session> table = CommandTable.of(List.of(
 *     Command.of("/images", "", "images saved this session", Session::listImages),
 *     Command.<Session>of("/exit", "", "leave", (s, a) -> { }).endingTheSession()));
 * table.find("/ima");          // the /images command
 * table.closest("/imags");     // Optional[/images]
 * }</pre>
 */
public final class CommandTable<S> {
  private final List<Command<S>> commands;

  private CommandTable(List<Command<S>> commands) {
    this.commands = List.copyOf(commands);
    Set<String> names = new HashSet<>();
    for (Command<S> c : this.commands) {
      for (String n : names(c).toList()) {
        if (!names.add(n)) {
          throw new IllegalArgumentException("two commands are named " + n);
        }
      }
    }
  }

  /** A table of {@code commands}, listed in help in this order; names and aliases must be unique. */
  public static <S> CommandTable<S> of(List<Command<S>> commands) {
    return new CommandTable<>(commands);
  }

  /** This table with {@code more} added after its commands. */
  public CommandTable<S> with(List<Command<S>> more) {
    List<Command<S>> all = new ArrayList<>(commands);
    all.addAll(more);
    return new CommandTable<>(all);
  }

  public List<Command<S>> commands() {
    return commands;
  }

  /** Every name and alias, in table order. */
  public List<String> names() {
    return commands.stream().flatMap(CommandTable::names).toList();
  }

  private static Stream<String> names(Command<?> c) {
    return Stream.concat(Stream.of(c.name()), c.aliases().stream());
  }

  /** The command named {@code typed}, or the one command whose name starts with it ({@code /hist}). */
  public Optional<Command<S>> find(String typed) {
    Optional<Command<S>> exact = commands.stream().filter(c -> c.isNamed(typed)).findFirst();
    if (exact.isPresent() || typed.length() < 3) {
      return exact;
    }
    List<Command<S>> prefixed = commands.stream().filter(c -> c.name().startsWith(typed)).toList();
    return prefixed.size() == 1 ? Optional.of(prefixed.get(0)) : Optional.empty();
  }

  /** The name closest to {@code typed} by edit distance, when close enough to be a typo. */
  public Optional<String> closest(String typed) {
    return names().stream()
        .min(Comparator.comparingInt(n -> Levenshtein.distance(n, typed)))
        .filter(n -> Levenshtein.distance(n, typed) <= Math.max(2, n.length() / 3));
  }

  /** The answer to a command nobody has: "Unknown command /imags. Try /help. Did you mean /images?" */
  public String unknown(String typed) {
    List<String> sameStart = commands.stream().map(Command::name).filter(n -> n.startsWith(typed)).toList();
    if (sameStart.size() > 1 && typed.length() >= 3) {
      return "Ambiguous command " + typed + ": " + String.join(", ", sameStart) + ".";
    }
    return "Unknown command " + typed + ". Try /help." + closest(typed).map(n -> " Did you mean " + n + "?").orElse("");
  }

  /** One line per command: usage (with aliases) padded to a column, then its help. */
  public String listing(String indent) {
    List<String> left = commands.stream()
        .map(c -> c.usage() + (c.aliases().isEmpty() ? "" : " (" + String.join(", ", c.aliases()) + ")")).toList();
    int width = left.stream().mapToInt(String::length).max().orElse(0) + 2;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < commands.size(); i++) {
      out.append(indent).append(String.format("%-" + width + "s", left.get(i))).append(commands.get(i).help()).append('\n');
    }
    return out.toString();
  }

  /**
   * Candidates for {@code line} typed up to {@code cursor}, when it is a command: command names
   * while the first word is typed, then the command's own argument completion. Empty when the
   * line is not a command or nothing fits.
   */
  public List<Candidate> candidates(S session, String line, int cursor) {
    String before = line.substring(0, cursor).stripLeading();
    if (!before.startsWith("/")) {
      return List.of();
    }
    int space = indexOfWhitespace(before);
    if (space < 0) {
      return names().stream().filter(n -> n.startsWith(before)).map(n -> new Candidate(n, true)).toList();
    }
    Optional<Command<S>> command = find(before.substring(0, space));
    if (command.isEmpty()) {
      return List.of();
    }
    String arguments = before.substring(space).stripLeading();
    String word = arguments.substring(lastWordStart(arguments));
    return command.get().completion().candidates(session, arguments).stream()
        .filter(c -> c.startsWith(word))
        .distinct()
        .map(c -> new Candidate(c, !(c.endsWith("=") || c.endsWith("/"))))
        .toList();
  }

  /** One completion candidate: the text, and whether a space should follow it. */
  public record Candidate(String value, boolean complete) { }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static int lastWordStart(String s) {
    int i = s.length();
    while (i > 0 && !Character.isWhitespace(s.charAt(i - 1))) {
      i--;
    }
    return i;
  }
}
