package dev.imagine;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain-socket HTTP/1.1 server on loopback that closes a keep-alive connection once it has sat
 * idle for a while after an answer (each connection its own time, between a minimum and a maximum), without a {@code Connection: close} header and without
 * reading anything more: as servers with short idle timeouts, or the JDK's with its surplus idle
 * connections, do. A request that reaches a connection it has decided to close is never read, so
 * {@link #generated} is the truth of what the server made. {@code POST}s get one small PNG as
 * {@code b64_json}, anything else a 404 (the client's {@code GET /models}).
 */
final class IdleClosingServer implements AutoCloseable {
  /** The body of each {@code POST} the server read and answered. */
  final List<String> generated = new CopyOnWriteArrayList<>();
  private final ServerSocket socket;
  private final int minIdleMillis;
  private final int maxIdleMillis;
  private final AtomicInteger connections = new AtomicInteger();
  private final byte[] images = ScriptedServer.imagesJson(ScriptedServer.png(8, 8)).getBytes(StandardCharsets.US_ASCII);

  IdleClosingServer(int minIdleMillis, int maxIdleMillis) throws IOException {
    this.minIdleMillis = minIdleMillis;
    this.maxIdleMillis = maxIdleMillis;
    this.socket = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
    daemon("idle-closing-accept", () -> {
      while (!socket.isClosed()) {
        try {
          Socket connection = socket.accept();
          // spread over the range, so some closes meet the client just as it reuses the connection
          int idle = minIdleMillis + connections.getAndIncrement() * 37 % (maxIdleMillis - minIdleMillis + 1);
          daemon("idle-closing-connection", () -> serve(connection, idle));
        } catch (IOException closed) {
          return;
        }
      }
    });
  }

  String baseUrl() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
  }

  private static void daemon(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
  }

  private void serve(Socket connection, int idleMillis) {
    try (connection) {
      InputStream in = new BufferedInputStream(connection.getInputStream());
      OutputStream out = connection.getOutputStream();
      for (int served = 0; ; served++) {
        connection.setSoTimeout(served == 0 ? 30_000 : idleMillis);
        int first;
        try {
          first = in.read();
        } catch (SocketTimeoutException idle) {
          return; // idle too long: closed without a word, and what arrives from now on is never read
        }
        if (first < 0) {
          return;
        }
        connection.setSoTimeout(30_000);
        String head = readHead(in, first);
        int length = 0;
        for (String line : head.split("\r\n")) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring("content-length:".length()).strip());
          }
        }
        byte[] body = in.readNBytes(length);
        boolean post = head.startsWith("POST ");
        if (post) {
          generated.add(new String(body, StandardCharsets.UTF_8));
        }
        byte[] answer = post ? images : "{\"error\":{\"message\":\"no model list here\"}}".getBytes(StandardCharsets.US_ASCII);
        out.write(("HTTP/1.1 " + (post ? "200 OK" : "404 Not Found") + "\r\ncontent-type: application/json\r\n"
            + "content-length: " + answer.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(answer);
        out.flush();
      }
    } catch (IOException gone) {
      // the client closed or reset the connection
    }
  }

  private static String readHead(InputStream in, int first) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int c = first;
    int lineEnds = 0;
    while (c >= 0) {
      head.write(c);
      lineEnds = c == '\r' || c == '\n' ? lineEnds + 1 : 0;
      if (lineEnds == 4) {
        break;
      }
      c = in.read();
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
