package dev.poolshift.rollout.usecase.support;

import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.Trigger;
import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.plan.ExecutionRequest;
import dev.poolshift.rollout.port.ProfileStore;
import java.util.Map;

/**
 * What a refused start was asked to do, read leniently: the request may be the very thing that
 * was wrong, so nothing here validates. The last plan made (a queued rollout that planned
 * before) wins over the raw input; an approval names no endpoint, so its group's profile does,
 * if it can be read.
 */
public record Refusal(String action, String endpointName, String modelPackageArn,
    Trigger trigger, String reason) {

  public static Refusal of(PlanDocument plan, Object request, ProfileStore profiles) {
    Map<?, ?> in = request instanceof Map<?, ?> m ? m : Map.of();
    String action = plan != null && plan.action() != null ? plan.action()
        : in.containsKey("action") ? text(in.get("action")) : ExecutionRequest.DEPLOY;
    String arn = plan != null && plan.modelPackageArn() != null ? plan.modelPackageArn()
        : text(in.get("modelPackageArn"));
    String endpoint = plan != null && plan.endpointName() != null ? plan.endpointName()
        : text(in.get("endpointName"));
    if (endpoint == null && arn != null) {
      endpoint = profileEndpoint(arn, profiles);
    }
    Trigger trigger = plan != null && plan.trigger() != null ? plan.trigger()
        : in.get("trigger") instanceof Map<?, ?> t ? new Trigger(text(t.get("source")),
            text(t.get("by")), text(t.get("eventId")))
        : new Trigger(ExecutionRequest.CONSOLE, null, null);
    String reason = plan != null && plan.reason() != null ? plan.reason() : text(in.get("reason"));
    return new Refusal(action, endpoint, arn, trigger, reason);
  }

  private static String profileEndpoint(String arn, ProfileStore profiles) {
    try {
      return profiles.load(ModelPackageArn.parse("modelPackageArn", arn).group()).endpointName();
    } catch (RolloutException e) {
      // No profile, a bad one, a malformed ARN: the refusal is still notified, not ledgered.
      return null;
    }
  }

  private static String text(Object o) {
    return o instanceof String s && !s.isBlank() ? s : null;
  }
}
