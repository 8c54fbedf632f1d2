package dev.faultline.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** The parts of Flink's REST API a deployment uses: upload a jar, run it, watch and cancel jobs. */
final class FlinkRest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  FlinkRest(URI base) {
    this.base = base;
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  /**
   * {@code POST /jars/upload}, multipart with the jar as {@code jarfile}; returns the jar id (the
   * stored file's name) that {@code /jars/<id>/run} takes.
   */
  String uploadJar(Path jar) throws IOException, InterruptedException {
    String boundary = "faultline-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName()
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(Files.readAllBytes(jar));
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    JsonNode answer =
        send(
            HttpRequest.newBuilder(base.resolve("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    if (!"success".equals(answer.path("status").asText())) {
      throw new IOException("jar upload failed: " + answer);
    }
    return Path.of(answer.path("filename").asText()).getFileName().toString();
  }

  /** {@code POST /jars/<id>/run}; returns the job id. */
  String runJar(String jarId, String entryClass, List<String> args, int parallelism)
      throws IOException, InterruptedException {
    return runJar(jarId, entryClass, args, parallelism, null);
  }

  /**
   * {@code POST /jars/<id>/run}, restoring the job's state from {@code savepointPath} (a savepoint
   * or retained checkpoint) when it is not null; returns the job id.
   */
  String runJar(
      String jarId, String entryClass, List<String> args, int parallelism, String savepointPath)
      throws IOException, InterruptedException {
    ObjectNode request = JSON.createObjectNode();
    request.put("entryClass", entryClass);
    request.put("parallelism", parallelism);
    if (savepointPath != null) {
      request.put("savepointPath", savepointPath);
    }
    args.forEach(request.putArray("programArgsList")::add);
    JsonNode answer =
        send(
            HttpRequest.newBuilder(base.resolve("/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())));
    if (!answer.hasNonNull("jobid")) {
      throw new IOException("job did not start: " + answer);
    }
    return answer.path("jobid").asText();
  }

  /** {@code PATCH /jobs/<id>?mode=cancel}. */
  void cancel(String jobId) throws IOException, InterruptedException {
    send(
        HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel"))
            .method("PATCH", HttpRequest.BodyPublishers.noBody()));
  }

  /**
   * {@code POST /jobs/<id>/stop}: stops the job with a savepoint in {@code targetDirectory} (no
   * drain, as an upgrade does), waits for it and returns the savepoint's location.
   */
  String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout)
      throws IOException, InterruptedException {
    ObjectNode request = JSON.createObjectNode();
    request.put("targetDirectory", targetDirectory);
    request.put("drain", false);
    String trigger =
        send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "/stop"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())))
            .path("request-id")
            .asText();
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode status = JSON.createObjectNode();
    while (System.nanoTime() < deadline) {
      status = get("/jobs/" + jobId + "/savepoints/" + trigger);
      if ("COMPLETED".equals(status.path("status").path("id").asText())) {
        JsonNode operation = status.path("operation");
        if (operation.hasNonNull("location")) {
          return operation.path("location").asText();
        }
        throw new IOException("stop with savepoint failed: " + operation);
      }
      Thread.sleep(250);
    }
    throw new IOException("no savepoint within " + timeout + ": " + status);
  }

  private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IOException(
          response.request().method()
              + " "
              + response.uri()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }
}
