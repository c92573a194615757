package dev.poolshift.local.lambda;

import dev.poolshift.aws.ClientTuning;
import dev.poolshift.local.sim.Activity;
import dev.poolshift.local.sim.Simulation;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.retries.AdaptiveRetryStrategy;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * The functions' SDK retries, on the virtual clock. The SDK still decides everything it decides
 * on AWS — which errors are retried, how many attempts, the retry quota — and computes the
 * back-off with its own formula (exponential, capped at 20 s; full jitter, or half jitter for a
 * throttled call in legacy mode); only the wait is different: the calling activity parks on the
 * simulation's clock for it and the SDK is told to wait zero. A rehearsal with throttling shows
 * the retries at the instants AWS would have made them, and its wall time does not grow.
 *
 * <p>The jitter is seeded: from the rehearsal's seed, the calling activity's name and how many
 * back-offs that activity took before, so a rerun retries at the same instants.
 *
 * <p>Found by {@link dev.poolshift.aws.AwsClients} through {@link java.util.ServiceLoader}; it does
 * nothing unless a runtime {@linkplain #attach attached} its simulation, and a client used outside
 * an activity (the {@code smoke} command, a test's own client) waits in wall time as the SDK does.
 */
public final class VirtualClockRetries implements ClientTuning {
  /** The SDK's exponential back-off ceiling, in every retry mode. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(20);
  private static final Duration BASE_DELAY = Duration.ofMillis(100);
  private static final Duration THROTTLED_BASE_LEGACY = Duration.ofMillis(500);
  private static final Duration THROTTLED_BASE_STANDARD = Duration.ofSeconds(1);
  /** The SDK stops doubling after this many attempts. */
  private static final int ATTEMPTS_CEILING = 30;

  private record Binding(Simulation sim, long seed) {}

  private static final AtomicReference<Binding> BOUND = new AtomicReference<>();
  /** Per activity (each runs on a thread of its own): how many back-offs it took so far. */
  private static final ThreadLocal<long[]> BACKOFFS = ThreadLocal.withInitial(() -> new long[1]);

  /** For {@link java.util.ServiceLoader}. */
  public VirtualClockRetries() {}

  /**
   * Makes back-offs taken inside {@code sim}'s activities wait on its clock, jittered from
   * {@code seed}, until the returned handle is closed.
   */
  public static AutoCloseable attach(Simulation sim, long seed) {
    Binding binding = new Binding(sim, seed);
    BOUND.set(binding);
    return () -> BOUND.compareAndSet(binding, null);
  }

  @Override
  public void tune(ClientOverrideConfiguration.Builder overrides) {
    overrides.retryStrategy(VirtualClockRetries::onVirtualClock);
  }

  /** Keeps the mode's delays (legacy unless configured otherwise) with virtual waits. */
  static void onVirtualClock(RetryStrategy.Builder<?, ?> builder) {
    boolean legacy = !(builder instanceof StandardRetryStrategy.Builder || builder instanceof AdaptiveRetryStrategy.Builder);
    builder.backoffStrategy(new Backoff(BASE_DELAY, false));
    builder.throttlingBackoffStrategy(legacy
        ? new Backoff(THROTTLED_BASE_LEGACY, true)
        : new Backoff(THROTTLED_BASE_STANDARD, false));
  }

  /** The SDK's exponential delay (attempt 1 waits nothing; attempt n up to base x 2^(n-2)). */
  static Duration delay(int attempt, Duration base, boolean halfJitter, SplittableRandom random) {
    if (attempt <= 1) {
      return Duration.ZERO;
    }
    int doublings = Math.min(attempt, ATTEMPTS_CEILING) - 2;
    long ceiling = Math.min(base.multipliedBy(1L << doublings).toMillis(), MAX_BACKOFF.toMillis());
    if (ceiling <= 0) {
      return Duration.ZERO;
    }
    long millis = halfJitter
        ? ceiling / 2 + random.nextLong(ceiling / 2 + 1)
        : random.nextLong(ceiling);
    return Duration.ofMillis(millis);
  }

  private record Backoff(Duration base, boolean halfJitter) implements BackoffStrategy {
    @Override
    public Duration computeDelay(int attempt) {
      Binding binding = BOUND.get();
      Activity activity = Simulation.currentActivity();
      if (binding == null || activity == null) {
        return delay(attempt, base, halfJitter, new SplittableRandom());
      }
      long[] taken = BACKOFFS.get();
      long n = taken[0]++;
      SplittableRandom random = new SplittableRandom(
          binding.seed() * 0x9E3779B97F4A7C15L ^ (long) activity.name().hashCode() << 20 ^ n);
      Duration wait = delay(attempt, base, halfJitter, random);
      if (!wait.isZero()) {
        binding.sim().sleep(wait);
      }
      // The SDK sleeps what this returns, in wall time: the wait is over already.
      return Duration.ZERO;
    }
  }
}
