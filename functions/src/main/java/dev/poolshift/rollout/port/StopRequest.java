package dev.poolshift.rollout.port;

import java.time.Instant;

/**
 * A request, left on the active-rollout record, that the rollout turn around: a canary alarm
 * fired or the package was rejected while no wait was registered to fail. Forward steps check
 * it and throw {@code error} (a fully qualified exception name) with {@code cause}.
 */
public record StopRequest(String error, String cause, Instant at) {
}
