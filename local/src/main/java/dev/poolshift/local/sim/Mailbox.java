package dev.poolshift.local.sim;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;

/**
 * The one way to wait on the {@link Simulation}: an activity {@link #take}s a message, parking
 * until one is {@link #offer}ed (from any thread) or a virtual deadline passes. Messages are kept
 * in order; at most one activity takes from a mailbox at a time.
 */
public final class Mailbox<T> {
  private final Simulation sim;
  private final ArrayDeque<T> messages = new ArrayDeque<>();
  private Waiter waiter;

  public Mailbox(Simulation sim) {
    this.sim = sim;
  }

  /** Delivers a message; wakes the activity taking from this mailbox, if any. Never blocks. */
  public void offer(T message) {
    sim.lock.lock();
    try {
      messages.add(message);
      if (waiter != null) {
        waiter.wake(Waiter.DELIVERED);
      }
    } finally {
      sim.lock.unlock();
    }
  }

  /** Takes a message without waiting. */
  public Optional<T> poll() {
    sim.lock.lock();
    try {
      return Optional.ofNullable(messages.poll());
    } finally {
      sim.lock.unlock();
    }
  }

  /** Whether a message is waiting. */
  public boolean isEmpty() {
    sim.lock.lock();
    try {
      return messages.isEmpty();
    } finally {
      sim.lock.unlock();
    }
  }

  /**
   * Parks the calling activity until a message arrives or virtual time reaches {@code deadline}
   * ({@code null} = no deadline). Returns the message, or empty on timeout.
   *
   * @throws ActivityCancelledException if the calling activity is or gets cancelled
   */
  public Optional<T> take(Instant deadline) {
    Activity self = Simulation.currentActivity();
    if (self == null) {
      throw new IllegalStateException(
          "only a simulation activity may wait (thread " + Thread.currentThread().getName() + ")");
    }
    sim.lock.lock();
    try {
      if (self.cancelled) {
        throw new ActivityCancelledException(self.name());
      }
      if (!messages.isEmpty()) {
        return Optional.of(messages.poll());
      }
      if (deadline != null && !deadline.isAfter(sim.now())) {
        return Optional.empty();
      }
      if (waiter != null) {
        throw new IllegalStateException("two activities wait on one mailbox");
      }
      Waiter w = new Waiter(sim, sim.lock.newCondition());
      waiter = w;
      self.parkedOn = w;
      Simulation.Timer timer = deadline == null ? null : sim.schedule(deadline, () -> w.wake(Waiter.TIMED_OUT));
      sim.markParked();
      try {
        while (w.state == Waiter.WAITING) {
          w.condition.awaitUninterruptibly();
        }
      } finally {
        waiter = null;
        self.parkedOn = null;
        if (timer != null) {
          timer.cancelled = true;
        }
      }
      return switch (w.state) {
        case Waiter.DELIVERED -> Optional.ofNullable(messages.poll());
        case Waiter.TIMED_OUT -> Optional.empty();
        default -> throw new ActivityCancelledException(self.name());
      };
    } finally {
      sim.lock.unlock();
    }
  }

  /** Like {@link #take(Instant)} with no deadline. */
  public T take() {
    return take(null).orElseThrow();
  }

  static final class Waiter {
    static final int WAITING = 0;
    static final int DELIVERED = 1;
    static final int TIMED_OUT = 2;
    static final int CANCELLED = 3;

    private final Simulation sim;
    final Condition condition;
    int state = WAITING;

    Waiter(Simulation sim, Condition condition) {
      this.sim = sim;
      this.condition = condition;
    }

    /** Called with the simulation lock held. The first wake wins. */
    void wake(int why) {
      if (state != WAITING) {
        return;
      }
      state = why;
      sim.markRunnable();
      condition.signal();
    }
  }
}
