package dev.poolshift.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Counts the SageMaker API calls made on the calling thread (one per call, however many HTTP
 * attempts its retries take) and the retries (attempts beyond the first): the synchronous client
 * runs each call on the thread that made it, and Lambda runs one invocation per thread.
 */
public final class SageMakerCallCount implements ExecutionInterceptor {
  /** Per thread: calls, HTTP attempts. */
  private static final ThreadLocal<int[]> COUNT = ThreadLocal.withInitial(() -> new int[2]);

  /** What a thread's calls took since the last take. */
  public record Tally(int calls, int retries) {}

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    COUNT.get()[0]++;
  }

  /** Once per HTTP attempt, the retries' included. */
  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    COUNT.get()[1]++;
  }

  /** The calls made on this thread since the last take; starts counting again from zero. */
  public static int take() {
    return takeTally().calls();
  }

  /** The retries on this thread since the last take, which keeps counting. */
  public static int retriesSoFar() {
    int[] count = COUNT.get();
    return Math.max(0, count[1] - count[0]);
  }

  /** The calls and their retries on this thread since the last take; starts again from zero. */
  public static Tally takeTally() {
    int[] count = COUNT.get();
    Tally tally = new Tally(count[0], Math.max(0, count[1] - count[0]));
    count[0] = 0;
    count[1] = 0;
    return tally;
  }
}
