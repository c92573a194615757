package dev.poolshift.rollout;

/**
 * The account's request rate for an AWS API ran out and the SDK's own retries did not outlast it.
 * Transient like every {@link TransientServiceException}, but the workflow waits it out much
 * longer (minutes, not seconds): the day a fleet is approved at once, hundreds of rollouts share
 * one account's SageMaker request rate, and a release train that is throttled is slow, not broken.
 * Step Functions matches it by this class's name, before the other transient errors.
 */
public final class ServiceThrottledException extends TransientServiceException {
  public ServiceThrottledException(String message, Throwable cause) {
    super(message, cause);
  }
}
