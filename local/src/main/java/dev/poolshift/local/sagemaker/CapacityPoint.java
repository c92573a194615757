package dev.poolshift.local.sagemaker;

/**
 * One step of an instance type's capacity timeline: from {@code atSeconds} after the simulation
 * start, {@code count} instances of the type are obtainable in total (the region's free capacity
 * for this account). Running instances hold units; released instances free them.
 */
public record CapacityPoint(long atSeconds, int count) {
  public CapacityPoint {
    if (atSeconds < 0) {
      throw new IllegalArgumentException("capacity point time must be >= 0 s, got " + atSeconds);
    }
    if (count < 0) {
      throw new IllegalArgumentException("capacity count must be >= 0, got " + count);
    }
  }

  /** {@code point(3600, 8)}: from one hour in, 8 instances in total. */
  public static CapacityPoint point(long atSeconds, int count) {
    return new CapacityPoint(atSeconds, count);
  }
}
