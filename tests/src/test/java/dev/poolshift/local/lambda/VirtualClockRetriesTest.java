package dev.poolshift.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VirtualClockRetriesTest {
  private static final Duration BASE = Duration.ofMillis(100);

  @Test
  void theFirstAttemptWaitsNothingAndEachRetryUpToTwiceTheLastCeiling() {
    SplittableRandom random = new SplittableRandom(7);
    assertThat(VirtualClockRetries.delay(1, BASE, false, random)).isZero();
    IntStream.rangeClosed(2, 8).forEach(attempt -> {
      long ceiling = Math.min(100L << (attempt - 2), 20_000);
      assertThat(IntStream.range(0, 200).mapToLong(i -> VirtualClockRetries.delay(attempt, BASE, false, random)
          .toMillis())).as("attempt %d", attempt).allSatisfy(ms -> assertThat(ms).isBetween(0L, ceiling - 1));
    });
  }

  @Test
  void backOffIsCappedAtTwentySecondsAndHalfJitterWaitsAtLeastHalfTheCeiling() {
    SplittableRandom random = new SplittableRandom(7);
    assertThat(IntStream.range(0, 200).mapToLong(i -> VirtualClockRetries.delay(40, Duration.ofMillis(500), true,
        random).toMillis())).allSatisfy(ms -> assertThat(ms).isBetween(10_000L, 20_000L));
  }

  @Test
  void theSameSeedGivesTheSameDelays() {
    assertThat(VirtualClockRetries.delay(5, BASE, false, new SplittableRandom(42)))
        .isEqualTo(VirtualClockRetries.delay(5, BASE, false, new SplittableRandom(42)));
  }
}
