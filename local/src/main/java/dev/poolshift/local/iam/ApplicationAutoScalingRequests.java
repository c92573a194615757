package dev.poolshift.local.iam;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Application Auto Scaling's request contexts (JSON 1.1; Service Authorization Reference,
 * "Application Auto Scaling"): the actions that change a target are authorized against the
 * scalable target's ARN ({@code scalable-target/<id>}, an id the service assigns, not the
 * ResourceId; for a registration, the ARN the target gets) with
 * {@code application-autoscaling:service-namespace} and {@code application-autoscaling:scalable-dimension};
 * a registration's tags add {@code aws:RequestTag}/{@code aws:TagKeys}. The describe calls have no
 * resource-level permissions.
 *
 * <p>Not modelled: {@code iam:CreateServiceLinkedRole}, which the first registration for a
 * service needs when the service-linked role does not exist yet (in a rehearsal it exists: the
 * scenario registered the target before the rollout).
 */
final class ApplicationAutoScalingRequests implements ServiceRequests {
  private final Iam.ScalableTargets targets;

  ApplicationAutoScalingRequests(Iam.ScalableTargets targets) {
    this.targets = targets;
  }

  @Override
  public String signingName() {
    return "application-autoscaling";
  }

  @Override
  public List<Authorization> authorizations(WireRequest r) {
    String op = r.operation();
    return switch (op) {
      case "RegisterScalableTarget", "DeregisterScalableTarget", "PutScalingPolicy", "DeleteScalingPolicy",
          "PutScheduledAction", "DeleteScheduledAction" -> {
        String ns = r.required("ServiceNamespace");
        String dimension = r.required("ScalableDimension");
        Authorization a = Authorization.of("application-autoscaling:" + op,
            targets.arn(ns, r.required("ResourceId"), dimension));
        a.context().put("application-autoscaling:service-namespace", ns)
            .put("application-autoscaling:scalable-dimension", dimension);
        if (op.equals("RegisterScalableTarget") && r.document().has("Tags")) {
          Map<String, String> tags = new LinkedHashMap<>();
          r.document().get("Tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
          a.context().merge(Keys.requestTags(tags, true));
        }
        yield List.of(a);
      }
      case "DescribeScalableTargets", "DescribeScalingPolicies", "DescribeScheduledActions",
          "DescribeScalingActivities" -> List.of(Authorization.of("application-autoscaling:" + op, "*"));
      default -> throw new UnmappedOperationException("application-autoscaling", op);
    };
  }
}
