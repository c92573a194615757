package dev.poolshift.local.iam;

import java.util.List;

/**
 * IAM's evaluation of identity-based policies for a request within one account (the IAM guide's
 * policy evaluation logic, without the parts the local runtime does not model: SCPs, resource
 * policies, permission boundaries, session policies): every statement of every policy is
 * looked at; a matching {@code Deny} decides ("explicit deny"), else a matching {@code Allow}
 * allows, else the request is denied because nothing allows it ("implicit deny").
 */
public final class PolicyEvaluator {
  private PolicyEvaluator() {}

  /** The outcome, and the statement that decided it (null for an implicit deny). */
  public record Decision(Outcome outcome, PolicyDocument policy, Statement statement) {
    public boolean allowed() {
      return outcome == Outcome.ALLOWED;
    }
  }

  public enum Outcome { ALLOWED, IMPLICITLY_DENIED, EXPLICITLY_DENIED }

  public static Decision evaluate(List<PolicyDocument> policies, String action, String resource,
      RequestContext context) {
    Decision allow = null;
    for (PolicyDocument p : policies) {
      for (Statement s : p.statements()) {
        if (!s.applies(action, resource, context)) {
          continue;
        }
        if (s.effect() == Statement.Effect.DENY) {
          return new Decision(Outcome.EXPLICITLY_DENIED, p, s);
        }
        if (allow == null) {
          allow = new Decision(Outcome.ALLOWED, p, s);
        }
      }
    }
    return allow != null ? allow : new Decision(Outcome.IMPLICITLY_DENIED, null, null);
  }
}
