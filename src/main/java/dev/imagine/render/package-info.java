/**
 * Images drawn inline in a terminal.
 *
 * <p>{@link dev.imagine.render.TerminalGraphics#detect TerminalGraphics.detect} finds what the
 * terminal can draw ({@link dev.imagine.render.GraphicsProtocol}) and how big its cells are
 * ({@link dev.imagine.render.TerminalGeometry}); {@link dev.imagine.render.TerminalGraphics#render
 * TerminalGraphics.render} turns an image into the text that draws it, fitted into a box of cells.
 *
 * <pre>{@code
 * var d = TerminalGraphics.detect(terminal, System.getenv());
 * terminal.writer().write(TerminalGraphics.render(png, d.protocol(), d.geometry(), 60, 20, d.tmux()));
 * }</pre>
 *
 * <table>
 *   <caption>Protocols</caption>
 *   <tr><th>Protocol</th><th>Sent as</th><th>Terminals</th></tr>
 *   <tr><td>kitty</td><td>PNG in APC chunks of 4096 base64 bytes</td><td>kitty, Ghostty, Konsole, WezTerm</td></tr>
 *   <tr><td>iTerm2</td><td>one OSC 1337 {@code File=} with the PNG</td><td>iTerm2, WezTerm, VS Code</td></tr>
 *   <tr><td>sixel</td><td>DCS, adaptive palette of at most 256 colours, run-length encoded</td>
 *       <td>xterm -ti vt340, foot, mlterm, Windows Terminal, WezTerm</td></tr>
 *   <tr><td>half blocks</td><td>{@code ▀} in 24-bit colour, two pixels per cell</td><td>any truecolor terminal</td></tr>
 * </table>
 *
 * <p>{@code IMAGINE_IMAGES=kitty|iterm|sixel|blocks|none} overrides detection. Inside tmux
 * (when {@code TMUX} is set) escapes are wrapped for passthrough, which tmux only lets through
 * with {@code set -g allow-passthrough on}.
 */
package dev.imagine.render;
