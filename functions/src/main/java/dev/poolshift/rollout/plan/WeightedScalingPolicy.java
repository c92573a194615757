package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.port.ScalingTargets.ScalingPolicySetup;
import dev.poolshift.rollout.profile.WeightedAutoscaling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The target-tracking policy a promoted mixed fleet gets when its profile opts in to
 * {@code weightedAutoscaling}: one {@code MetricStat} per instance type the variant runs on
 * ({@code AWS/SageMaker ConcurrentRequestsPerModel}, Average, dimensions {@code EndpointName},
 * {@code VariantName}, {@code InstanceType}), none of them returned, and one expression, the
 * only query returning data: each type's concurrency over the most one of its instances serves,
 * averaged over the types. The target is on the same 0–1 scale.
 */
public final class WeightedScalingPolicy {
  public static final String POLICY_NAME = "poolshift-weighted-utilization";
  public static final String POLICY_TYPE = "TargetTrackingScaling";
  public static final String CONFIGURATION = "TargetTrackingScalingPolicyConfiguration";
  public static final String METRIC_NAME = "ConcurrentRequestsPerModel";
  public static final String NAMESPACE = "AWS/SageMaker";

  private WeightedScalingPolicy() {}

  /**
   * @param instanceTypes the types the promoted variant runs on, in pool priority order
   * @throws dev.poolshift.rollout.InvalidInputException when a type has no measured maximum
   *     (e.g. the endpoint's current type kept first by {@code keepCurrentTypeFirst})
   */
  public static ScalingPolicySetup of(String endpointName, String variantName,
      List<String> instanceTypes, WeightedAutoscaling w) {
    FieldErrors errors = new FieldErrors();
    for (String type : instanceTypes) {
      if (!w.maxConcurrencyPerInstance().containsKey(type)) {
        errors.add(WeightedAutoscaling.FIELD + ".maxConcurrencyPerInstance", "no entry for "
            + type + ", which variant " + variantName + " runs on after promotion");
      }
    }
    errors.throwIfAny("deployment profile does not fit endpoint " + endpointName);

    List<Object> metrics = new ArrayList<>();
    List<String> terms = new ArrayList<>();
    for (int i = 0; i < instanceTypes.size(); i++) {
      String type = instanceTypes.get(i);
      String id = "c" + (i + 1);
      Map<String, Object> metric = new LinkedHashMap<>();
      metric.put("Namespace", NAMESPACE);
      metric.put("MetricName", METRIC_NAME);
      metric.put("Dimensions", List.of(dimension("EndpointName", endpointName),
          dimension("VariantName", variantName), dimension("InstanceType", type)));
      Map<String, Object> stat = new LinkedHashMap<>();
      stat.put("Metric", metric);
      stat.put("Stat", "Average");
      Map<String, Object> query = new LinkedHashMap<>();
      query.put("Id", id);
      query.put("MetricStat", stat);
      query.put("ReturnData", false);
      metrics.add(query);
      terms.add(id + " / " + w.maxConcurrencyPerInstance().get(type));
    }
    String sum = String.join(" + ", terms);
    Map<String, Object> weighted = new LinkedHashMap<>();
    weighted.put("Id", "weighted");
    weighted.put("Expression", terms.size() == 1 ? sum
        : String.format(Locale.ROOT, "(%s) / %d", sum, terms.size()));
    weighted.put("Label", "weighted utilization");
    weighted.put("ReturnData", true);
    metrics.add(weighted);

    Map<String, Object> configuration = new LinkedHashMap<>();
    configuration.put("TargetValue", w.targetValue());
    configuration.put("CustomizedMetricSpecification", Map.of("Metrics", metrics));
    configuration.put("ScaleOutCooldown", w.scaleOutCooldownSeconds());
    configuration.put("ScaleInCooldown", w.scaleInCooldownSeconds());
    return new ScalingPolicySetup(POLICY_NAME, POLICY_TYPE, Map.of(CONFIGURATION, configuration));
  }

  /** The expression of a policy built here, for the plan's risks and messages. */
  public static String expression(ScalingPolicySetup policy) {
    if (policy.settings().get(CONFIGURATION) instanceof Map<?, ?> c
        && c.get("CustomizedMetricSpecification") instanceof Map<?, ?> spec
        && spec.get("Metrics") instanceof List<?> metrics) {
      for (Object m : metrics) {
        if (m instanceof Map<?, ?> q && q.get("Expression") instanceof String e) {
          return e;
        }
      }
    }
    return null;
  }

  private static Map<String, Object> dimension(String name, String value) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("Name", name);
    d.put("Value", value);
    return d;
  }
}
