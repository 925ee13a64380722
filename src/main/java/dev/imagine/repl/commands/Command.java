package dev.imagine.repl.commands;

import java.util.List;
import java.util.Objects;

/**
 * One REPL command: its name, aliases, what arguments it takes, one line of help, how its
 * arguments complete and what it does. {@code S} is the session the action runs against.
 *
 * <pre>{@code
 * Command<Session> images = Command.of("/images", "", "images saved this session", Session::listImages);
 * Command<Session> save = Command.of("/save", "N path", "copies image N to path", Session::save)
 *     .completing((session, args) -> session.imageNumbers());
 * Command<Session> exit = Command.<Session>of("/exit", "", "leave (or Ctrl-D)", (s, a) -> { })
 *     .aliases("/quit").endingTheSession();
 * }</pre>
 *
 * @param name the command as typed, starting with {@code /}
 * @param aliases other names that run it ({@code /quit} for {@code /exit})
 * @param arguments how its arguments read in the help ({@code "N path"}), empty for none
 * @param help one line saying what it does
 * @param completion the candidates for the argument being typed
 * @param action what it does
 * @param endsSession whether the REPL ends after it ran
 */
public record Command<S>(String name, List<String> aliases, String arguments, String help,
    Completion<S> completion, Action<S> action, boolean endsSession) {

  /** What a command does, given the text after its name (stripped, maybe empty). */
  @FunctionalInterface
  public interface Action<S> {
    void run(S session, String arguments) throws Exception;
  }

  /**
   * The candidates for the argument being typed, given the text after the command's name up to
   * the cursor; the table keeps those that start with the word being typed. A candidate ending in
   * {@code =} or {@code /} is left open (no space is added after it).
   */
  @FunctionalInterface
  public interface Completion<S> {
    List<String> candidates(S session, String argumentsBeforeCursor);

    /** The same words wherever the cursor is. */
    static <S> Completion<S> words(String... words) {
      List<String> list = List.of(words);
      return (session, before) -> list;
    }
  }

  public Command {
    Objects.requireNonNull(name, "name");
    if (!name.startsWith("/") || name.length() < 2 || name.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("a command name is / and a word, not '" + name + "'");
    }
    aliases = List.copyOf(aliases);
    arguments = arguments == null ? "" : arguments;
    Objects.requireNonNull(help, "help");
    completion = completion == null ? (s, before) -> List.of() : completion;
    Objects.requireNonNull(action, "action");
  }

  /** A command without aliases or completion. */
  public static <S> Command<S> of(String name, String arguments, String help, Action<S> action) {
    return new Command<>(name, List.of(), arguments, help, null, action, false);
  }

  /** This command, also run by {@code names}. */
  public Command<S> aliases(String... names) {
    return new Command<>(name, List.of(names), arguments, help, completion, action, endsSession);
  }

  /** This command, with {@code completion} for its arguments. */
  public Command<S> completing(Completion<S> completion) {
    return new Command<>(name, aliases, arguments, help, completion, action, endsSession);
  }

  /** This command, ending the REPL after it ran. */
  public Command<S> endingTheSession() {
    return new Command<>(name, aliases, arguments, help, completion, action, true);
  }

  /** Its usage line: {@code /save N path}. */
  public String usage() {
    return arguments.isEmpty() ? name : name + " " + arguments;
  }

  /** Whether {@code typed} is its name or one of its aliases. */
  public boolean isNamed(String typed) {
    return name.equals(typed) || aliases.contains(typed);
  }
}
