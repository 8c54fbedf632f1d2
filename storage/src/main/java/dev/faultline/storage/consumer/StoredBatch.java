package dev.faultline.storage.consumer;

import dev.faultline.contract.Incident;
import dev.faultline.contract.Telemetry;
import java.util.List;

/** The decoded records of one batch, in the order they were read per partition. */
public record StoredBatch(List<Telemetry> telemetry, List<Incident> incidents) {

  public StoredBatch {
    telemetry = List.copyOf(telemetry);
    incidents = List.copyOf(incidents);
  }

  /** How many records the batch holds. */
  public int size() {
    return telemetry.size() + incidents.size();
  }
}
