package dev.faultline.simulator;

import dev.faultline.contract.Sleeper;
import dev.faultline.contract.Telemetry;
import dev.faultline.contract.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a scenario to the telemetry topic as it happens: a record stamped with event time
 * {@code e} is sent when the injected {@link Clock} reaches it (divided by the speed-up), keyed by
 * {@link Telemetry#key()} through an idempotent producer.
 *
 * <p>For a demo, {@link Config#onsetAfter()} shifts the scenario so that its first fault begins
 * that long after {@link #start()}; the history before "now" (the baseline an engine learns from)
 * is published at once when {@link Config#backfill()} is set, and skipped otherwise.
 *
 * <pre>{@code
 * var config = LiveSimulator.Config.demo(bootstrap, "seed-outage");   // onset 45 s after start
 * try (var live = new LiveSimulator(config, Clock.systemUTC(), Sleeper.system())) {
 *   live.start();            // background thread; or live.run() to block until done
 *   ...
 * }
 * }</pre>
 */
public final class LiveSimulator implements AutoCloseable {

  /**
   * How to run.
   *
   * @param bootstrapServers Kafka bootstrap servers
   * @param scenario scenario name, classic or real-fleet (see {@link Scenario#catalogNames()})
   * @param seed seed of the run
   * @param duration event-time length of the run; null for the scenario's default
   * @param speedUp event seconds per wall second (1 = real time)
   * @param onsetAfter if not null, the first fault begins this long (in wall time) after start; if
   *     null, the scenario starts at the clock's current time
   * @param backfill whether records stamped before the start are published at once (true) or
   *     skipped (false)
   */
  public record Config(
      String bootstrapServers,
      String scenario,
      long seed,
      Duration duration,
      double speedUp,
      Duration onsetAfter,
      boolean backfill) {

    public Config {
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      Scenario.named(scenario);
      if (!(speedUp > 0)) {
        throw new IllegalArgumentException("speedUp must be positive, was " + speedUp);
      }
      if (onsetAfter != null && onsetAfter.isNegative()) {
        throw new IllegalArgumentException("onsetAfter must not be negative, was " + onsetAfter);
      }
    }

    /** Real time, the first fault 45 s after start, the baseline before it backfilled. */
    public static Config demo(String bootstrapServers, String scenario) {
      return new Config(
          bootstrapServers,
          scenario,
          Simulator.DEFAULT_SEED,
          null,
          1.0,
          Duration.ofSeconds(45),
          true);
    }
  }

  private final Config config;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Producer<String, Telemetry> producer;
  private final Simulator simulator;
  private final Instant wallStart;
  private final Instant eventAnchor;
  private final AtomicLong published = new AtomicLong();
  private volatile boolean stopping;
  private volatile Throwable failure;
  private Thread thread;

  /** Publishes through a new idempotent producer to {@link Config#bootstrapServers()}. */
  public LiveSimulator(Config config, Clock clock, Sleeper sleeper) {
    this(config, clock, sleeper, newProducer(config.bootstrapServers()));
  }

  /** Publishes through the given producer, which this simulator closes. */
  public LiveSimulator(
      Config config, Clock clock, Sleeper sleeper, Producer<String, Telemetry> producer) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.producer = Objects.requireNonNull(producer, "producer");
    this.wallStart = clock.instant();
    // Event time equals wall time at the start; it then runs speedUp times faster.
    this.eventAnchor = wallStart;
    Scenario scenario = Scenario.named(config.scenario());
    Duration duration = config.duration() == null ? scenario.defaultDuration() : config.duration();
    Instant scenarioStart = wallStart;
    if (config.onsetAfter() != null && scenario.firstOnset().isPresent()) {
      Duration eventLead = scaled(config.onsetAfter(), config.speedUp());
      scenarioStart = wallStart.plus(eventLead).minus(scenario.firstOnset().get());
    }
    this.simulator =
        Simulator.of(scenario)
            .withSeed(config.seed())
            .withDuration(duration)
            .withStart(scenarioStart.truncatedTo(ChronoUnit.SECONDS));
  }

  /** An idempotent, keyed producer of the telemetry topic. */
  public static Producer<String, Telemetry> newProducer(String bootstrapServers) {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.CLIENT_ID_CONFIG,
            "faultline-simulator");
    return new KafkaProducer<>(
        props, new StringSerializer(), Topics.TELEMETRY.valueSerde().serializer());
  }

  /** The run being published (its start, duration and {@link Simulator#expected()} truth). */
  public Simulator simulator() {
    return simulator;
  }

  /** The ground truth of this run, in the shifted event time. */
  public List<Expected> expected() {
    return simulator.expected();
  }

  /** Records sent so far. */
  public long published() {
    return published.get();
  }

  /** Starts publishing on a background thread. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    thread = new Thread(this::runCatching, "faultline-live-simulator");
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether the background run has finished (all records sent, stopped, or failed). */
  public boolean isDone() {
    Thread t = thread;
    return t != null && !t.isAlive();
  }

  /** Waits for the background run to finish; returns whether it did within the timeout. */
  public boolean await(Duration timeout) throws InterruptedException {
    Thread t = thread;
    if (t == null) {
      throw new IllegalStateException("not started");
    }
    t.join(Math.max(1, timeout.toMillis()));
    if (failure != null) {
      throw new IllegalStateException("live simulator failed", failure);
    }
    return !t.isAlive();
  }

  /**
   * Publishes every record on the calling thread, each when the clock reaches its time; returns how
   * many were sent. Stops early (between records) when {@link #close()} is called.
   */
  public long run() throws InterruptedException {
    Iterator<Telemetry> records = simulator.iterator();
    while (records.hasNext() && !stopping) {
      Telemetry record = records.next();
      if (record.ts().isBefore(simulator.start()) || record.ts().isAfter(simulator.end())) {
        // A record with a broken clock (a BadClock): it arrives with its neighbours.
        send(record);
        continue;
      }
      if (record.ts().isBefore(eventAnchor)) {
        if (config.backfill()) {
          send(record);
        }
        continue;
      }
      waitUntil(wallTimeOf(record.ts()));
      if (!stopping) {
        send(record);
      }
    }
    producer.flush();
    return published.get();
  }

  private void runCatching() {
    try {
      run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  private void send(Telemetry record) {
    producer.send(new ProducerRecord<>(Topics.TELEMETRY.name(), record.key(), record));
    published.incrementAndGet();
  }

  /** Wall time at which a record stamped {@code eventTime} is due. */
  private Instant wallTimeOf(Instant eventTime) {
    Duration sinceAnchor = Duration.between(eventAnchor, eventTime);
    // Rounded up, so that a record is never sent before its time.
    return wallStart.plusNanos((long) Math.ceil(sinceAnchor.toNanos() / config.speedUp()));
  }

  private void waitUntil(Instant due) throws InterruptedException {
    Duration wait = Duration.between(clock.instant(), due);
    if (wait.compareTo(Duration.ZERO) > 0) {
      // Send what is batched before waiting, so consumers see records when they are due.
      producer.flush();
      sleeper.sleep(wait);
    }
  }

  private static Duration scaled(Duration d, double factor) {
    return Duration.ofNanos(Math.round(d.toNanos() * factor));
  }

  /** Stops publishing, waits for the background thread, and closes the producer. */
  @Override
  public void close() {
    stopping = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    producer.close(Duration.ofSeconds(10));
  }
}
