package dev.poolshift.local.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulationTest {
  private final Instant t0 = Simulation.DEFAULT_EPOCH;
  private final Simulation sim = Simulation.discrete(t0);
  private final Instant farFuture = t0.plus(Duration.ofDays(400));

  @AfterEach
  void close() {
    sim.close();
  }

  @Test
  void aOneHourSleepTakesNoWallTime() {
    AtomicReference<Instant> wokeAt = new AtomicReference<>();
    sim.spawn("sleeper", () -> {
      sim.sleep(Duration.ofHours(1));
      wokeAt.set(sim.now());
    });
    long wall = System.nanoTime();
    sim.runUntilIdle(farFuture);
    assertThat(wokeAt.get()).isEqualTo(t0.plus(Duration.ofHours(1)));
    assertThat(Duration.ofNanos(System.nanoTime() - wall)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void timersFireInTimeOrderAndSameTimeTimersInSchedulingOrder() {
    List<String> order = new CopyOnWriteArrayList<>();
    sim.at(t0.plusSeconds(20), "c", () -> order.add("c@" + sim.elapsedSeconds()));
    sim.at(t0.plusSeconds(10), "a", () -> order.add("a@" + sim.elapsedSeconds()));
    sim.at(t0.plusSeconds(10), "b", () -> order.add("b@" + sim.elapsedSeconds()));
    sim.runUntilIdle(farFuture);
    assertThat(order).containsExactly("a@10.0", "b@10.0", "c@20.0");
  }

  @Test
  void anOfferWakesTheWaiterWithoutWaitingForItsDeadline() {
    Mailbox<String> box = new Mailbox<>(sim);
    AtomicReference<String> got = new AtomicReference<>();
    AtomicReference<Instant> at = new AtomicReference<>();
    sim.spawn("waiter", () -> {
      got.set(box.take(t0.plusSeconds(3600)).orElse("timeout"));
      at.set(sim.now());
    });
    sim.at(t0.plusSeconds(5), "sender", () -> box.offer("hello"));
    sim.runUntilIdle(farFuture);
    assertThat(got.get()).isEqualTo("hello");
    assertThat(at.get()).isEqualTo(t0.plusSeconds(5));
    assertThat(sim.pendingTimers()).isZero();
  }

  @Test
  void aWaitWithoutMessageTimesOutAtItsDeadline() {
    Mailbox<String> box = new Mailbox<>(sim);
    AtomicReference<String> got = new AtomicReference<>();
    sim.spawn("waiter", () -> got.set(box.take(t0.plusSeconds(30)).orElse("timeout@" + sim.elapsedSeconds())));
    sim.runUntilIdle(farFuture);
    assertThat(got.get()).isEqualTo("timeout@30.0");
  }

  @Test
  void cancellingAParkedActivityEndsItsWaitAtOnce() {
    Mailbox<String> box = new Mailbox<>(sim);
    AtomicReference<String> outcome = new AtomicReference<>("none");
    Activity waiter = sim.spawn("waiter", () -> {
      try {
        box.take();
      } catch (ActivityCancelledException e) {
        outcome.set("cancelled@" + sim.elapsedSeconds());
        throw e;
      }
    });
    sim.at(t0.plusSeconds(7), "stopper", waiter::cancel);
    sim.runUntilIdle(farFuture);
    assertThat(outcome.get()).isEqualTo("cancelled@7.0");
    assertThat(waiter.isFinished()).isTrue();
    assertThat(sim.failures()).isEmpty();
  }

  @Test
  void runUntilStopsAtTheFirstQuiescentPointWhereTheConditionHolds() {
    AtomicReference<Integer> ticks = new AtomicReference<>(0);
    sim.spawn("ticker", () -> {
      for (int i = 0; i < 100; i++) {
        sim.sleep(Duration.ofMinutes(1));
        ticks.set(ticks.get() + 1);
      }
    });
    boolean done = sim.runUntil(() -> ticks.get() == 3, farFuture);
    assertThat(done).isTrue();
    assertThat(sim.now()).isEqualTo(t0.plus(Duration.ofMinutes(3)));
  }

  @Test
  void aFailingActivityIsReportedToTheDriver() {
    sim.spawn("broken", () -> {
      throw new IllegalArgumentException("boom");
    });
    assertThatThrownBy(() -> sim.runUntilIdle(farFuture))
        .hasMessageContaining("1 simulation activity failed")
        .hasRootCauseMessage("boom");
  }

  @Test
  void onlyActivitiesMayWait() {
    Mailbox<String> box = new Mailbox<>(sim);
    assertThatThrownBy(box::take).hasMessageContaining("only a simulation activity may wait");
  }

  @Test
  void realTimeModeRunsVirtualTimeFasterThanTheWallClock() {
    try (Simulation fast = Simulation.realTime(t0, 600)) {
      AtomicReference<Instant> wokeAt = new AtomicReference<>();
      fast.spawn("sleeper", () -> {
        fast.sleep(Duration.ofSeconds(60));
        wokeAt.set(fast.now());
      });
      long wall = System.nanoTime();
      assertThat(fast.runUntil(() -> wokeAt.get() != null, t0.plusSeconds(3600))).isTrue();
      Duration elapsed = Duration.ofNanos(System.nanoTime() - wall);
      assertThat(elapsed).isLessThan(Duration.ofSeconds(3));
      // Late by at most what the wall clock took beyond the sleep's 0.1 s, at 600x (a loaded
      // machine's scheduling delay shows here, multiplied; a virtual clock that ignored the
      // speed would not).
      assertThat(Duration.between(t0.plusSeconds(60), wokeAt.get()))
          .isLessThanOrEqualTo(elapsed.multipliedBy(600).plusSeconds(1));
    }
  }

  @Test
  void aPausedRealTimeClockStaysAtItsStartUntilStartedAndFiresNoTimerBefore() {
    try (Simulation paused = Simulation.realTime(t0, 600, true)) {
      AtomicReference<Instant> firedAt = new AtomicReference<>();
      paused.at(t0.plusSeconds(1), "early", () -> firedAt.set(paused.now()));
      // wall time passes during set-up; virtual time must not
      assertThat(paused.runUntil(() -> firedAt.get() != null, t0)).isFalse();
      assertThat(paused.now()).isEqualTo(t0);
      assertThat(firedAt.get()).isNull();

      paused.startClock();
      assertThat(paused.runUntil(() -> firedAt.get() != null, t0.plusSeconds(3600))).isTrue();
      assertThat(Duration.between(t0.plusSeconds(1), firedAt.get())).isLessThan(Duration.ofSeconds(30));
    }
  }
}
