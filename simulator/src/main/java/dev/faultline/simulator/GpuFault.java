package dev.faultline.simulator;

import java.time.Duration;
import java.util.List;

/**
 * Frame-buffer pressure on some GPU hosts: memory climbs linearly from its baseline at {@code
 * rampFrom} to {@code peakRatio} at {@code peakAt}, stays there until {@code to}, then returns to
 * baseline. From {@code xidFrom} (if not null) to {@code to}, samples report XID {@code xid}.
 */
public record GpuFault(
    List<String> nodes,
    Duration rampFrom,
    Duration peakAt,
    Duration to,
    double peakRatio,
    Duration xidFrom,
    int xid) {

  public GpuFault {
    nodes = List.copyOf(nodes);
    if (peakRatio <= 0 || peakRatio > 1) {
      throw new IllegalArgumentException("peakRatio must be within (0, 1], was " + peakRatio);
    }
  }

  /** Memory ratio at this offset, given the host's own baseline. */
  public double memRatio(Duration offset, double baseline) {
    if (offset.compareTo(rampFrom) < 0 || offset.compareTo(to) >= 0) {
      return baseline;
    }
    if (offset.compareTo(peakAt) >= 0) {
      return peakRatio;
    }
    double progress =
        (double) offset.minus(rampFrom).toMillis() / peakAt.minus(rampFrom).toMillis();
    return baseline + (peakRatio - baseline) * progress;
  }

  /** The XID error code reported at this offset, or 0. */
  public int xidAt(Duration offset) {
    return xidFrom != null && offset.compareTo(xidFrom) >= 0 && offset.compareTo(to) < 0 ? xid : 0;
  }

  /** Whether the fault changes the host's samples at this offset. */
  public boolean activeAt(Duration offset) {
    return offset.compareTo(rampFrom) >= 0 && offset.compareTo(to) < 0;
  }
}
