package dev.poolshift.local.iam;

/**
 * A policy IAM itself would refuse to store (no Effect, both Action and NotAction, an unknown
 * condition operator, ...), or one the local runtime cannot read (a managed policy or SAM policy
 * template it does not know). The runtime refuses to start rather than evaluate a guess.
 */
public final class PolicyException extends RuntimeException {
  public PolicyException(String message) {
    super(message);
  }
}
