package dev.poolshift.rollout.port;

/**
 * How many times the running step's SageMaker calls were retried so far (throttling, transient
 * errors): what a plan reports, so a dry run shows what the account's API limits cost it.
 */
@FunctionalInterface
public interface CallRetries {
  int soFar();

  /** Nothing counted (tests that do not look at retries). */
  CallRetries NONE = () -> 0;
}
