package dev.poolshift.local.sim;

import java.time.Instant;

/**
 * One simulation timer kept aimed at the earliest moment something is due (the next alarm
 * evaluation, the next metric period): {@link #at} moves it, {@link #cancel} removes it.
 */
public final class WakeUp {
  private final Simulation sim;
  private final String name;
  private final Runnable action;
  private Simulation.Timer timer;
  private Instant at;

  public WakeUp(Simulation sim, String name, Runnable action) {
    this.sim = sim;
    this.name = name;
    this.action = action;
  }

  /** Fires {@code action} at {@code when} (null: never); an earlier aim is replaced. */
  public synchronized void at(Instant when) {
    if (when != null && when.equals(at)) {
      return;
    }
    cancel();
    if (when != null) {
      at = when;
      timer = sim.at(when, name, () -> {
        fired();
        action.run();
      });
    }
  }

  /** Removes the timer, if any. */
  public synchronized void cancel() {
    if (timer != null) {
      timer.cancel();
    }
    timer = null;
    at = null;
  }

  private synchronized void fired() {
    timer = null;
    at = null;
  }
}
