package dev.faultline.storage.consumer;

import dev.faultline.storage.write.IncidentWriter;
import dev.faultline.storage.write.Retrier;
import dev.faultline.storage.write.TelemetryWriter;
import dev.faultline.storage.write.WriteRetry;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Stores a batch with the idempotent writers ({@link TelemetryWriter}, {@link IncidentWriter}) in
 * one transaction, in one attempt: the {@link StorageConsumer} does the backing off, so that it
 * keeps polling (and stays in its group) while the database is away.
 */
public final class DatabaseBatchStore implements BatchStore {

  private static final WriteRetry ONE_ATTEMPT = new WriteRetry(Duration.ZERO, Duration.ZERO, 1);

  private final DataSource dataSource;
  private final Retrier retrier = new Retrier(ONE_ATTEMPT);

  public DatabaseBatchStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void store(StoredBatch batch) throws InterruptedException {
    if (batch.size() == 0) {
      return;
    }
    retrier.inTransaction(
        dataSource,
        "writing "
            + batch.telemetry().size()
            + " telemetry and "
            + batch.incidents().size()
            + " incident records",
        c -> {
          if (!batch.telemetry().isEmpty()) {
            TelemetryWriter.writeIn(c, batch.telemetry());
          }
          if (!batch.incidents().isEmpty()) {
            IncidentWriter.writeIn(c, batch.incidents());
          }
        });
  }
}
