package dev.faultline.storage;

import dev.faultline.storage.schema.Flavor;
import java.util.List;

/** The storage contract on plain PostgreSQL (the embedded server, a database of its own). */
class PostgresStorageIT extends StorageContract {

  @Override
  protected StorageConfig freshDatabase() throws Exception {
    return TestDatabases.fresh("storage_contract");
  }

  @Override
  protected Flavor expectedFlavor() {
    return Flavor.POSTGRES;
  }

  @Override
  protected List<String> expectedVersions() {
    return List.of("1", "2", "3", "4", "5", "6", "7");
  }
}
