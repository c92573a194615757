package dev.poolshift.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.poolshift.rollout.ServiceCallException;
import dev.poolshift.rollout.port.ScalingTargets.ScalingPolicySetup;
import dev.poolshift.rollout.port.ScalingTargets.ScalingSetup;
import dev.poolshift.rollout.port.ScalingTargets.ScheduledActionSetup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kept auto scaling setup as one JSON string (the lock item's {@code scaling} attribute and the
 * ledger's copy): one string keeps every number exactly as Application Auto Scaling returned it,
 * where a DynamoDB map would turn integers and decimals into the same number type.
 */
public final class ScalingSetupJson {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private ScalingSetupJson() {}

  public static String write(ScalingSetup s) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("endpointName", s.endpointName());
    doc.put("variantName", s.variantName());
    doc.put("minCapacity", s.minCapacity());
    doc.put("maxCapacity", s.maxCapacity());
    doc.put("suspendedState", s.suspendedState());
    List<Map<String, Object>> policies = new ArrayList<>();
    for (ScalingPolicySetup p : s.policies()) {
      Map<String, Object> policy = new LinkedHashMap<>();
      policy.put("policyName", p.policyName());
      policy.put("policyType", p.policyType());
      policy.put("settings", p.settings());
      policies.add(policy);
    }
    doc.put("policies", policies);
    List<Map<String, Object>> actions = new ArrayList<>();
    for (ScheduledActionSetup a : s.scheduledActions()) {
      Map<String, Object> action = new LinkedHashMap<>();
      action.put("name", a.name());
      action.put("settings", a.settings());
      actions.add(action);
    }
    doc.put("scheduledActions", actions);
    try {
      return Json.MAPPER.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new ServiceCallException("auto scaling setup of " + s.resourceId()
          + " cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  public static ScalingSetup read(String json) {
    try {
      Map<String, Object> doc = Json.MAPPER.readValue(json, MAP);
      List<ScalingPolicySetup> policies = new ArrayList<>();
      for (Object o : (List<Object>) doc.getOrDefault("policies", List.of())) {
        Map<String, Object> p = (Map<String, Object>) o;
        policies.add(new ScalingPolicySetup((String) p.get("policyName"),
            (String) p.get("policyType"), (Map<String, Object>) p.get("settings")));
      }
      // A setup kept before scheduled actions were kept has none.
      List<ScheduledActionSetup> actions = new ArrayList<>();
      for (Object o : (List<Object>) doc.getOrDefault("scheduledActions", List.of())) {
        Map<String, Object> a = (Map<String, Object>) o;
        actions.add(new ScheduledActionSetup((String) a.get("name"),
            (Map<String, Object>) a.get("settings")));
      }
      return new ScalingSetup((String) doc.get("endpointName"), (String) doc.get("variantName"),
          ((Number) doc.get("minCapacity")).intValue(), ((Number) doc.get("maxCapacity")).intValue(),
          (Map<String, Object>) doc.get("suspendedState"), policies, actions);
    } catch (JsonProcessingException | ClassCastException | NullPointerException e) {
      throw new ServiceCallException("kept auto scaling setup is not readable: " + e.getMessage()
          + " (" + json + ")", e);
    }
  }
}
