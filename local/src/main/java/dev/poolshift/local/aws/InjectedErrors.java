package dev.poolshift.local.aws;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Errors a local service answers on purpose, for situation tests and rehearsals: the next
 * {@code times} calls of an operation fail with the given code, whatever the request. The HTTP
 * status follows the code as AWS sends it (403 for access denied, 5xx for internal and
 * unavailable errors, 400 otherwise, throttling included).
 */
public final class InjectedErrors {
  private final Map<String, Deque<AwsServiceException>> next = new HashMap<>();
  private final Map<String, Integer> answered = new HashMap<>();

  /** The next {@code times} calls of {@code operation} fail with {@code code}. */
  public synchronized InjectedErrors failNext(String operation, String code, String message, int times) {
    if (times < 0) {
      throw new IllegalArgumentException("times must be >= 0, got " + times);
    }
    Deque<AwsServiceException> q = next.computeIfAbsent(operation, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      q.add(new AwsServiceException(statusOf(code), code, message == null ? "Injected " + code : message));
    }
    return this;
  }

  public synchronized InjectedErrors clear() {
    next.clear();
    return this;
  }

  /** The error this call of {@code operation} gets, if one is queued (consumes it). */
  public synchronized Optional<AwsServiceException> take(String operation) {
    Deque<AwsServiceException> q = next.get(operation);
    AwsServiceException e = q == null ? null : q.poll();
    if (e != null) {
      answered.merge(operation, 1, Integer::sum);
    }
    return Optional.ofNullable(e);
  }

  /** How many calls of {@code operation} got an injected error so far. */
  public synchronized int answered(String operation) {
    return answered.getOrDefault(operation, 0);
  }

  /** The HTTP status AWS answers with for this error code. */
  public static int statusOf(String code) {
    return switch (code) {
      case "AccessDenied", "AccessDeniedException" -> 403;
      case "InternalFailure", "InternalServiceError", "InternalServerError", "ServiceException" -> 500;
      case "ServiceUnavailable", "ServiceUnavailableException" -> 503;
      default -> 400;
    };
  }
}
