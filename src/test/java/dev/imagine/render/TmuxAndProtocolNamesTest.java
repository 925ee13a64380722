package dev.imagine.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagine.internal.render.Tmux;
import org.junit.jupiter.api.Test;

class TmuxAndProtocolNamesTest {
  @Test
  void tmuxPassthroughDoublesEveryEscape() {
    assertThat(Tmux.wrap("\033_Ga=T;AAAA\033\\")).isEqualTo("\033Ptmux;\033\033_Ga=T;AAAA\033\033\\\033\\");
    assertThat(Tmux.wrap("no escapes")).isEqualTo("\033Ptmux;no escapes\033\\");
  }

  @Test
  void protocolNamesParseIgnoringCase() {
    assertThat(GraphicsProtocol.parse("kitty")).isEqualTo(GraphicsProtocol.KITTY);
    assertThat(GraphicsProtocol.parse("ITerm")).isEqualTo(GraphicsProtocol.ITERM);
    assertThat(GraphicsProtocol.parse(" Sixel ")).isEqualTo(GraphicsProtocol.SIXEL);
    assertThat(GraphicsProtocol.parse("BLOCKS")).isEqualTo(GraphicsProtocol.BLOCKS);
    assertThat(GraphicsProtocol.parse("none")).isEqualTo(GraphicsProtocol.NONE);
  }

  @Test
  void unknownProtocolNamesListTheAllowedOnes() {
    assertThatThrownBy(() -> GraphicsProtocol.parse("kity"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown image protocol 'kity': expected one of kitty, iterm, sixel, blocks, none");
    assertThatThrownBy(() -> GraphicsProtocol.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
