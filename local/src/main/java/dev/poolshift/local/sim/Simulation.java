package dev.poolshift.local.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Virtual time for the whole local runtime.
 *
 * <p>Work runs in <em>activities</em> (virtual threads started with {@link #spawn}): a Step
 * Functions execution, an EventBridge delivery, a SageMaker endpoint's lifecycle. An activity
 * waits only through {@link Mailbox#take} or {@link #sleepUntil}; while it waits it does not count
 * as active.
 *
 * <p>In {@link Mode#DISCRETE} mode time moves only inside {@link #runUntil}: whenever no activity
 * is running, the clock jumps to the earliest timer and fires it. A one-hour Wait costs
 * microseconds, and because same-time timers fire one at a time, each after the previous one's
 * consequences have settled, runs are repeatable. In {@link Mode#REAL_TIME} mode (for {@code
 * serve}) virtual time is wall time multiplied by a speed factor and a ticker thread fires timers
 * when they fall due.
 *
 * <p>Rules for code running on the simulation: never block on anything but a {@link Mailbox} or
 * {@link #sleepUntil} inside an activity (a synchronous call into a local service over loopback is
 * fine: the calling activity stays active until it returns); code that is not an activity (HTTP
 * server threads, timer actions) must never wait on the simulation, only {@link Mailbox#offer} or
 * {@link #spawn}.
 */
public final class Simulation implements AutoCloseable {

  /** How virtual time advances. */
  public enum Mode {
    /** Jump to the next timer whenever nothing is running. */
    DISCRETE,
    /** Virtual time = start + wall time elapsed x speed. */
    REAL_TIME
  }

  /** The instant every discrete simulation starts at unless told otherwise. */
  public static final Instant DEFAULT_EPOCH = Instant.parse("2026-06-01T12:00:00Z");

  private static final ThreadLocal<Activity> CURRENT = new ThreadLocal<>();

  final ReentrantLock lock = new ReentrantLock();
  private final Condition quiescent = lock.newCondition();
  private final Condition timersChanged = lock.newCondition();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private final List<Throwable> failures = new ArrayList<>();
  private final Mode mode;
  /** DISCRETE only: timers due at the same instant fire together (see {@link #discreteConcurrent}). */
  private final boolean concurrentInstants;
  private final double speed;
  private final Instant startVirtual;
  /** Wall-clock origin of REAL_TIME mode; -1 while the clock is paused (not started yet). */
  private volatile long startNanos;
  private final Thread ticker;
  private Instant now;
  private int active;
  private volatile boolean closed;

  private Simulation(Mode mode, Instant start, double speed, boolean paused) {
    this(mode, start, speed, paused, false);
  }

  private Simulation(Mode mode, Instant start, double speed, boolean paused, boolean concurrentInstants) {
    this.mode = mode;
    this.concurrentInstants = concurrentInstants;
    this.speed = speed;
    this.startVirtual = start;
    this.startNanos = paused ? -1 : System.nanoTime();
    this.now = start;
    if (mode == Mode.REAL_TIME) {
      ticker = Thread.ofPlatform().daemon().name("sim-ticker").start(this::tick);
    } else {
      ticker = null;
    }
  }

  /** A simulation whose clock only moves inside {@link #runUntil}, starting at {@code start}. */
  public static Simulation discrete(Instant start) {
    return new Simulation(Mode.DISCRETE, start, 1.0, false);
  }

  /**
   * A discrete simulation in which all timers due at the same instant fire together, their
   * activities running in parallel, before the clock waits for quiescence: a fleet of identical
   * rollouts moves in lockstep, and one at a time it would use one core. What happens at
   * different instants keeps its order; the order among activities of one instant is the
   * scheduler's, so a run is repeatable in its outcomes but not in every interleaving (request
   * ids, which of two same-instant writers wins). For benchmarks, not for rehearsals that must
   * replay exactly.
   */
  public static Simulation discreteConcurrent(Instant start) {
    return new Simulation(Mode.DISCRETE, start, 1.0, false, true);
  }

  /** A simulation whose clock follows the wall clock, {@code speed} times faster. */
  public static Simulation realTime(Instant start, double speed) {
    return realTime(start, speed, false);
  }

  /**
   * A real-time simulation whose clock stays at {@code start} until {@link #startClock()} when
   * {@code paused}: set-up that takes wall time (loading the template, seeding a world) must
   * not eat into a scenario's timeline, which at x600 turns three wall seconds into half an hour.
   */
  public static Simulation realTime(Instant start, double speed, boolean paused) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be > 0, got " + speed);
    }
    return new Simulation(Mode.REAL_TIME, start, speed, paused);
  }

  /** Starts a paused real-time clock (no effect otherwise). */
  public void startClock() {
    lock.lock();
    try {
      if (startNanos < 0) {
        startNanos = System.nanoTime();
        timersChanged.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  public Mode mode() {
    return mode;
  }

  /** The current virtual instant. */
  public Instant now() {
    if (mode == Mode.REAL_TIME) {
      long origin = startNanos;
      if (origin < 0) {
        return startVirtual;
      }
      long elapsed = (long) ((System.nanoTime() - origin) * speed);
      return startVirtual.plusNanos(elapsed);
    }
    lock.lock();
    try {
      return now;
    } finally {
      lock.unlock();
    }
  }

  /** A {@link Clock} view of virtual time, for code that wants one. */
  public Clock clock() {
    return new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        throw new UnsupportedOperationException("virtual clock is UTC");
      }

      @Override
      public Instant instant() {
        return now();
      }
    };
  }

  /** Seconds of virtual time since the simulation started. */
  public double elapsedSeconds() {
    return Duration.between(startVirtual, now()).toNanos() / 1e9;
  }

  public Instant start() {
    return startVirtual;
  }

  // ---------------------------------------------------------------- activities

  /** Starts {@code body} as a new activity. Callable from any thread. */
  public Activity spawn(String name, Runnable body) {
    Activity activity = new Activity(this, name);
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("simulation is closed");
      }
      active++;
    } finally {
      lock.unlock();
    }
    activity.thread = Thread.ofVirtual().name(name).start(() -> run(activity, body));
    return activity;
  }

  private void run(Activity activity, Runnable body) {
    CURRENT.set(activity);
    try {
      body.run();
    } catch (ActivityCancelledException expected) {
      // the activity was cancelled while waiting: its owner already knows
    } catch (Throwable t) {
      lock.lock();
      try {
        failures.add(new IllegalStateException("activity '" + activity.name() + "' failed", t));
      } finally {
        lock.unlock();
      }
    } finally {
      CURRENT.remove();
      lock.lock();
      try {
        activity.finished = true;
        active--;
        if (active == 0) {
          quiescent.signalAll();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** The activity the calling thread runs, or {@code null} for other threads. */
  public static Activity currentActivity() {
    return CURRENT.get();
  }

  /** Parks the calling activity until virtual time {@code until}. */
  public void sleepUntil(Instant until) {
    new Mailbox<Void>(this).take(until);
  }

  /** Parks the calling activity for {@code duration} of virtual time. */
  public void sleep(Duration duration) {
    sleepUntil(now().plus(duration));
  }

  // ---------------------------------------------------------------- timers

  /**
   * Runs {@code action} as a new activity at virtual time {@code at} (at once if that has passed).
   * The returned handle cancels it if it has not fired yet.
   */
  public Timer at(Instant at, String name, Runnable action) {
    return schedule(at, () -> spawnLocked(name, action));
  }

  /** Like {@link #at} but relative to now. */
  public Timer after(Duration delay, String name, Runnable action) {
    return at(now().plus(delay), name, action);
  }

  /** Adds a timer whose action runs under the simulation lock: it must be quick and never wait. */
  Timer schedule(Instant at, Runnable lockedAction) {
    Timer timer = new Timer(this, at, sequence.incrementAndGet(), lockedAction);
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("simulation is closed");
      }
      timers.add(timer);
      timersChanged.signalAll();
    } finally {
      lock.unlock();
    }
    return timer;
  }

  private void spawnLocked(String name, Runnable action) {
    // Called with the lock held; spawn() re-acquires it (ReentrantLock), which is fine.
    spawn(name, action);
  }

  /** Called with the lock held by a waker: the woken activity is runnable again. */
  void markRunnable() {
    active++;
  }

  /** Called with the lock held by an activity about to park. */
  void markParked() {
    active--;
    if (active == 0) {
      quiescent.signalAll();
    }
  }

  // ---------------------------------------------------------------- driving

  /**
   * Advances virtual time until {@code done} holds at a quiescent point, nothing is left to do,
   * or virtual time would pass {@code limit}. Returns whether {@code done} held. Only the driver
   * (a thread that is not an activity) calls this.
   */
  public boolean runUntil(BooleanSupplier done, Instant limit) {
    if (CURRENT.get() != null) {
      throw new IllegalStateException("an activity cannot drive the simulation");
    }
    if (mode == Mode.REAL_TIME) {
      return waitRealTime(done, limit);
    }
    lock.lock();
    try {
      while (true) {
        awaitQuiescence();
        rethrowFailures();
        if (done.getAsBoolean()) {
          return true;
        }
        Timer next = nextLiveTimer();
        if (next == null || next.at.isAfter(limit)) {
          if (limit.isAfter(now) && next != null) {
            now = limit;
          }
          return done.getAsBoolean();
        }
        timers.poll();
        if (next.at.isAfter(now)) {
          now = next.at;
        }
        next.fired = true;
        next.action.run();
        while (concurrentInstants) {
          Timer same = nextLiveTimer();
          if (same == null || !same.at.equals(next.at)) {
            break;
          }
          timers.poll();
          same.fired = true;
          same.action.run();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Runs until nothing is running and no timer is left (or the limit is reached). */
  public void runUntilIdle(Instant limit) {
    runUntil(() -> false, limit);
  }

  /** Runs everything due within {@code duration} of virtual time from now. */
  public void advance(Duration duration) {
    Instant limit = now().plus(duration);
    runUntil(() -> false, limit);
    lock.lock();
    try {
      if (mode == Mode.DISCRETE && now.isBefore(limit)) {
        now = limit;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether no activity is running right now (timers may be pending). */
  public boolean isQuiescent() {
    lock.lock();
    try {
      return active == 0;
    } finally {
      lock.unlock();
    }
  }

  /** Number of timers not yet fired or cancelled. */
  public int pendingTimers() {
    lock.lock();
    try {
      return (int) timers.stream().filter(t -> !t.cancelled && !t.fired).count();
    } finally {
      lock.unlock();
    }
  }

  private void awaitQuiescence() {
    while (active > 0) {
      quiescent.awaitUninterruptibly();
    }
  }

  private Timer nextLiveTimer() {
    while (!timers.isEmpty() && timers.peek().cancelled) {
      timers.poll();
    }
    return timers.peek();
  }

  private boolean waitRealTime(BooleanSupplier done, Instant limit) {
    while (!done.getAsBoolean()) {
      rethrowFailures();
      if (!now().isBefore(limit)) {
        return done.getAsBoolean();
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return done.getAsBoolean();
      }
    }
    rethrowFailures();
    return true;
  }

  private void tick() {
    lock.lock();
    try {
      while (!closed) {
        if (startNanos < 0) {
          timersChanged.awaitUninterruptibly();
          continue;
        }
        Timer next = nextLiveTimer();
        if (next == null) {
          timersChanged.awaitUninterruptibly();
          continue;
        }
        Duration wait = Duration.between(now(), next.at);
        if (!wait.isNegative() && !wait.isZero()) {
          long wallNanos = (long) (wait.toNanos() / speed);
          try {
            timersChanged.awaitNanos(Math.max(1, wallNanos));
          } catch (InterruptedException e) {
            return;
          }
          continue;
        }
        timers.poll();
        next.fired = true;
        try {
          next.action.run();
        } catch (RuntimeException e) {
          failures.add(e);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Failures of activities so far (an activity that threw is a bug in the runtime or a test). */
  public List<Throwable> failures() {
    lock.lock();
    try {
      return List.copyOf(failures);
    } finally {
      lock.unlock();
    }
  }

  private void rethrowFailures() {
    if (!failures.isEmpty()) {
      Throwable first = failures.get(0);
      IllegalStateException e = new IllegalStateException(
          failures.size() + " simulation activit" + (failures.size() == 1 ? "y" : "ies") + " failed",
          first);
      failures.stream().skip(1).forEach(e::addSuppressed);
      failures.clear();
      throw e;
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      timers.clear();
      timersChanged.signalAll();
    } finally {
      lock.unlock();
    }
    if (ticker != null) {
      ticker.interrupt();
    }
  }

  /** A scheduled action; {@link #cancel()} stops it if it has not fired. */
  public static final class Timer implements Comparable<Timer> {
    private final Simulation owner;
    final Instant at;
    final long seq;
    final Runnable action;
    boolean cancelled;
    boolean fired;

    Timer(Simulation owner, Instant at, long seq, Runnable action) {
      this.owner = owner;
      this.at = at;
      this.seq = seq;
      this.action = action;
    }

    public Instant at() {
      return at;
    }

    /** Returns true if the timer had not fired yet. */
    public boolean cancel() {
      owner.lock.lock();
      try {
        cancelled = true;
        return !fired;
      } finally {
        owner.lock.unlock();
      }
    }

    @Override
    public int compareTo(Timer o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
