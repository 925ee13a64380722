package dev.imagine.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.internal.render.TerminalReplies;
import org.junit.jupiter.api.Test;

class TerminalRepliesTest {
  @Test
  void da1WithParameter4MeansSixel() {
    TerminalReplies r = TerminalReplies.parse("\033[?62;4;22c");
    assertThat(r.deviceAttributes()).isTrue();
    assertThat(r.sixel()).isTrue();
  }

  @Test
  void da1WithoutParameter4MeansNoSixel() {
    assertThat(TerminalReplies.parse("\033[?62;22c").sixel()).isFalse();
    assertThat(TerminalReplies.parse("\033[?64;1;2;6;9;15;18;21;22c").sixel()).isFalse(); // 14 or 44 are not 4
    assertThat(TerminalReplies.parse("\033[?62;22c").deviceAttributes()).isTrue();
  }

  @Test
  void xtwinopsGivesTheCellSizeHeightFirst() {
    TerminalReplies r = TerminalReplies.parse("\033[6;20;10t");
    assertThat(r.cellWidth()).isEqualTo(10);
    assertThat(r.cellHeight()).isEqualTo(20);
  }

  @Test
  void kittyOkForOurQueryMeansKitty() {
    assertThat(TerminalReplies.parse("\033_Gi=31;OK\033\\").kitty()).isTrue();
    assertThat(TerminalReplies.parse("\033_Gi=31;ENOENT:file not found\033\\").kitty()).isFalse();
    assertThat(TerminalReplies.parse("\033_Gi=7;OK\033\\").kitty()).isFalse();
  }

  @Test
  void readsAllRepliesInOneBufferAndIgnoresOtherInput() {
    TerminalReplies r = TerminalReplies.parse("x\033_Gi=31;OK\033\\\033[6;18;9t\033[?1;2c");
    assertThat(r).isEqualTo(new TerminalReplies(true, true, false, 9, 18));
  }

  @Test
  void nothingParsesToNothing() {
    assertThat(TerminalReplies.parse("")).isEqualTo(TerminalReplies.NONE);
    assertThat(TerminalReplies.parse("\033[6;18;9")).isEqualTo(TerminalReplies.NONE); // cut short
  }
}
