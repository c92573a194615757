package dev.poolshift.local.lambda;

/**
 * Switchable faults for one function, for situation tests and rehearsals. Counted faults
 * ({@code ...Next(n)}) apply to the next {@code n} invocation attempts (synchronous calls and
 * each attempt of an asynchronous event); the {@code ...All} switches apply until cleared.
 * A throttle wins over a service error, which wins over a timeout.
 */
public final class LambdaFaults {
  private int throttleNext;
  private boolean throttleAll;
  private int serviceErrorNext;
  private boolean serviceErrorAll;
  private int timeoutNext;
  private boolean timeoutAll;
  private boolean unavailable;
  private int rejectAsyncNext;

  /** The next {@code n} attempts fail with {@code TooManyRequestsException}. */
  public synchronized LambdaFaults throttleNext(int n) {
    throttleNext = requireCount(n);
    return this;
  }

  /** Every attempt fails with {@code TooManyRequestsException} (like reserved concurrency 0). */
  public synchronized LambdaFaults throttleAll(boolean on) {
    throttleAll = on;
    return this;
  }

  /** The next {@code n} attempts fail with {@code ServiceException}. */
  public synchronized LambdaFaults serviceErrorNext(int n) {
    serviceErrorNext = requireCount(n);
    return this;
  }

  public synchronized LambdaFaults serviceErrorAll(boolean on) {
    serviceErrorAll = on;
    return this;
  }

  /**
   * The next {@code n} attempts time out: the handler runs (its side effects happen, as when a real
   * function is cut off after its last call), then the invocation takes the whole {@code Timeout}
   * and reports {@code Sandbox.Timedout}.
   */
  public synchronized LambdaFaults timeoutNext(int n) {
    timeoutNext = requireCount(n);
    return this;
  }

  public synchronized LambdaFaults timeoutAll(boolean on) {
    timeoutAll = on;
    return this;
  }

  /** The function behaves as deleted: {@code ResourceNotFoundException} for every call. */
  public synchronized LambdaFaults unavailable(boolean on) {
    unavailable = on;
    return this;
  }

  /**
   * The next {@code n} asynchronous Invoke calls are refused with {@code TooManyRequestsException}
   * before the event is queued (what an EventBridge target sees when Lambda throttles the call).
   */
  public synchronized LambdaFaults rejectAsyncNext(int n) {
    rejectAsyncNext = requireCount(n);
    return this;
  }

  public synchronized LambdaFaults clear() {
    throttleNext = serviceErrorNext = timeoutNext = rejectAsyncNext = 0;
    throttleAll = serviceErrorAll = timeoutAll = unavailable = false;
    return this;
  }

  synchronized boolean isUnavailable() {
    return unavailable;
  }

  synchronized boolean takeAsyncRejection() {
    if (rejectAsyncNext > 0) {
      rejectAsyncNext--;
      return true;
    }
    return false;
  }

  /** What the next attempt suffers; consumes one count of the fault that applies. */
  synchronized Fault takeAttemptFault() {
    if (throttleAll) {
      return Fault.THROTTLE;
    }
    if (throttleNext > 0) {
      throttleNext--;
      return Fault.THROTTLE;
    }
    if (serviceErrorAll) {
      return Fault.SERVICE_ERROR;
    }
    if (serviceErrorNext > 0) {
      serviceErrorNext--;
      return Fault.SERVICE_ERROR;
    }
    if (timeoutAll) {
      return Fault.TIMEOUT;
    }
    if (timeoutNext > 0) {
      timeoutNext--;
      return Fault.TIMEOUT;
    }
    return Fault.NONE;
  }

  enum Fault { NONE, THROTTLE, SERVICE_ERROR, TIMEOUT }

  private static int requireCount(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + n);
    }
    return n;
  }
}
