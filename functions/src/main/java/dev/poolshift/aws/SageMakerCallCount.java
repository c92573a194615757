package dev.poolshift.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Counts the SageMaker API calls made on the calling thread (one per call, however many HTTP
 * attempts its retries take): the synchronous client runs each call on the thread that made it,
 * and Lambda runs one invocation per thread.
 */
public final class SageMakerCallCount implements ExecutionInterceptor {
  private static final ThreadLocal<int[]> COUNT = ThreadLocal.withInitial(() -> new int[1]);

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    COUNT.get()[0]++;
  }

  /** The calls made on this thread since the last take; starts counting again from zero. */
  public static int take() {
    int[] count = COUNT.get();
    int n = count[0];
    count[0] = 0;
    return n;
  }
}
