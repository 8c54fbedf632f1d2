package dev.faultline.storage.flink;

import com.zaxxer.hikari.HikariDataSource;
import dev.faultline.storage.Storage;
import dev.faultline.storage.StorageConfig;
import dev.faultline.storage.write.IncidentWriter;
import dev.faultline.storage.write.Retrier;
import dev.faultline.storage.write.TelemetryWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Flink sink that buffers records and writes them in batches through the storage writers: when
 * the batch is full, when it has waited {@link #LINGER_MS}, and on every checkpoint ({@code
 * flush}), so a checkpoint completes only once everything before it is in the database. After a
 * failure Flink replays from the last checkpoint; the writers' natural keys make the replayed rows
 * no-ops: at-least-once delivery, effectively-once rows. While the database is away the writer
 * blocks (retrying), which back-pressures the job instead of dropping records.
 */
final class JdbcBatchSink<T> implements Sink<T> {

  /** The longest a record waits in the buffer when no checkpoint or full batch comes first. */
  static final long LINGER_MS = 1_000;

  /** Which storage writer a sink uses; an enum because the sink must be serializable. */
  enum Target {
    TELEMETRY,
    INCIDENTS
  }

  private final StorageConfig config;
  private final Target target;

  JdbcBatchSink(StorageConfig config, Target target) {
    this.config = config;
    this.target = target;
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
    String name =
        "faultline-sink-"
            + target.name().toLowerCase(java.util.Locale.ROOT)
            + "-"
            + context.getTaskInfo().getIndexOfThisSubtask();
    // One connection per subtask: writes of a subtask are sequential anyway.
    HikariDataSource ds = Storage.dataSource(config, 1, name);
    Retrier retrier = new Retrier(config.retry());
    BatchWriter<T> writer = batchWriter(ds, retrier);
    return new Writer<>(ds, writer, config.writeBatchSize(), context.getProcessingTimeService());
  }

  @SuppressWarnings("unchecked")
  private BatchWriter<T> batchWriter(HikariDataSource ds, Retrier retrier) {
    return switch (target) {
      case TELEMETRY -> {
        TelemetryWriter w = new TelemetryWriter(ds, retrier);
        yield batch -> w.write((List<dev.faultline.contract.Telemetry>) batch);
      }
      case INCIDENTS -> {
        IncidentWriter w = new IncidentWriter(ds, retrier);
        yield batch -> w.write((List<dev.faultline.contract.Incident>) batch);
      }
    };
  }

  /** Buffers and writes; runs in the task's mailbox thread, timers included. */
  static final class Writer<T> implements SinkWriter<T> {

    private final HikariDataSource dataSource;
    private final BatchWriter<T> writer;
    private final int batchSize;
    private final ProcessingTimeService time;
    private final List<T> buffer = new ArrayList<>();
    private boolean lingerTimerSet;

    Writer(
        HikariDataSource dataSource,
        BatchWriter<T> writer,
        int batchSize,
        ProcessingTimeService time) {
      this.dataSource = dataSource;
      this.writer = writer;
      this.batchSize = batchSize;
      this.time = time;
    }

    @Override
    public void write(T element, Context context) throws InterruptedException {
      buffer.add(element);
      if (buffer.size() >= batchSize) {
        writeBuffer();
      } else if (!lingerTimerSet) {
        lingerTimerSet = true;
        time.registerTimer(
            time.getCurrentProcessingTime() + LINGER_MS,
            t -> {
              lingerTimerSet = false;
              writeBuffer();
            });
      }
    }

    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
      writeBuffer();
    }

    private void writeBuffer() throws InterruptedException {
      if (buffer.isEmpty()) {
        return;
      }
      writer.write(List.copyOf(buffer));
      buffer.clear();
    }

    @Override
    public void close() {
      dataSource.close();
    }
  }
}
