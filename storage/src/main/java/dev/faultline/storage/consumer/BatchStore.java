package dev.faultline.storage.consumer;

/**
 * Where the {@link StorageConsumer} puts a batch: the database ({@link DatabaseBatchStore}), or in
 * tests the database with a failure injected.
 */
@FunctionalInterface
public interface BatchStore {

  /**
   * Stores the whole batch durably (all of it or none) before returning, idempotently: storing it
   * again leaves the same rows. Throws when it could not; the consumer then backs off and tries
   * again, without committing.
   */
  void store(StoredBatch batch) throws Exception;
}
