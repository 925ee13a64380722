package dev.imagine.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EnvironmentDetectionTest {
  /** "A=1 B=2" to a map. */
  static Map<String, String> env(String vars) {
    Map<String, String> env = new HashMap<>();
    for (String pair : vars.trim().split("\\s+")) {
      if (!pair.isEmpty()) {
        int eq = pair.indexOf('=');
        env.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return env;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "null", value = {
      "'TERM=xterm-kitty', KITTY",
      "'TERM=xterm-256color KITTY_WINDOW_ID=3', KITTY",
      "'TERM=tmux-256color TMUX=/tmp/tmux-0/default,1,0 KITTY_WINDOW_ID=1', KITTY",
      "'TERM=xterm-ghostty', KITTY",
      "'TERM=xterm-256color TERM_PROGRAM=iTerm.app', ITERM",
      "'TERM=xterm-256color TERM_PROGRAM=WezTerm', ITERM",
      "'TERM=xterm-256color TERM_PROGRAM=vscode', ITERM",
      "'TERM=screen-256color LC_TERMINAL=iTerm2', ITERM",
      "'TERM=xterm-256color TERM_PROGRAM=Apple_Terminal', BLOCKS",
      "'TERM=linux', BLOCKS",
      "'TERM=dumb', NONE",
      "'TERM=dumb KITTY_WINDOW_ID=1', NONE",
      "'TERM=xterm-kitty IMAGINE_IMAGES=blocks', BLOCKS",
      "'TERM=dumb IMAGINE_IMAGES=Sixel', SIXEL",
      "'TERM=xterm-256color IMAGINE_IMAGES=none', NONE",
      "'TERM=xterm-kitty IMAGINE_IMAGES=auto', KITTY",
      // Terminals that may do sixel or kitty graphics behind a generic TERM: only a query tells.
      "'TERM=xterm-256color', null",
      "'TERM=xterm-256color COLORTERM=truecolor', null",
      "'TERM=foot', null",
      "'TERM=xterm', null",
      "'', null",
  })
  void decidesFromTheEnvironmentOrSaysAQueryIsNeeded(String vars, GraphicsProtocol expected) {
    assertThat(TerminalGraphics.fromEnvironment(env(vars))).isEqualTo(expected);
  }

  @Test
  void aBadForcedValueNamesTheVariableAndTheChoices() {
    assertThatThrownBy(() -> TerminalGraphics.fromEnvironment(env("IMAGINE_IMAGES=kity")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("IMAGINE_IMAGES").hasMessageContaining("kitty, iterm, sixel, blocks, none");
  }
}
