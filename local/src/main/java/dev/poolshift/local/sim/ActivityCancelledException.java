package dev.poolshift.local.sim;

/** Thrown out of a wait when the waiting {@link Activity} was cancelled. */
public final class ActivityCancelledException extends RuntimeException {
  public ActivityCancelledException(String activity) {
    super("activity '" + activity + "' was cancelled", null, false, false);
  }
}
