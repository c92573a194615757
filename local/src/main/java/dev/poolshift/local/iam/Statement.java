package dev.poolshift.local.iam;

import java.util.List;

/**
 * One statement of an identity-based policy, parsed: its effect, the actions it names (or, with
 * {@code NotAction}, the ones it excludes), the resources (or {@code NotResource}) and its
 * conditions (ANDed). Actions match case-insensitively with {@code *} and {@code ?}; resources as
 * {@link ArnPattern}s.
 *
 * @param sid the statement's {@code Sid}, or null
 * @param index the statement's position in its policy, from 0, to name it in a report
 */
public record Statement(String sid, Effect effect, List<PolicyString> actions, boolean notAction,
    List<ArnPattern> resources, boolean notResource, List<Condition> conditions, int index) {

  public enum Effect { ALLOW, DENY }

  /** Whether this statement applies to the request: action, resource and every condition. */
  boolean applies(String action, String resource, RequestContext context) {
    boolean actionListed = actions.stream().anyMatch(a -> a.matches(action, context, true));
    if (actionListed == notAction) {
      return false;
    }
    boolean resourceListed = resources.stream().anyMatch(r -> r.matches(resource, context));
    if (resourceListed == notResource) {
      return false;
    }
    for (Condition c : conditions) {
      if (!Conditions.holds(c, context)) {
        return false;
      }
    }
    return true;
  }

  /** {@code Sid} when it has one, else its position: {@code #2}. */
  public String label() {
    return sid != null ? sid : "#" + index;
  }
}
