package dev.poolshift.local.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import java.util.Locale;

/**
 * A fleet rehearsal: {@code endpoints} endpoints, each serving version 1 of its own model on two
 * {@code ml.g5.2xlarge}, each approved version 2 at the same instant, with a profile like the
 * sample one (ranked pools, 10/50/100 canary, 10-minute bakes). The first {@code bad} new
 * versions fail 5% of their requests, so their canaries' alarms fire together; a share
 * {@code throttleRate} of every SageMaker call is throttled from before the approvals; with
 * {@code apiLimits} the account's request-rate limits (the simulator's default preset) hold every
 * call.
 */
public record FleetScenario(int endpoints, int bad, double throttleRate, long seed, boolean apiLimits) {

  public FleetScenario(int endpoints, int bad, double throttleRate, long seed) {
    this(endpoints, bad, throttleRate, seed, false);
  }

  /** When every approval happens, in seconds from the start. */
  public static final int APPROVED_AT = 60;

  public FleetScenario {
    if (endpoints < 1) {
      throw new IllegalArgumentException("a fleet needs at least one endpoint, got " + endpoints);
    }
    if (bad < 0 || bad > endpoints) {
      throw new IllegalArgumentException("bad models must be between 0 and " + endpoints + ", got " + bad);
    }
    if (!(throttleRate >= 0 && throttleRate <= 1)) {
      throw new IllegalArgumentException("throttle rate must be between 0 and 1, got " + throttleRate);
    }
  }

  public static String endpointName(int i) {
    return String.format(Locale.ROOT, "fleet-%03d-prod", i);
  }

  private static String group(int i) {
    return String.format(Locale.ROOT, "fleet-%03d", i);
  }

  /** The scenario document, in the format of {@code events/scenarios/}. */
  public ObjectNode json() {
    ObjectNode s = LocalJson.object();
    s.put("name", "fleet-" + endpoints + (bad > 0 ? "-bad-" + bad : "")
        + (throttleRate > 0 ? "-throttled-" + Math.round(throttleRate * 100) : "")
        + (apiLimits ? "-api-limits" : ""));
    s.put("description", "benchmark: " + endpoints + " endpoints approved at the same instant");
    s.put("seed", seed);
    ObjectNode world = s.putObject("world");
    if (apiLimits) {
      world.put("sagemakerApiLimits", "default");
    }
    ArrayNode groups = world.putArray("modelPackageGroups");
    ArrayNode eps = world.putArray("endpoints");
    ObjectNode profiles = world.putObject("profiles");
    ObjectNode traffic = s.putObject("traffic");
    ObjectNode trafficEndpoints = traffic.putObject("endpoints");
    ObjectNode models = traffic.putObject("models");
    ArrayNode timeline = s.putArray("timeline");
    if (throttleRate > 0) {
      ObjectNode t = timeline.addObject().put("at", 1);
      t.putObject("fault").put("sagemaker", "throttle").put("rate", throttleRate);
    }
    for (int i = 0; i < endpoints; i++) {
      String g = group(i);
      String image = "111122223333.dkr.ecr.us-east-1.amazonaws.com/" + g + ":";
      ObjectNode group = groups.addObject().put("name", g);
      ArrayNode versions = group.putArray("versions");
      versions.addObject().put("approval", "Approved").put("image", image + "1")
          .putObject("additionalInferenceSpecifications").put("g6-int8", image + "1-int8");
      versions.addObject().put("approval", "PendingManualApproval").put("image", image + "2")
          .putObject("additionalInferenceSpecifications").put("g6-int8", image + "2-int8");
      ObjectNode ep = eps.addObject().put("name", endpointName(i));
      ep.putObject("tags").put("poolshift:managed", "true");
      ep.putArray("variants").addObject().put("variantName", "AllTraffic").put("modelPackage", g + "/1")
          .put("instanceType", "ml.g5.2xlarge").put("instanceCount", 2);
      profiles.set(g, profile(endpointName(i)));
      trafficEndpoints.putObject(endpointName(i)).put("requestsPerMinute", 27000);
      models.putObject(g + "/1").put("error5xxRate", 0.0001).put("latencyP50Ms", 31).put("latencyP99Ms", 68);
      models.putObject(g + "/2").put("error5xxRate", i < bad ? 0.05 : 0.0001).put("latencyP50Ms", 29)
          .put("latencyP99Ms", 64);
      timeline.addObject().put("at", APPROVED_AT).putObject("approve").put("modelPackage", g + "/2");
    }
    // Blue/green holds the old and the new fleet at once: room for every canary and promotion.
    ObjectNode capacity = s.putObject("capacity");
    for (String type : new String[] {"ml.g5.2xlarge", "ml.g5.4xlarge", "ml.g6.2xlarge"}) {
      capacity.putArray(type).addObject().put("at", 0).put("available", 6 * endpoints + 10);
    }
    return s;
  }

  private static ObjectNode profile(String endpoint) {
    ObjectNode p = LocalJson.object();
    p.put("endpointName", endpoint);
    p.put("executionRoleArn", "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution");
    ArrayNode pools = p.putArray("instancePools");
    pools.addObject().put("instanceType", "ml.g5.2xlarge").put("priority", 1);
    pools.addObject().put("instanceType", "ml.g5.4xlarge").put("priority", 2);
    pools.addObject().put("instanceType", "ml.g6.2xlarge").put("priority", 3)
        .put("inferenceSpecificationName", "g6-int8");
    p.put("provisionTimeoutSeconds", 1200);
    p.put("keepCurrentTypeFirst", true);
    p.putArray("canarySteps").add(10).add(50).add(100);
    p.put("bakeSeconds", 600);
    p.put("minInvocationsPerStep", 5000);
    p.put("maxWaitForInvocationsSeconds", 1800);
    p.putObject("thresholds").put("max5xxRate", 0.001).put("p99LatencyMs", 100);
    p.put("concurrencyPolicy", "queue");
    p.put("fallbackPolicy", "proceed");
    p.put("enhancedMetrics", true);
    return p;
  }
}
