package dev.faultline.ingest.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.contract.ModelWindow;
import dev.faultline.contract.Topics;
import dev.faultline.embedded.EmbeddedKafka;
import dev.faultline.embedded.ManualClock;
import dev.faultline.embedded.SharedServices;
import dev.faultline.ingest.IngestConfig;
import dev.faultline.ingest.IngestService;
import dev.faultline.ingest.KafkaRecords;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated hostile input against the push endpoints of a real ingest on a real broker (issue 17,
 * part 7). Each try sends four generated requests at once: NDJSON bodies mixing valid records with
 * ones broken on purpose (integer overflow, {@code NaN}, huge numbers, over-long strings, too many
 * map entries, deep nesting, cut JSON, invalid UTF-8, garbage, a {@code ts} in 2101, blank lines)
 * to {@code /v1/telemetry} and {@code /v1/gateway/requests}, plus whole requests that are wrong (no
 * or a wrong token, GET, an oversize body). Every request must get an HTTP answer (no dropped
 * connection), never a 5xx, and exactly the expected one: 200/422 naming precisely the broken
 * lines, 401, 405, 413, 400. At the end every valid telemetry line is on Kafka exactly once, and
 * the gateway windows count every valid gateway request exactly once.
 */
class PushFuzzIT {

  static final int TRIES = 2_500;
  static final int REQUESTS_PER_TRY = 4;
  static final String TOKEN = "fuzz-it-token";
  static final int MAX_BODY = 64 * 1024;
  static final Instant NOW = Instant.parse("2026-06-22T14:03:00Z");
  static final String RUN = Long.toString(System.nanoTime(), 36);
  static final ObjectMapper JSON = new ObjectMapper();

  static EmbeddedKafka kafka;
  static ManualClock clock;
  static IngestService ingest;
  static HttpClient http;
  static final AtomicLong markers = new AtomicLong();
  static final AtomicLong requestsSent = new AtomicLong();
  static final AtomicLong validGatewayLines = new AtomicLong();
  static final Set<String> validTelemetry = ConcurrentHashMap.newKeySet();
  static final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

  /**
   * One generated line: its text ({@code @SRC@} becomes a unique marker) and whether it is valid.
   */
  record Line(String text, boolean valid) {}

  /** One generated request. */
  record Fuzz(String path, String method, String token, List<Line> lines, byte[] raw) {}

  @BeforeContainer
  static void start() {
    kafka = SharedServices.kafka();
    kafka.createTopics(Topics.all());
    clock = new ManualClock(NOW);
    ingest =
        new IngestService(
            kafka.bootstrapServers(),
            clock,
            IngestConfig.parse(
                String.join(
                    "\n",
                    "source: fuzz-" + RUN,
                    "data_dir: target/fuzz-it-data",
                    "http: {host: 127.0.0.1, port: 0, token: "
                        + TOKEN
                        + ", max_body_bytes: "
                        + MAX_BODY
                        + "}",
                    "alertmanager: {token: " + TOKEN + "}",
                    "gateway: {window_s: 60, grace_s: 5}",
                    "")),
            name -> null);
    ingest.start();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!ingest.ready() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  @Property(tries = TRIES, shrinking = ShrinkingMode.OFF)
  void everyRequestGetsExactlyTheExpectedAnswer(@ForAll("batches") List<Fuzz> batch)
      throws Exception {
    List<byte[]> bodies = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (Fuzz f : batch) {
      byte[] body = body(f);
      bodies.add(body);
      answers.add(http.sendAsync(request(f, body), HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < batch.size(); i++) {
      HttpResponse<String> response;
      try {
        response = answers.get(i).get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        // A dropped connection: the property fails, naming the request.
        throw new AssertionError(
            "no answer to "
                + batch.get(i).path()
                + " "
                + batch.get(i).method()
                + " with "
                + bodies.get(i).length
                + " bytes: "
                + e.getCause(),
            e);
      }
      requestsSent.incrementAndGet();
      statuses.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
      check(batch.get(i), bodies.get(i), response);
    }
  }

  @AfterContainer
  static void everyValidLineIsOnKafkaExactlyOnce() {
    try {
      System.out.printf(
          "PushFuzzIT: %d requests, statuses %s, %d valid telemetry lines, %d valid gateway lines%n",
          requestsSent.get(), statuses, validTelemetry.size(), validGatewayLines.get());
      assertTrue(requestsSent.get() >= 10_000, "only " + requestsSent.get() + " requests");
      assertTrue(statuses.keySet().stream().noneMatch(s -> s >= 500), "5xx answers: " + statuses);
      String prefix = "fuzz-" + RUN + "-";
      List<String> seen =
          KafkaRecords.raw(
                  kafka.bootstrapServers(),
                  Topics.TELEMETRY.name(),
                  r -> new String(r.value(), StandardCharsets.UTF_8).contains(prefix),
                  validTelemetry.size())
              .stream()
              .map(r -> marker(new String(r.value(), StandardCharsets.UTF_8), prefix))
              .toList();
      assertEquals(validTelemetry.size(), seen.size(), "published lines (duplicates included)");
      assertEquals(validTelemetry, new TreeSet<>(seen), "published lines");

      // The gateway windows close once the clock passes them: they count each valid request once.
      clock.set(NOW.plus(Duration.ofHours(1)));
      String model = "fuzz-gw-" + RUN;
      long counted =
          KafkaRecords.telemetry(
                  kafka.bootstrapServers(),
                  t -> t instanceof ModelWindow w && w.model().startsWith(model),
                  1)
              .stream()
              .mapToLong(t -> ((ModelWindow) t).requests())
              .sum();
      assertEquals(validGatewayLines.get(), counted, "gateway requests counted in windows");
    } finally {
      ingest.close();
    }
  }

  private static String marker(String json, String prefix) {
    int at = json.indexOf(prefix);
    int end = json.indexOf('"', at);
    return json.substring(at, end);
  }

  private static void check(Fuzz f, byte[] body, HttpResponse<String> response) throws Exception {
    int status = response.statusCode();
    String why = f.path() + " " + f.method() + " -> " + status + " " + response.body();
    if (!"POST".equals(f.method())) {
      assertEquals(405, status, why);
      return;
    }
    if (!TOKEN.equals(f.token())) {
      assertEquals(401, status, why);
      return;
    }
    if (body.length > MAX_BODY) {
      assertEquals(413, status, why);
      return;
    }
    Set<Long> invalid = new TreeSet<>();
    long valid = 0;
    for (int i = 0; i < f.lines().size(); i++) {
      Line l = f.lines().get(i);
      if (l.text().isBlank()) {
        continue;
      }
      if (l.valid()) {
        valid++;
      } else {
        invalid.add(i + 1L);
      }
    }
    if (valid + invalid.size() == 0) {
      assertEquals(400, status, why);
      return;
    }
    assertEquals(invalid.isEmpty() ? 200 : 422, status, why);
    JsonNode answer = JSON.readTree(response.body());
    assertEquals(valid, answer.get("accepted").asLong(), why);
    assertEquals(invalid.size(), answer.get("rejected").asLong(), why);
    Set<Long> named = new TreeSet<>();
    if (answer.has("errors")) {
      answer.get("errors").forEach(e -> named.add(e.get("line").asLong()));
    }
    assertEquals(invalid, named, why);
  }

  private static byte[] body(Fuzz f) {
    if (f.raw() != null) {
      return f.raw();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean gateway = f.path().endsWith("gateway/requests");
    boolean counts = "POST".equals(f.method()) && TOKEN.equals(f.token());
    for (Line l : f.lines()) {
      String text = l.text();
      if (text.contains("@SRC@")) {
        String marker = "fuzz-" + RUN + "-" + markers.incrementAndGet();
        text = text.replace("@SRC@", marker);
        if (l.valid() && counts && !gateway) {
          validTelemetry.add(marker);
        }
      }
      text = text.replace("@GW@", "fuzz-gw-" + RUN);
      if (l.valid() && counts && gateway) {
        validGatewayLines.incrementAndGet();
      }
      byte[] bytes =
          text.startsWith("\u0000bytes:")
              ? garbage(text.substring(7))
              : text.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(bytes);
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** Bytes that are not UTF-8 (and hold no newline), seeded by the generated text. */
  private static byte[] garbage(String seed) {
    byte[] out = new byte[seed.length() + 2];
    out[0] = 'x';
    for (int i = 0; i < seed.length(); i++) {
      int b = 0x80 + (seed.charAt(i) % 0x7f);
      out[i + 1] = (byte) b;
    }
    out[out.length - 1] = (byte) 0xff;
    return out;
  }

  private static HttpRequest request(Fuzz f, byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(ingest.baseUrl() + f.path()))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-ndjson");
    if (f.token() != null) {
      b.header("Authorization", "Bearer " + f.token());
    }
    if ("GET".equals(f.method())) {
      return b.GET().build();
    }
    return b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  // ---- generators ----

  @Provide
  Arbitrary<List<Fuzz>> batches() {
    return requests().list().ofSize(REQUESTS_PER_TRY);
  }

  Arbitrary<Fuzz> requests() {
    Arbitrary<Fuzz> telemetry =
        telemetryLine()
            .list()
            .ofMinSize(1)
            .ofMaxSize(8)
            .map(lines -> new Fuzz("/v1/telemetry", "POST", TOKEN, lines, null));
    Arbitrary<Fuzz> gateway =
        gatewayLine()
            .list()
            .ofMinSize(1)
            .ofMaxSize(8)
            .map(lines -> new Fuzz("/v1/gateway/requests", "POST", TOKEN, lines, null));
    Arbitrary<Fuzz> wrongToken =
        Arbitraries.of("wrong", "", "Bearer", TOKEN + "x")
            .map(t -> new Fuzz("/v1/telemetry", "POST", t, List.of(new Line("{}", false)), null));
    Arbitrary<Fuzz> noToken =
        Arbitraries.of("/v1/telemetry", "/v1/gateway/requests", "/v1/alertmanager")
            .map(p -> new Fuzz(p, "POST", null, List.of(new Line("{}", false)), null));
    Arbitrary<Fuzz> get =
        Arbitraries.of("/v1/telemetry", "/v1/gateway/requests")
            .map(p -> new Fuzz(p, "GET", TOKEN, List.of(), null));
    Arbitrary<Fuzz> oversize =
        Arbitraries.integers()
            .between(MAX_BODY + 1, 2 * MAX_BODY)
            .map(n -> new Fuzz("/v1/telemetry", "POST", TOKEN, List.of(), new byte[n]));
    Arbitrary<Fuzz> blank =
        Arbitraries.of("", "\n", "\n\n  \n", "\r\n")
            .map(b -> new Fuzz("/v1/telemetry", "POST", TOKEN, List.of(), b.getBytes()));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(45, telemetry),
        net.jqwik.api.Tuple.of(35, gateway),
        net.jqwik.api.Tuple.of(5, wrongToken),
        net.jqwik.api.Tuple.of(4, noToken),
        net.jqwik.api.Tuple.of(4, get),
        net.jqwik.api.Tuple.of(3, oversize),
        net.jqwik.api.Tuple.of(4, blank));
  }

  static final String TS = "2026-06-22T14:02:50Z";

  Arbitrary<Line> telemetryLine() {
    Arbitrary<Line> valid =
        Arbitraries.of(
                "{\"schema\":\"telemetry.v1\",\"kind\":\"model_window\",\"ts\":\""
                    + TS
                    + "\",\"source\":\"@SRC@\",\"model\":\"m\",\"window_s\":10,\"requests\":%d,\"errors\":0}",
                "{\"schema\":\"telemetry.v1\",\"kind\":\"gpu\",\"ts\":\""
                    + TS
                    + "\",\"source\":\"@SRC@\",\"node\":\"n\",\"gpu\":%d,\"mem_used_mib\":1,\"mem_total_mib\":2}",
                "{\"schema\":\"telemetry.v1\",\"kind\":\"probe\",\"ts\":\""
                    + TS
                    + "\",\"source\":\"@SRC@\",\"target\":\"t\",\"model\":\"m\",\"ok\":true,\"latency_ms\":%d}",
                "{\"schema\":\"telemetry.v1\",\"kind\":\"alert\",\"ts\":\""
                    + TS
                    + "\",\"source\":\"@SRC@\",\"name\":\"A%d\",\"status\":\"firing\"}")
            .flatMap(
                template ->
                    Arbitraries.integers()
                        .between(0, 2_000_000_000)
                        .map(n -> new Line(String.format(template, n), true)));
    String base =
        "{\"schema\":\"telemetry.v1\",\"kind\":\"model_window\",\"ts\":\""
            + TS
            + "\",\"source\":\"@SRC@\",\"model\":\"m\",\"window_s\":10,";
    Arbitrary<Line> broken =
        Arbitraries.oneOf(
            Arbitraries.longs()
                .between(2_147_483_648L, Long.MAX_VALUE)
                .map(
                    n ->
                        bad(
                            "{\"schema\":\"telemetry.v1\",\"kind\":\"gpu\",\"ts\":\""
                                + TS
                                + "\",\"source\":\"@SRC@\",\"node\":\"n\",\"gpu\":"
                                + n
                                + ",\"mem_used_mib\":1,\"mem_total_mib\":2}")),
            Arbitraries.of("NaN", "Infinity", "-Infinity", "1e400", "-1e400")
                .map(
                    v ->
                        bad(
                            base
                                + "\"requests\":1,\"errors\":0,\"latency_ms\":{\"p50\":"
                                + v
                                + "}}")),
            Arbitraries.strings()
                .numeric()
                .ofMinLength(20)
                .ofMaxLength(120)
                .map(d -> bad(base + "\"requests\":9" + d + ",\"errors\":0}")),
            Arbitraries.integers()
                .between(257, 3000)
                .map(
                    n ->
                        bad(
                            base.replace("\"model\":\"m\"", "\"model\":\"" + "m".repeat(n) + "\"")
                                + "\"requests\":1,\"errors\":0}")),
            Arbitraries.integers()
                .between(65, 200)
                .map(
                    n -> bad(base + "\"requests\":1,\"errors\":0,\"infra\":{" + entries(n) + "}}")),
            Arbitraries.integers()
                .between(17, 400)
                .map(
                    n ->
                        bad(
                            base
                                + "\"requests\":1,\"errors\":0,\"x\":"
                                + "[".repeat(n)
                                + "]".repeat(n)
                                + "}")),
            Arbitraries.integers()
                .between(1, 60)
                .map(
                    cut ->
                        bad(
                            (base + "\"requests\":1,\"errors\":0}")
                                .substring(0, base.length() + cut % 20))),
            Arbitraries.strings()
                .ascii()
                .ofMinLength(1)
                .ofMaxLength(60)
                .map(s -> bad("\u0000bytes:" + s)),
            Arbitraries.strings()
                .withCharRange(' ', '~')
                .ofMinLength(1)
                .ofMaxLength(80)
                .map(s -> bad("x" + s)),
            Arbitraries.integers()
                .between(1, 1000)
                .map(
                    n ->
                        bad(
                            base.replace(TS, "2101-01-01T00:00:00Z")
                                + "\"requests\":"
                                + n
                                + ",\"errors\":0}")),
            Arbitraries.integers()
                .between(1, 1000)
                .map(n -> bad(base + "\"requests\":" + n + ",\"errors\":" + (n + 1) + "}")),
            Arbitraries.of(
                bad(base + "\"requests\":\"12\",\"errors\":0}"),
                bad("{\"schema\":\"telemetry.v2\"}"),
                bad("[]"),
                bad("null"),
                bad("{\"schema\":\"telemetry.v1\",\"kind\":\"nope\"}"),
                bad(base + "\"requests\":1,\"errors\":0,\"ts\":\"+999999999-12-31T23:59:59Z\"}")));
    Arbitrary<Line> blank = Arbitraries.of(new Line("", true), new Line("   ", true));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(50, valid),
        net.jqwik.api.Tuple.of(45, broken),
        net.jqwik.api.Tuple.of(5, blank));
  }

  Arbitrary<Line> gatewayLine() {
    Arbitrary<Line> valid =
        Arbitraries.integers()
            .between(0, 59)
            .flatMap(
                s ->
                    Arbitraries.of(200, 429, 500, 529, 0)
                        .map(
                            status ->
                                new Line(
                                    "{\"model\":\"@GW@\",\"ts\":\"2026-06-22T14:02:"
                                        + String.format("%02d", s)
                                        + "Z\",\"status\":"
                                        + status
                                        + ",\"latency_ms\":"
                                        + (s * 7.5)
                                        + ",\"error\":\"e"
                                        + (s % 3)
                                        + "\",\"tokens_out\":"
                                        + s
                                        + "}",
                                    true)));
    String base = "{\"model\":\"@GW@\",\"ts\":\"2026-06-22T14:02:10Z\",";
    Arbitrary<Line> broken =
        Arbitraries.oneOf(
            Arbitraries.of("1e400", "-5", "\"x\"", "null")
                .map(v -> bad(base + "\"status\":200,\"latency_ms\":" + v + "}")),
            Arbitraries.of("600", "-1", "3000000000", "2.5", "\"200\"")
                .map(v -> bad(base + "\"status\":" + v + ",\"latency_ms\":1}")),
            Arbitraries.of("99999999999999999999999", "-1", "1.5")
                .map(v -> bad(base + "\"status\":200,\"latency_ms\":1,\"tokens_out\":" + v + "}")),
            Arbitraries.integers()
                .between(257, 2000)
                .map(
                    n ->
                        bad(
                            "{\"model\":\""
                                + "m".repeat(n)
                                + "\",\"ts\":\"2026-06-22T14:02:10Z\",\"status\":200,\"latency_ms\":1}")),
            Arbitraries.integers()
                .between(65, 150)
                .map(
                    n ->
                        bad(
                            base
                                + "\"status\":200,\"latency_ms\":1,\"infra\":{"
                                + entries(n)
                                + "}}")),
            Arbitraries.of(
                bad(
                    "{\"model\":\"@GW@\",\"ts\":\"2101-01-01T00:00:00Z\",\"status\":200,\"latency_ms\":1}"),
                bad(
                    "{\"model\":\"@GW@\",\"ts\":\"-999999999-01-01T00:00:00Z\",\"status\":200,\"latency_ms\":1}"),
                bad("{\"model\":\"@GW@\",\"ts\":\"yesterday\",\"status\":200,\"latency_ms\":1}")),
            Arbitraries.strings()
                .withCharRange(' ', '~')
                .ofMinLength(1)
                .ofMaxLength(80)
                .map(s -> bad("x" + s)),
            Arbitraries.strings()
                .ascii()
                .ofMinLength(1)
                .ofMaxLength(60)
                .map(s -> bad("\u0000bytes:" + s)));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(55, valid), net.jqwik.api.Tuple.of(45, broken));
  }

  private static Line bad(String text) {
    return new Line(text, false);
  }

  private static String entries(int n) {
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> "\"k" + i + "\":\"v\"")
        .collect(Collectors.joining(","));
  }
}
