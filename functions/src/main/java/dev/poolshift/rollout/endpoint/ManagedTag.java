package dev.poolshift.rollout.endpoint;

import java.util.Map;

/**
 * The opt-in that hands an endpoint to Poolshift: the endpoint's own tag
 * {@code poolshift:managed = true}. A deployment profile in SSM is not enough, because writing a
 * parameter is a broader permission than owning an endpoint; the template grants
 * UpdateEndpoint and UpdateEndpointWeightsAndCapacities only on endpoints carrying this tag, and
 * the plan checks it first so a rollout is refused clearly instead of failing with AccessDenied
 * after it has created models and configs. The key and value are constants, not parameters: the
 * IAM condition in template.yaml names the same pair.
 */
public final class ManagedTag {
  public static final String KEY = "poolshift:managed";
  /** Compared exactly, as IAM's {@code StringEquals} does: {@code True} is not {@code true}. */
  public static final String VALUE = "true";

  private ManagedTag() {}

  public static boolean isManaged(Map<String, String> endpointTags) {
    return VALUE.equals(endpointTags.get(KEY));
  }

  /** Why the endpoint is not Poolshift's, and what makes it so; for errors and plan risks. */
  public static String notManaged(String endpointName, Map<String, String> endpointTags) {
    String found = endpointTags.get(KEY);
    return "endpoint " + endpointName + " is not managed by Poolshift"
        + (found == null ? "" : " (its " + KEY + " tag is \"" + found + "\", not \"" + VALUE + "\")")
        + ": tag it " + KEY + "=" + VALUE + " (IAM denies Poolshift's updates to untagged"
        + " endpoints)";
  }
}
