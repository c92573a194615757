package dev.poolshift.local.iam;

import java.time.Instant;

/**
 * What IAM made of one check of one request: who asked, for which operation, the action and
 * resource, and the verdict with the policy statement that decided it.
 *
 * @param caller the logical id of the function or state machine, or the access key id of a
 *     caller the template does not know
 * @param action null for a request that was not evaluated
 * @param policy the policy whose statement decided (null for an implicit deny and for requests
 *     that were not evaluated)
 * @param statement that statement's {@code Sid} or position ({@code #3})
 * @param message the error message the caller received, for a refused request
 */
public record Evaluation(Instant at, String caller, String service, String operation, String action,
    String resource, Verdict verdict, String policy, String statement, String message) {

  public enum Verdict {
    /** An identity-based policy allows it. */
    ALLOWED,
    /** No statement allows it. */
    IMPLICITLY_DENIED,
    /** A Deny statement matches it. */
    EXPLICITLY_DENIED,
    /** The runtime does not know the operation's request context: refused. */
    UNMAPPED,
    /** Signed with credentials that are not a function's or state machine's: let through as an administrator. */
    NOT_EVALUATED,
    /** Signed with unknown credentials where the rehearsal rejects them. */
    UNRECOGNIZED,
    /** The operation or its resource could not be read from the request: the service answers it. */
    UNREADABLE
  }

  public boolean denied() {
    return verdict == Verdict.IMPLICITLY_DENIED || verdict == Verdict.EXPLICITLY_DENIED
        || verdict == Verdict.UNMAPPED || verdict == Verdict.UNRECOGNIZED;
  }
}
