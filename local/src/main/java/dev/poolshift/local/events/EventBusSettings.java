package dev.poolshift.local.events;

import java.time.Duration;

/**
 * Timing and randomness of event delivery, in virtual time.
 *
 * <p>Defaults, and why:
 * <ul>
 *   <li>{@code deliveryLatency} 500 ms: EventBridge documents no latency figure; deliveries are
 *       typically sub-second, and half a second keeps "event → action" budgets honest.
 *   <li>Retry back-off: {@code retryBase} 1 s doubling per retry up to {@code retryCap} 10 min,
 *       each delay drawn between half and all of that value ("exponential back-off and jitter";
 *       the exact curve is unpublished). With the default 185 retries this spreads over about 22
 *       hours, in line with "185 times over 24 hours".
 * </ul>
 *
 * @param seed makes event ids, jitter, duplicates and reordering repeatable
 */
public record EventBusSettings(long seed, Duration deliveryLatency, Duration retryBase, Duration retryCap) {
  public static final EventBusSettings DEFAULT = new EventBusSettings(1L, Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMinutes(10));

  public EventBusSettings {
    if (deliveryLatency.isNegative() || retryBase.isNegative() || retryBase.isZero() || retryCap.compareTo(retryBase) < 0) {
      throw new IllegalArgumentException("latency >= 0 and 0 < retryBase <= retryCap required");
    }
  }

  public EventBusSettings withSeed(long newSeed) {
    return new EventBusSettings(newSeed, deliveryLatency, retryBase, retryCap);
  }

  public EventBusSettings withDeliveryLatency(Duration latency) {
    return new EventBusSettings(seed, latency, retryBase, retryCap);
  }
}
