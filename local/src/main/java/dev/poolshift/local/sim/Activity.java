package dev.poolshift.local.sim;

/**
 * A unit of concurrent work on the {@link Simulation}: one virtual thread. Cancelling it makes its
 * current or next wait throw {@link ActivityCancelledException}; code that is running (a Lambda
 * handler, say) is not interrupted, as AWS does not stop a running function either.
 */
public final class Activity {
  private final Simulation sim;
  private final String name;
  volatile Thread thread;
  boolean cancelled;
  boolean finished;
  Mailbox.Waiter parkedOn;

  Activity(Simulation sim, String name) {
    this.sim = sim;
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Cancels the activity: a wait in progress ends at once with {@link ActivityCancelledException}. */
  public void cancel() {
    sim.lock.lock();
    try {
      if (cancelled || finished) {
        return;
      }
      cancelled = true;
      if (parkedOn != null) {
        parkedOn.wake(Mailbox.Waiter.CANCELLED);
      }
    } finally {
      sim.lock.unlock();
    }
  }

  public boolean isCancelled() {
    sim.lock.lock();
    try {
      return cancelled;
    } finally {
      sim.lock.unlock();
    }
  }

  public boolean isFinished() {
    sim.lock.lock();
    try {
      return finished;
    } finally {
      sim.lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "Activity[" + name + "]";
  }
}
