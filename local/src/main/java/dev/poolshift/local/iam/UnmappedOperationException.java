package dev.poolshift.local.iam;

/**
 * An operation the runtime has no IAM request context for. The call is refused rather than let
 * through: an unevaluated call would make a rehearsal pass that AWS could deny.
 */
public final class UnmappedOperationException extends RuntimeException {
  public UnmappedOperationException(String service, String operation) {
    super("the local runtime does not know the IAM action and resources of " + service + " " + operation);
  }
}
