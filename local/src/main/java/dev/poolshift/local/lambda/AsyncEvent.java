package dev.poolshift.local.lambda;

import java.time.Instant;

/**
 * An event accepted by an asynchronous invoke ({@code InvocationType: Event}) and what became of
 * it: still queued or retrying, processed, or given up on ({@code condition} {@code RetriesExhausted}
 * or {@code EventAgeExceeded}).
 */
public record AsyncEvent(String requestId, String functionName, String origin, Instant acceptedAt, int attempts,
    Status status, String condition, Instant finishedAt) {
  public enum Status { QUEUED, SUCCEEDED, FAILED }
}
