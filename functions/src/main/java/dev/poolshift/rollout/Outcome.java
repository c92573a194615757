package dev.poolshift.rollout;

/**
 * How a rollout (or a rollback to the previous release) ended: the ledger's {@code outcome}, the
 * {@code outcome} the workflow passes to its record and notify steps, and what operators read.
 */
public enum Outcome {
  /** The new version serves all traffic on the final config. */
  PROMOTED,
  /** All traffic is back on the release that served before (or, for a rollback, on the one before that). */
  ROLLED_BACK,
  /** It ended before it moved any traffic; the endpoint is as it was. */
  FAILED,
  /** The way back could not be verified: the lock is kept and a person was paged. */
  NEEDS_A_PERSON,
  /**
   * Refused before it started (bad input, no profile, a package not approved, a schedule that
   * cannot finish, the endpoint held): nothing was changed.
   */
  REJECTED
}
