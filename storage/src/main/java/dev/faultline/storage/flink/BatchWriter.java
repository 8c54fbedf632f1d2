package dev.faultline.storage.flink;

import java.util.List;

/** Writes one batch durably before returning (blocking, retrying while the database is away). */
@FunctionalInterface
interface BatchWriter<T> {
  void write(List<T> batch) throws InterruptedException;
}
