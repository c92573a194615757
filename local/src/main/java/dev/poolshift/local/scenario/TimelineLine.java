package dev.poolshift.local.scenario;

/**
 * One line of a rehearsal's timeline: what happened, {@code atSeconds} of virtual time after the
 * scenario's start. {@code run} prints these as the run reaches them and the report keeps them.
 */
public record TimelineLine(double atSeconds, String text) {

  /** {@code +H:MM:SS} of the line's virtual time. */
  public String clock() {
    return clock(atSeconds);
  }

  /** {@code +H:MM:SS} of {@code seconds} of virtual time (fractions dropped). */
  public static String clock(double seconds) {
    long s = (long) Math.floor(seconds);
    return String.format("+%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }

  /** The line as {@code run} prints it. */
  public String formatted() {
    return String.format("%10s  %s", clock(), text);
  }
}
