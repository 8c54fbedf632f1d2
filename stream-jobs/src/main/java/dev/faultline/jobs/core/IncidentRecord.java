package dev.faultline.jobs.core;

import dev.faultline.contract.Incident;
import dev.faultline.contract.IncidentCodec;

/** An emitted {@code incident.v1} record in wire form, keyed by incident id. */
public class IncidentRecord {

  public String id;
  public String json;

  public IncidentRecord() {}

  public static IncidentRecord of(Incident incident) {
    IncidentRecord r = new IncidentRecord();
    r.id = incident.id();
    r.json = IncidentCodec.encode(incident);
    return r;
  }

  public Incident incident() {
    return IncidentCodec.decode(json);
  }

  @Override
  public String toString() {
    return json;
  }
}
