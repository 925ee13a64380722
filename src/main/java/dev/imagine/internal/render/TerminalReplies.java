package dev.imagine.internal.render;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a terminal answered to {@link TerminalProbe#queries(boolean)}, parsed from the raw input.
 *
 * @param kitty the kitty graphics query was answered {@code OK}: {@code ESC _G i=31;OK ESC \}
 * @param deviceAttributes the DA1 reply {@code ESC [ ? ... c} arrived; terminals answer in order,
 *     so nothing else is coming
 * @param sixel the DA1 reply lists parameter 4, sixel graphics
 * @param cellWidth cell width in pixels from XTWINOPS {@code ESC [ 6 ; h ; w t}, 0 if unknown
 * @param cellHeight cell height in pixels, 0 if unknown
 */
public record TerminalReplies(boolean kitty, boolean deviceAttributes, boolean sixel, int cellWidth, int cellHeight) {
  /** Nothing answered. */
  public static final TerminalReplies NONE = new TerminalReplies(false, false, false, 0, 0);

  private static final Pattern KITTY = Pattern.compile("\033_G([^;\033]*);([^\033]*)\033\\\\");
  private static final Pattern DA1 = Pattern.compile("\033\\[\\?([0-9;]*)c");
  private static final Pattern CELL = Pattern.compile("\033\\[6;(\\d{1,5});(\\d{1,5})t");

  /** Parses whatever replies {@code input} holds, in any order, ignoring anything else. */
  public static TerminalReplies parse(CharSequence input) {
    boolean kitty = false;
    Matcher m = KITTY.matcher(input);
    while (m.find()) {
      if (hasKey(m.group(1), "i=31") && m.group(2).startsWith("OK")) {
        kitty = true;
      }
    }
    boolean da1 = false;
    boolean sixel = false;
    m = DA1.matcher(input);
    if (m.find()) {
      da1 = true;
      for (String p : m.group(1).split(";")) {
        sixel |= p.equals("4");
      }
    }
    int width = 0;
    int height = 0;
    m = CELL.matcher(input);
    if (m.find()) {
      height = Integer.parseInt(m.group(1));
      width = Integer.parseInt(m.group(2));
    }
    return new TerminalReplies(kitty, da1, sixel, width, height);
  }

  private static boolean hasKey(String keys, String key) {
    for (String k : keys.split(",")) {
      if (k.equals(key)) {
        return true;
      }
    }
    return false;
  }
}
