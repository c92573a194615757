package dev.poolshift.local.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.cloudwatch.TrafficScenario;
import dev.poolshift.local.cloudwatch.TrafficScenario.LatencyProfile;
import dev.poolshift.local.cloudwatch.TrafficScenario.ModelBehaviour;
import dev.poolshift.local.runtime.LocalRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The timeline's {@code traffic} action: the request rate of an endpoint, or how a model version
 * answers (overall or on one instance type), changes from a moment on. What the entry names is
 * merged over what is in force then, field by field:
 *
 * <ul>
 *   <li>{@code endpoints.<name>.requestsPerMinute} is the endpoint's rate from now on (later steps
 *       of a {@code traffic} step list no longer apply);
 *   <li>a field under {@code models.<group/version>} applies to the version on every instance
 *       type, including types that had their own behaviour (their other fields stay);
 *   <li>a field under {@code models.<group/version>.instanceTypes.<type>} applies on that type
 *       only, over what the version did on that type (the version-wide change of the same entry
 *       first);
 *   <li>fields not named keep their value in force.
 * </ul>
 *
 * <p>Traffic up to the change is generated under the old values ({@link
 * dev.poolshift.local.cloudwatch.TrafficModel#changeScenario}), so published metrics never change.
 */
final class TrafficChange {
  static final Set<String> BEHAVIOUR_FIELDS = Set.of("error5xxRate", "error4xxRate", "latencyP50Ms", "latencyP99Ms");

  private TrafficChange() {}

  /** Problems with a {@code traffic} action at {@code field}, each naming its field. */
  static List<String> check(JsonNode spec, String field, Set<String> endpoints, Set<String> packages) {
    List<String> problems = new ArrayList<>();
    if (!(spec instanceof ObjectNode o)) {
      problems.add(field + ": must be an object");
      return problems;
    }
    onlyFields(o, field, Set.of("endpoints", "models"), problems);
    if (!o.has("endpoints") && !o.has("models")) {
      problems.add(field + ": change endpoints or models");
    }
    if (o.has("endpoints")) {
      if (!(o.get("endpoints") instanceof ObjectNode eps) || eps.isEmpty()) {
        problems.add(field + ".endpoints: must be an object naming at least one endpoint");
      } else {
        eps.fields().forEachRemaining(e -> {
          String f = field + ".endpoints." + e.getKey();
          if (!endpoints.contains(e.getKey())) {
            problems.add(f + ": no endpoint " + e.getKey() + " in world.endpoints");
          }
          if (!(e.getValue() instanceof ObjectNode ep)) {
            problems.add(f + ": must be an object");
            return;
          }
          onlyFields(ep, f, Set.of("requestsPerMinute"), problems);
          number(ep, f, "requestsPerMinute", true, 0, 1e9, problems);
        });
      }
    }
    if (o.has("models")) {
      if (!(o.get("models") instanceof ObjectNode models) || models.isEmpty()) {
        problems.add(field + ".models: must be an object naming at least one model version");
      } else {
        models.fields().forEachRemaining(m -> {
          String f = field + ".models." + m.getKey();
          if (!m.getKey().matches("[A-Za-z0-9-]+/[0-9]+")) {
            problems.add(f + ": must be <group>/<version>, e.g. fraud-scoring/2");
          } else if (!packages.contains(m.getKey())) {
            problems.add(f + ": no model package version " + m.getKey() + " in world.modelPackageGroups");
          }
          if (!(m.getValue() instanceof ObjectNode mo)) {
            problems.add(f + ": must be an object");
            return;
          }
          Set<String> allowed = new java.util.HashSet<>(BEHAVIOUR_FIELDS);
          allowed.add("instanceTypes");
          onlyFields(mo, f, allowed, problems);
          checkBehaviour(mo, f, problems);
          if (mo.has("instanceTypes")) {
            if (!(mo.get("instanceTypes") instanceof ObjectNode types) || types.isEmpty()) {
              problems.add(f + ".instanceTypes: must be an object naming at least one instance type");
            } else {
              types.fields().forEachRemaining(t -> {
                String tf = f + ".instanceTypes." + t.getKey();
                if (!t.getKey().startsWith("ml.")) {
                  problems.add(tf + ": must be an ML instance type such as ml.g5.2xlarge");
                }
                if (!(t.getValue() instanceof ObjectNode to)) {
                  problems.add(tf + ": must be an object");
                  return;
                }
                onlyFields(to, tf, BEHAVIOUR_FIELDS, problems);
                checkBehaviour(to, tf, problems);
                if (to.isEmpty()) {
                  problems.add(tf + ": change at least one of " + new TreeSet<>(BEHAVIOUR_FIELDS));
                }
              });
            }
          } else if (mo.isEmpty()) {
            problems.add(f + ": change at least one of " + new TreeSet<>(BEHAVIOUR_FIELDS) + " or instanceTypes");
          }
        });
      }
    }
    return problems;
  }

  private static void checkBehaviour(ObjectNode b, String field, List<String> problems) {
    number(b, field, "error5xxRate", false, 0, 1, problems);
    number(b, field, "error4xxRate", false, 0, 1, problems);
    number(b, field, "latencyP50Ms", false, 0.001, 3_600_000, problems);
    number(b, field, "latencyP99Ms", false, 0.001, 3_600_000, problems);
    if (b.path("error5xxRate").isNumber() && b.path("error4xxRate").isNumber()
        && b.get("error5xxRate").asDouble() + b.get("error4xxRate").asDouble() > 1) {
      problems.add(field + ".error4xxRate: error5xxRate + error4xxRate must be at most 1");
    }
    if (b.path("latencyP50Ms").isNumber() && b.path("latencyP99Ms").isNumber()
        && b.get("latencyP99Ms").asDouble() < b.get("latencyP50Ms").asDouble()) {
      problems.add(field + ".latencyP99Ms: must be >= latencyP50Ms");
    }
  }

  /** Applies a checked change to the runtime's traffic model, from now on. */
  static void apply(JsonNode spec, String field, LocalRuntime runtime) {
    Duration now = Duration.between(runtime.simulation().start(), runtime.simulation().now());
    runtime.traffic().changeScenario(inForce -> merged(inForce, spec, field, now, key -> ScenarioRunner.packageArn(runtime, key)));
  }

  /**
   * {@code inForce} with the entry merged over it (rules in the class comment). A combination that
   * only the merge makes invalid (a p50 above the p99 in force) is a {@link ScenarioException}.
   */
  static TrafficScenario merged(TrafficScenario inForce, JsonNode spec, String field, Duration now,
      java.util.function.Function<String, String> packageArn) {
    TrafficScenario next = inForce;
    for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("endpoints").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      next = next.withRate(e.getKey(), next.rate(e.getKey()).from(now, e.getValue().get("requestsPerMinute").asDouble()));
    }
    List<String> problems = new ArrayList<>();
    List<ModelBehaviour> behaviours = new ArrayList<>(next.behaviours());
    for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("models").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> m = it.next();
      String arn = packageArn.apply(m.getKey());
      String f = field + ".models." + m.getKey();
      JsonNode modelFields = m.getValue();
      if (hasBehaviourField(modelFields)) {
        // The version everywhere: its any-type behaviour and every type it has its own behaviour on.
        ModelBehaviour anyType = find(behaviours, arn, null);
        ModelBehaviour base = anyType != null ? anyType : withTarget(next.defaultBehaviour(), arn, null);
        put(behaviours, overlay(base, modelFields, f, problems));
        for (int i = 0; i < behaviours.size(); i++) {
          ModelBehaviour b = behaviours.get(i);
          if (b.modelPackageArn().equals(arn) && b.instanceType() != null) {
            behaviours.set(i, overlay(b, modelFields, f, problems));
          }
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> types = modelFields.path("instanceTypes").fields(); types.hasNext(); ) {
        Map.Entry<String, JsonNode> t = types.next();
        ModelBehaviour onType = inForce(behaviours, next.defaultBehaviour(), arn, t.getKey());
        put(behaviours, overlay(withTarget(onType, arn, t.getKey()), t.getValue(), f + ".instanceTypes." + t.getKey(),
            problems));
      }
    }
    if (!problems.isEmpty()) {
      throw new ScenarioException("timeline", problems);
    }
    return next.withBehaviours(behaviours);
  }

  /** How the version answers on the type under {@code behaviours}: TrafficScenario's own rule. */
  private static ModelBehaviour inForce(List<ModelBehaviour> behaviours, ModelBehaviour fallback, String arn,
      String type) {
    ModelBehaviour exact = find(behaviours, arn, type);
    if (exact != null) {
      return exact;
    }
    ModelBehaviour anyType = find(behaviours, arn, null);
    return anyType != null ? anyType : fallback;
  }

  private static ModelBehaviour find(List<ModelBehaviour> behaviours, String arn, String type) {
    for (ModelBehaviour b : behaviours) {
      if (arn.equals(b.modelPackageArn()) && java.util.Objects.equals(type, b.instanceType())) {
        return b;
      }
    }
    return null;
  }

  /** Replaces the behaviour for the same version and type, or adds it. */
  private static void put(List<ModelBehaviour> behaviours, ModelBehaviour b) {
    if (b == null) {
      return;
    }
    for (int i = 0; i < behaviours.size(); i++) {
      ModelBehaviour old = behaviours.get(i);
      if (old.modelPackageArn().equals(b.modelPackageArn()) && java.util.Objects.equals(old.instanceType(), b.instanceType())) {
        behaviours.set(i, b);
        return;
      }
    }
    behaviours.add(b);
  }

  private static ModelBehaviour withTarget(ModelBehaviour b, String arn, String type) {
    return new ModelBehaviour(arn, type, b.fraction5xx(), b.fraction4xx(), b.latency());
  }

  /** {@code base} with the fields named in {@code fields}; null (and a problem) if the result is not a behaviour. */
  private static ModelBehaviour overlay(ModelBehaviour base, JsonNode fields, String field, List<String> problems) {
    double e5 = fields.path("error5xxRate").asDouble(base.fraction5xx());
    double e4 = fields.path("error4xxRate").asDouble(base.fraction4xx());
    double p50 = fields.path("latencyP50Ms").asDouble(base.latency().p50Millis());
    double p99 = fields.path("latencyP99Ms").asDouble(base.latency().p99Millis());
    int before = problems.size();
    if (e5 + e4 > 1) {
      problems.add(field + "." + (fields.has("error4xxRate") ? "error4xxRate" : "error5xxRate") + ": error5xxRate "
          + e5 + " + error4xxRate " + e4 + " in force would be above 1");
    }
    if (p99 < p50) {
      problems.add(field + "." + (fields.has("latencyP50Ms") ? "latencyP50Ms" : "latencyP99Ms") + ": latencyP50Ms "
          + p50 + " would be above latencyP99Ms " + p99 + " (set both)");
    }
    if (problems.size() > before) {
      return null;
    }
    return new ModelBehaviour(base.modelPackageArn(), base.instanceType(), e5, e4, new LatencyProfile(p50, p99));
  }

  private static boolean hasBehaviourField(JsonNode fields) {
    return BEHAVIOUR_FIELDS.stream().anyMatch(fields::has);
  }

  private static void onlyFields(ObjectNode o, String field, Set<String> allowed, List<String> problems) {
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        problems.add(field + "." + f + ": unknown field (allowed: " + new TreeSet<>(allowed) + ")");
      }
    }
  }

  private static void number(ObjectNode o, String field, String name, boolean required, double min, double max,
      List<String> problems) {
    JsonNode n = o.get(name);
    if (n == null || n.isNull()) {
      if (required) {
        problems.add(field + "." + name + ": required");
      }
      return;
    }
    if (!n.isNumber()) {
      problems.add(field + "." + name + ": must be a number");
      return;
    }
    if (n.asDouble() < min || n.asDouble() > max) {
      problems.add(field + "." + name + ": must be " + plain(min) + "–" + plain(max) + " (got " + n.asText() + ")");
    }
  }

  private static String plain(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
