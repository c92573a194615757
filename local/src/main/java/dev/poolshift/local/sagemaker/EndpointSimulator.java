package dev.poolshift.local.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.ServiceEvent;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sagemaker.Fleet.Instance;
import dev.poolshift.local.sagemaker.Fleet.Pool;
import dev.poolshift.local.sagemaker.Fleet.Variant;
import dev.poolshift.local.sim.Simulation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Endpoints and their lifecycle, driven by the virtual clock.
 *
 * <p>Every call does its synchronous part at once (validation, status change, event); what takes
 * time is an {@link Operation} that the endpoint runs on timers: {@link Operation#advance} looks
 * at the world at the current virtual instant and says when to look again. Timers fire only while
 * the simulation runs, so a test that calls the API between {@code runUntil}s sees a repeatable
 * state.
 *
 * <p>Deployments are blue/green as AWS documents them: UpdateEndpoint keeps the old fleet
 * serving and described ({@code EndpointConfigName} stays the old one, the new one is in
 * {@code PendingDeploymentSummary}) while a new fleet is provisioned for <em>every</em> variant of
 * the new config (harsher reading: unchanged variants are re-provisioned too, so capacity for the
 * whole new config is needed while the old fleet still holds its instances). When the new fleet
 * is up, traffic moves to it, it bakes (the traffic routing wait plus {@code
 * TerminationWaitInSeconds}, watching the auto-rollback alarms if an alarm source is set), the old
 * fleet is terminated, and only then the endpoint is {@code InService} on the new config. If
 * provisioning fails the endpoint goes back to {@code InService} on the old config with a
 * {@code FailureReason}: that is how SageMaker rolls an update back on its own. Guardrail
 * policies (canary, linear, rolling) are accepted, validated and stored, but run as all-at-once
 * blue/green.
 *
 * <p>Capacity: a pooled variant places instances in priority order and falls back to the next
 * pool on InsufficientInstanceCapacity, retrying all pools every {@code capacityRetryInterval}
 * until the count is placed or {@code VariantInstanceProvisionTimeoutInSeconds} has passed. That
 * timeout's meaning is unconfirmed; we take the harsher reading, one budget for all pools
 * together, counted from the start of provisioning. A single-type variant does not wait for
 * capacity: if its type cannot supply the whole count it fails after {@code
 * singleTypeCapacityFailure} (the timeout does not apply to it, unconfirmed, harsher reading).
 */
final class EndpointSimulator {
  static final Set<String> IN_PROGRESS = Set.of("Creating", "Updating", "SystemUpdating", "RollingBack", "Deleting");
  private static final Duration ALARM_POLL = Duration.ofSeconds(10);

  enum Fault { HEALTH_CHECK, SILENT_ROLLBACK, ROLLBACK_FAILS }

  record Window(Instant from, Instant until) {}

  final class Endpoint {
    final String name;
    final String arn;
    final Instant created;
    final long seq;
    Instant lastModified;
    String status;
    String failureReason;
    /**
     * The config DescribeEndpoint reports: the target one while Creating, then the active one. An
     * update changes it only when it succeeds, after the old fleet is gone.
     */
    String configName;
    /**
     * The fleet that receives traffic, and the one DescribeEndpoint's ProductionVariants describe;
     * null until a create succeeds. During an update it becomes the new fleet when traffic
     * switches, before the old fleet is terminated.
     */
    Fleet fleet;
    Operation op;
    Simulation.Timer timer;
    ObjectNode lastDeploymentConfig;
    final List<Window> maintenance = new ArrayList<>();
    boolean removed;

    Endpoint(String name, String arn, Instant created, long seq) {
      this.name = name;
      this.arn = arn;
      this.created = created;
      this.seq = seq;
      this.lastModified = created;
    }
  }

  private final SageMakerWorld w;
  private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
  /** One-shot faults for the next Create/UpdateEndpoint of an endpoint, by lower-cased name. */
  private final Map<String, EnumSet<Fault>> faults = new HashMap<>();

  EndpointSimulator(SageMakerWorld w) {
    this.w = w;
  }

  String arnOf(String name) {
    return w.arn("endpoint/" + Wire.lower(name));
  }

  // ================================================================== API

  ObjectNode create(ObjectNode req, Instant now) {
    String name = Wire.name(req, "EndpointName", "");
    String arn = arnOf(name);
    // Endpoint names are unique case-insensitively; a Deleting endpoint still holds its name.
    if (endpoints.containsKey(Wire.lower(name))) {
      throw Errors.alreadyExists("endpoint", arn);
    }
    EndpointConfigs.Config config = w.configs.require(Wire.requiredText(req, "EndpointConfigName", ""));
    ObjectNode deployment = validateDeploymentConfig(Wire.object(req, "DeploymentConfig", ""));
    var tags = Tags.read(req, "");
    requireModels(config);
    Fleet target = buildFleet(config, null, Set.of());
    checkQuota(target, null);
    Endpoint ep = new Endpoint(name, arn, now, w.nextSequence());
    ep.configName = config.name;
    ep.lastDeploymentConfig = deployment;
    endpoints.put(Wire.lower(name), ep);
    w.tags.put(arn, tags);
    EnumSet<Fault> f = takeFaults(name);
    Deploy d = new Deploy(ep, true, target, null, now, f, deployment);
    ep.op = d;
    setStatus(ep, "Creating", null, now);
    run(ep, d, now);
    return LocalJson.object().put("EndpointArn", arn);
  }

  ObjectNode update(ObjectNode req, Instant now) {
    Endpoint ep = require(Wire.requiredText(req, "EndpointName", ""));
    checkWritable(ep);
    EndpointConfigs.Config config = w.configs.require(Wire.requiredText(req, "EndpointConfigName", ""));
    boolean retainAll = Boolean.TRUE.equals(Wire.bool(req, "RetainAllVariantProperties", ""));
    Set<String> excluded = new HashSet<>();
    ArrayNode exclude = Wire.array(req, "ExcludeRetainedVariantProperties", "");
    if (exclude != null) {
      for (int i = 0; i < exclude.size(); i++) {
        excluded.add(Wire.oneOf(Wire.elementObject(exclude, i, "", "ExcludeRetainedVariantProperties"),
            "VariantPropertyType", Wire.element("", "ExcludeRetainedVariantProperties", i),
            "DesiredInstanceCount", "DesiredWeight", "DataCaptureConfig"));
      }
    }
    ObjectNode deployment;
    if (Boolean.TRUE.equals(Wire.bool(req, "RetainDeploymentConfig", ""))) {
      deployment = ep.lastDeploymentConfig;
    } else {
      deployment = validateDeploymentConfig(Wire.object(req, "DeploymentConfig", ""));
    }
    checkGuardrailVariants(ep, config, deployment);
    requireModels(config);
    Fleet target = buildFleet(config, retainAll ? ep.fleet : null, excluded);
    checkAutoscaledVariants(ep, target);
    checkQuota(target, null);
    ep.lastDeploymentConfig = deployment;
    EnumSet<Fault> f = takeFaults(ep.name);
    Deploy d = new Deploy(ep, false, target, ep.fleet, now, f, deployment);
    ep.op = d;
    setStatus(ep, "Updating", null, now);
    run(ep, d, now);
    return LocalJson.object().put("EndpointArn", ep.arn);
  }

  ObjectNode updateWeightsAndCapacities(ObjectNode req, Instant now) {
    Endpoint ep = require(Wire.requiredText(req, "EndpointName", ""));
    checkWritable(ep);
    ArrayNode list = Wire.array(req, "DesiredWeightsAndCapacities", "");
    if (list == null) {
      throw Errors.required("desiredWeightsAndCapacities");
    }
    if (list.isEmpty() || list.size() > 10) {
      throw Errors.constraint("desiredWeightsAndCapacities", list.size() + " entries",
          "Member must have length between 1 and 10");
    }
    Map<Variant, Double> weights = new LinkedHashMap<>();
    Map<Variant, Integer> counts = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      ObjectNode e = Wire.elementObject(list, i, "", "DesiredWeightsAndCapacities");
      String p = Wire.element("", "DesiredWeightsAndCapacities", i);
      String variantName = Wire.requiredText(e, "VariantName", p);
      Variant v = ep.fleet.variants.get(variantName);
      if (v == null) {
        unknown.add(variantName);
        continue;
      }
      if (weights.containsKey(v) || counts.containsKey(v)) {
        throw Errors.validation("Variant " + variantName + " appears more than once in DesiredWeightsAndCapacities.");
      }
      if (e.has("ServerlessUpdateConfig")) {
        throw Errors.validation("ServerlessUpdateConfig (" + Wire.path(p, "ServerlessUpdateConfig")
            + ") is not simulated by the Poolshift local runtime.");
      }
      Double weight = Wire.number(e, "DesiredWeight", p);
      if (weight != null) {
        if (weight < 0) {
          throw Errors.constraint(Wire.path(p, "DesiredWeight"), weight,
              "Member must have value greater than or equal to 0");
        }
        weights.put(v, weight);
      }
      Integer count = Wire.integer(e, "DesiredInstanceCount", p);
      if (count != null) {
        Wire.checkRange(count, Wire.path(p, "DesiredInstanceCount"), 1, 1000);
        counts.put(v, count);
      }
    }
    if (!unknown.isEmpty()) {
      throw Errors.validation("The variant name(s) " + unknown + " is/are not present in the current endpoint "
          + "configuration \"" + w.configs.arnOf(ep.configName) + "\".");
    }
    // AWS changes "weights of one or more variants, or capacity of one variant" per call.
    if (counts.size() > 1) {
      throw Errors.validation("UpdateEndpointWeightsAndCapacities can change the instance count of only one "
          + "variant per call (got " + counts.size() + ").");
    }
    checkScaleOutQuota(counts);
    Reweigh r = new Reweigh(ep, weights, counts, now);
    ep.op = r;
    setStatus(ep, "Updating", null, now);
    run(ep, r, now);
    return LocalJson.object().put("EndpointArn", ep.arn);
  }

  ObjectNode delete(ObjectNode req, Instant now) {
    Endpoint ep = require(Wire.requiredText(req, "EndpointName", ""));
    if (IN_PROGRESS.contains(ep.status)) {
      throw inProgress(ep);
    }
    Delete d = new Delete(ep, now);
    ep.op = d;
    setStatus(ep, "Deleting", ep.failureReason, now);
    if (ep.fleet != null) {
      terminateFleet(ep.fleet, now);
    }
    run(ep, d, now);
    return LocalJson.object();
  }

  ObjectNode describe(ObjectNode req, Instant now) {
    Endpoint ep = require(Wire.requiredText(req, "EndpointName", ""));
    return describe(ep, now);
  }

  ObjectNode list(ObjectNode req) {
    String statusEquals = Wire.oneOf(req, "StatusEquals", "", "OutOfService", "Creating", "Updating",
        "SystemUpdating", "RollingBack", "InService", "Deleting", "Failed", "UpdateRollbackFailed");
    List<Endpoint> all = new ArrayList<>(endpoints.values());
    if (statusEquals != null) {
      all = all.stream().filter(e -> e.status.equals(statusEquals)).toList();
    }
    all = Listing.filterName(all, req, e -> e.name);
    all = Listing.filterTime(all, req, "CreationTime", e -> e.created);
    all = Listing.filterTime(all, req, "LastModifiedTime", e -> e.lastModified);
    Listing.Page<Endpoint> page = Listing.page(Listing.sort(all, req, Map.of("Name", (Endpoint e) -> e.name,
        "CreationTime", (Endpoint e) -> Listing.time(e.created),
        "Status", (Endpoint e) -> String.valueOf(e.status)), "CreationTime", "Descending", e -> e.seq), req);
    ObjectNode out = LocalJson.object();
    ArrayNode items = out.putArray("Endpoints");
    for (Endpoint e : page.items()) {
      items.addObject().put("EndpointName", e.name).put("EndpointArn", e.arn)
          .put("CreationTime", Wire.epochSeconds(e.created)).put("LastModifiedTime", Wire.epochSeconds(e.lastModified))
          .put("EndpointStatus", e.status);
    }
    if (page.nextToken() != null) {
      out.put("NextToken", page.nextToken());
    }
    return out;
  }

  Endpoint find(String name) {
    return endpoints.get(Wire.lower(name));
  }

  Endpoint require(String name) {
    Endpoint ep = find(name);
    if (ep == null) {
      throw Errors.validation("Could not find endpoint \"" + arnOf(name) + "\".");
    }
    return ep;
  }

  List<Endpoint> all() {
    return List.copyOf(endpoints.values());
  }

  // ================================================================== seeding and faults

  /** An endpoint already InService at {@code now}, its instances placed at once (honouring capacity). */
  void seedInService(String name, String configName, Map<String, String> tags, Instant now) {
    Wire.checkName(name, "endpointName");
    if (endpoints.containsKey(Wire.lower(name))) {
      throw new IllegalArgumentException("endpoint " + name + " already exists");
    }
    EndpointConfigs.Config config = w.configs.find(configName);
    if (config == null) {
      throw new IllegalArgumentException("endpoint " + name + ": no endpoint config named " + configName);
    }
    requireModels(config);
    Fleet fleet = buildFleet(config, null, Set.of());
    for (Variant v : fleet.variants.values()) {
      place(v, fleet.configName, now, true);
      if (v.missing() > 0) {
        fleet.instances().forEach(i -> w.ledger.release(i.instanceType, 1));
        throw new IllegalArgumentException("cannot seed endpoint " + name + ": variant " + v.name + " needs "
            + v.desiredCount + " instances but only " + v.live().size() + " fit the capacity and quota of "
            + v.pools.stream().map(Pool::instanceType).toList() + " at " + now);
      }
      v.currentWeight = v.desiredWeight;
    }
    Endpoint ep = new Endpoint(name, arnOf(name), now, w.nextSequence());
    ep.configName = config.name;
    ep.fleet = fleet;
    ep.status = "InService";
    endpoints.put(Wire.lower(name), ep);
    w.tags.put(ep.arn, tags);
  }

  void injectFault(String endpointName, Fault fault) {
    faults.computeIfAbsent(Wire.lower(endpointName), k -> EnumSet.noneOf(Fault.class)).add(fault);
  }

  private EnumSet<Fault> takeFaults(String endpointName) {
    EnumSet<Fault> f = faults.remove(Wire.lower(endpointName));
    return f == null ? EnumSet.noneOf(Fault.class) : f;
  }

  /** Maintenance: {@code SystemUpdating} from {@code from} to {@code until}, writes rejected. */
  void addMaintenance(String endpointName, Instant from, Instant until) {
    if (!until.isAfter(from)) {
      throw new IllegalArgumentException("SystemUpdating window must end after it starts: " + from + " .. " + until);
    }
    String key = Wire.lower(endpointName);
    Window window = new Window(from, until);
    w.sim.at(from, "sagemaker:maintenance:" + endpointName, () -> w.lockedRun(endpointName, () -> {
      Endpoint ep = endpoints.get(key);
      if (ep != null) {
        ep.maintenance.add(window);
        maybeStartMaintenance(ep, w.now());
      }
    }));
  }

  /**
   * A window starts when it is due and the endpoint is InService and idle; one that falls during
   * another operation starts when that operation ends (if the window is still open then).
   */
  private void maybeStartMaintenance(Endpoint ep, Instant now) {
    ep.maintenance.removeIf(win -> !now.isBefore(win.until()));
    if (ep.op != null || !"InService".equals(ep.status)) {
      return;
    }
    for (Window win : ep.maintenance) {
      if (!now.isBefore(win.from())) {
        ep.maintenance.remove(win);
        Maintenance m = new Maintenance(ep, win.until());
        ep.op = m;
        setStatus(ep, "SystemUpdating", ep.failureReason, now);
        run(ep, m, now);
        return;
      }
    }
  }

  // ================================================================== validation helpers

  boolean hasVariant(String endpointName, String variantName) {
    Endpoint ep = endpoints.get(endpointName);
    return ep != null && !"Deleting".equals(ep.status) && ep.fleet != null
        && ep.fleet.variants.containsKey(variantName);
  }

  /**
   * "Update endpoints that use auto scaling" (SageMaker Developer Guide): an update that
   * would change the instance type of a variant registered with Application Auto Scaling fails,
   * and removing such a variant needs it deregistered first; changing only the model is allowed.
   * Harsher readings, both unconfirmed: moving between one type and InstancePools, or between
   * pool type lists, counts as an instance-type change (pool priorities alone do not), and a
   * removal is refused the same way. The exact message is ours.
   */
  private void checkAutoscaledVariants(Endpoint ep, Fleet target) {
    if (ep.fleet == null) {
      return;
    }
    for (Variant current : ep.fleet.variants.values()) {
      if (!w.scalableVariants().registered(ep.name, current.name)) {
        continue;
      }
      Variant next = target.variants.get(current.name);
      if (next == null) {
        throw Errors.validation("The variant \"" + current.name + "\" of endpoint \"" + ep.arn + "\" is registered"
            + " as a scalable target with Application Auto Scaling and cannot be removed. Deregister it"
            + " (DeregisterScalableTarget) before updating the endpoint.");
      }
      if (!instanceTypes(current).equals(instanceTypes(next))) {
        throw Errors.validation("The variant \"" + current.name + "\" of endpoint \"" + ep.arn + "\" is registered"
            + " as a scalable target with Application Auto Scaling; an update cannot change its instance type ("
            + instanceTypes(current) + " to " + instanceTypes(next) + "). Delete its scaling policies and"
            + " deregister it (DeregisterScalableTarget) before updating the endpoint, then register it again.");
      }
    }
  }

  /** "InstanceType x" or "InstancePools [x, y]" (types sorted: priorities alone are no type change). */
  private static String instanceTypes(Variant v) {
    List<String> types = v.pools.stream().map(Pool::instanceType).sorted().toList();
    return v.pooled ? "InstancePools " + types : "InstanceType " + types.get(0);
  }

  private RuntimeException inProgress(Endpoint ep) {
    return Errors.validation("Cannot update in-progress endpoint \"" + ep.arn + "\".");
  }

  /** UpdateEndpoint and UpdateEndpointWeightsAndCapacities: not in progress, not Failed. */
  private void checkWritable(Endpoint ep) {
    if (IN_PROGRESS.contains(ep.status)) {
      throw inProgress(ep);
    }
    if ("Failed".equals(ep.status)) {
      // A Failed endpoint accepts only DeleteEndpoint.
      throw Errors.validation("Cannot update failed endpoint \"" + ep.arn + "\". Delete the endpoint and "
          + "create it again.");
    }
  }

  private void requireModels(EndpointConfigs.Config config) {
    for (EndpointConfigs.VariantSpec s : config.variants()) {
      if (s.doc().hasNonNull("ModelName")) {
        w.models.require(s.doc().path("ModelName").asText());
      }
      for (JsonNode pool : s.doc().path("InstancePools")) {
        if (pool.hasNonNull("ModelNameOverride")) {
          w.models.require(pool.get("ModelNameOverride").asText());
        }
      }
    }
  }

  private static final String QUOTA_MESSAGE = "The account-level service limit '%s for endpoint usage' is %d "
      + "Instances, with current utilization of %d Instances and a request delta of %d Instances. Please use AWS "
      + "Service Quotas to request an increase for this quota. If AWS Service Quotas is not available, contact AWS "
      + "support to request an increase for this quota.";

  /**
   * Endpoint-usage quotas: single types need room for the whole request next to what the account
   * already holds (an update's old fleet included); every pool type needs a quota of at least 1
   * (unconfirmed: harsher reading).
   */
  private void checkQuota(Fleet fleet, Map<Variant, Integer> deltas) {
    Map<String, Integer> demand = new LinkedHashMap<>();
    for (Variant v : fleet.variants.values()) {
      int n = deltas == null ? v.desiredCount : deltas.getOrDefault(v, 0);
      if (n <= 0) {
        continue;
      }
      if (v.pooled) {
        for (Pool p : v.pools) {
          Integer q = w.ledger.quota(p.instanceType());
          if (q != null && q < 1) {
            throw Errors.resourceLimit(String.format(Locale.ROOT, QUOTA_MESSAGE, p.instanceType(), q,
                w.ledger.held(p.instanceType()), 1));
          }
        }
      } else {
        demand.merge(v.pools.get(0).instanceType(), n, Integer::sum);
      }
    }
    demand.forEach((type, n) -> {
      Integer q = w.ledger.quota(type);
      if (q != null && w.ledger.held(type) + n > q) {
        throw Errors.resourceLimit(String.format(Locale.ROOT, QUOTA_MESSAGE, type, q, w.ledger.held(type), n));
      }
    });
  }

  private void checkScaleOutQuota(Map<Variant, Integer> counts) {
    Map<Variant, Integer> deltas = new HashMap<>();
    counts.forEach((v, c) -> deltas.put(v, c - v.live().size()));
    Fleet f = new Fleet("scale-out", LocalJson.object());
    counts.keySet().forEach(v -> f.variants.put(v.name, v));
    checkQuota(f, deltas);
  }

  private ObjectNode validateDeploymentConfig(ObjectNode dc) {
    if (dc == null) {
      return null;
    }
    String p = "deploymentConfig.";
    ObjectNode blueGreen = Wire.object(dc, "BlueGreenUpdatePolicy", p);
    ObjectNode rolling = Wire.object(dc, "RollingUpdatePolicy", p);
    if (blueGreen != null && rolling != null) {
      throw Errors.validation("Specify at most one of BlueGreenUpdatePolicy and RollingUpdatePolicy in "
          + "DeploymentConfig.");
    }
    if (blueGreen != null) {
      String bp = p + "blueGreenUpdatePolicy.";
      ObjectNode routing = Wire.object(blueGreen, "TrafficRoutingConfiguration", bp);
      if (routing == null) {
        throw Errors.required(bp + "trafficRoutingConfiguration");
      }
      String rp = bp + "trafficRoutingConfiguration.";
      String type = Wire.oneOf(routing, "Type", rp, "ALL_AT_ONCE", "CANARY", "LINEAR");
      if (type == null) {
        throw Errors.required(rp + "type");
      }
      if (Wire.integerInRange(routing, "WaitIntervalInSeconds", rp, 0, 3600) == null) {
        throw Errors.required(rp + "waitIntervalInSeconds");
      }
      validateCapacitySize(Wire.object(routing, "CanarySize", rp), rp + "canarySize.", "CANARY".equals(type));
      validateCapacitySize(Wire.object(routing, "LinearStepSize", rp), rp + "linearStepSize.", "LINEAR".equals(type));
      Wire.integerInRange(blueGreen, "TerminationWaitInSeconds", bp, 0, 3600);
      Wire.integerInRange(blueGreen, "MaximumExecutionTimeoutInSeconds", bp, 600, 28800);
    }
    if (rolling != null) {
      String rp = p + "rollingUpdatePolicy.";
      validateCapacitySize(Wire.object(rolling, "MaximumBatchSize", rp), rp + "maximumBatchSize.", true);
      if (Wire.integerInRange(rolling, "WaitIntervalInSeconds", rp, 0, 3600) == null) {
        throw Errors.required(rp + "waitIntervalInSeconds");
      }
      Wire.integerInRange(rolling, "MaximumExecutionTimeoutInSeconds", rp, 600, 28800);
      validateCapacitySize(Wire.object(rolling, "RollbackMaximumBatchSize", rp), rp + "rollbackMaximumBatchSize.",
          false);
    }
    ObjectNode rollback = Wire.object(dc, "AutoRollbackConfiguration", p);
    if (rollback != null) {
      ArrayNode alarms = Wire.array(rollback, "Alarms", p + "autoRollbackConfiguration.");
      if (alarms != null) {
        if (alarms.isEmpty() || alarms.size() > 10) {
          throw Errors.constraint(p + "autoRollbackConfiguration.alarms", alarms.size() + " alarms",
              "Member must have length between 1 and 10");
        }
        for (int i = 0; i < alarms.size(); i++) {
          Wire.requiredText(Wire.elementObject(alarms, i, p + "autoRollbackConfiguration.", "Alarms"), "AlarmName",
              Wire.element(p + "autoRollbackConfiguration.", "Alarms", i));
        }
      }
    }
    return dc.deepCopy();
  }

  private static void validateCapacitySize(ObjectNode size, String p, boolean required) {
    if (size == null) {
      if (required) {
        throw Errors.required(p.substring(0, p.length() - 1));
      }
      return;
    }
    if (Wire.oneOf(size, "Type", p, "INSTANCE_COUNT", "CAPACITY_PERCENT") == null) {
      throw Errors.required(p + "type");
    }
    Integer value = Wire.integer(size, "Value", p);
    if (value == null) {
      throw Errors.required(p + "value");
    }
    Wire.checkRange(value, p + "value", 1, 1000);
  }

  /**
   * Guardrail deployments need the new config to keep the variant names, and rolling
   * deployments are not available for multi-variant endpoints.
   */
  private void checkGuardrailVariants(Endpoint ep, EndpointConfigs.Config config, ObjectNode dc) {
    if (dc == null || ep.fleet == null) {
      return;
    }
    boolean guarded = dc.has("BlueGreenUpdatePolicy") || dc.has("RollingUpdatePolicy");
    if (!guarded) {
      return;
    }
    for (EndpointConfigs.VariantSpec s : config.variants()) {
      if (!ep.fleet.variants.containsKey(s.name())) {
        throw Errors.validation("Deployment guardrails require the new endpoint configuration to keep the variant "
            + "names of the current one; variant " + s.name() + " is not in " + ep.configName + ".");
      }
    }
    if (dc.has("RollingUpdatePolicy") && config.variants().size() > 1) {
      throw Errors.validation("Rolling deployments are not supported for endpoints with more than one variant.");
    }
  }

  // ================================================================== fleets and placement

  private Fleet buildFleet(EndpointConfigs.Config config, Fleet retainFrom, Set<String> excluded) {
    Fleet fleet = new Fleet(config.name, config.doc.deepCopy());
    for (EndpointConfigs.VariantSpec s : config.variants()) {
      ObjectNode doc = s.doc();
      String model = doc.path("ModelName").asText();
      List<Pool> pools = new ArrayList<>();
      boolean pooled = doc.has("InstancePools");
      if (pooled) {
        for (JsonNode p : doc.get("InstancePools")) {
          String override = p.path("ModelNameOverride").asText(null);
          pools.add(new Pool(p.get("InstanceType").asText(), p.get("Priority").asInt(),
              override == null ? model : override));
        }
        pools.sort(Comparator.comparingInt(Pool::priority));
      } else {
        pools.add(new Pool(doc.get("InstanceType").asText(), 0, model));
      }
      Duration timeout = doc.has("VariantInstanceProvisionTimeoutInSeconds")
          ? Duration.ofSeconds(doc.get("VariantInstanceProvisionTimeoutInSeconds").asLong())
          : w.timingsLocked().defaultProvisionTimeout();
      int count = doc.get("InitialInstanceCount").asInt();
      double weight = doc.path("InitialVariantWeight").asDouble(1.0);
      Variant old = retainFrom == null ? null : retainFrom.variants.get(s.name());
      if (old != null) {
        if (!excluded.contains("DesiredInstanceCount")) {
          count = old.desiredCount;
        }
        if (!excluded.contains("DesiredWeight")) {
          weight = old.desiredWeight;
        }
      }
      fleet.variants.put(s.name(), new Variant(s.name(), s.shadow(), doc.deepCopy(), List.copyOf(pools), pooled,
          timeout, count, weight));
    }
    return fleet;
  }

  /**
   * Places the variant's missing instances at {@code now}: a single type all at once or not at
   * all; pools in priority order, as many per pool as it can supply. {@code immediate} = already
   * running (seeding).
   */
  private void place(Variant v, String configName, Instant now, boolean immediate) {
    int missing = v.missing();
    if (missing == 0) {
      return;
    }
    if (!v.pooled) {
      Pool p = v.pools.get(0);
      if (w.ledger.available(p.instanceType(), now) >= missing) {
        launch(v, p, missing, configName, now, immediate);
      }
      return;
    }
    for (Pool p : v.pools) {
      int n = Math.min(missing, w.ledger.available(p.instanceType(), now));
      if (n > 0) {
        launch(v, p, n, configName, now, immediate);
        missing -= n;
      }
      if (missing == 0) {
        return;
      }
    }
  }

  private void launch(Variant v, Pool p, int n, String configName, Instant now, boolean immediate) {
    w.ledger.acquire(p.instanceType(), n);
    Models.Model m = w.models.find(p.modelName());
    Instant ready = immediate ? now
        : now.plus(w.timingsLocked().instanceLaunch(p.instanceType())).plus(w.timingsLocked().modelStart());
    for (int i = 0; i < n; i++) {
      v.instances.add(new Instance(w.nextInstanceId(), p.instanceType(), p.priority(), p.modelName(),
          m == null ? null : m.packageArn, m == null ? null : m.specName, m == null ? null : m.image, configName, now,
          ready));
    }
  }

  /** Terminates instances; their capacity is freed when termination ends. */
  private void terminate(Variant v, List<Instance> instances, Instant now) {
    List<Instance> list = instances.stream().filter(i -> i.state != Instance.State.TERMINATING).toList();
    if (list.isEmpty()) {
      return;
    }
    list.forEach(i -> i.state = Instance.State.TERMINATING);
    // Terminating instances stopped serving when they were marked: this only frees capacity.
    w.sim.at(now.plus(w.timingsLocked().fleetTermination()), "sagemaker:terminate", () -> w.lockedRun(null, () -> {
      list.forEach(i -> w.ledger.release(i.instanceType, 1));
      v.instances.removeAll(list);
    }));
  }

  private void terminateFleet(Fleet fleet, Instant now) {
    fleet.variants.values().forEach(v -> terminate(v, v.instances, now));
  }

  /** Placement of one variant's missing instances over time, shared by deployments and scale-out. */
  private final class Provisioning {
    final Variant v;
    final String configName;
    final Instant deadline;
    Instant nextAttempt;
    Instant failAt;
    String failure;
    String shortOf;

    Provisioning(Variant v, String configName, Instant start) {
      this.v = v;
      this.configName = configName;
      this.deadline = start.plus(v.provisionTimeout);
      this.nextAttempt = start;
    }

    /** Tries to place; returns when to look again, or null when placed or failed ({@link #failure}). */
    Instant step(Instant now) {
      if (v.missing() == 0) {
        return null;
      }
      if (v.pooled) {
        boolean attempted = !now.isBefore(nextAttempt);
        if (attempted) {
          place(v, configName, now, false);
        }
        if (v.missing() == 0) {
          shortOf = null;
          return null;
        }
        shortOf = "waiting for capacity in " + v.pools.stream().map(Pool::instanceType).toList();
        if (!attempted) {
          // Woken for another reason (another variant's timer): keep the retry schedule.
          return nextAttempt;
        }
        if (!now.isBefore(deadline)) {
          failure = "Unable to provision requested ML compute capacity due to InsufficientInstanceCapacity error "
              + "in every instance pool of production variant " + v.name + " ("
              + String.join(", ", v.pools.stream().map(Pool::instanceType).toList()) + ") within "
              + "VariantInstanceProvisionTimeoutInSeconds (" + v.provisionTimeout.toSeconds() + " s): placed "
              + v.live().size() + " of " + v.desiredCount + " instances. Please retry after some time or add "
              + "instance pools with other ML instance types.";
          return null;
        }
        Instant retry = now.plus(w.timingsLocked().capacityRetryInterval());
        nextAttempt = retry.isBefore(deadline) ? retry : deadline;
        return nextAttempt;
      }
      String type = v.pools.get(0).instanceType();
      if (failAt == null) {
        place(v, configName, now, false);
        if (v.missing() == 0) {
          return null;
        }
        failAt = now.plus(w.timingsLocked().singleTypeCapacityFailure());
        shortOf = "InsufficientInstanceCapacity for " + type;
      }
      if (!now.isBefore(failAt)) {
        failure = "Unable to provision requested ML compute capacity due to InsufficientInstanceCapacity error. "
            + "Please retry using a different ML instance type or after some time. Consider configuring "
            + "InstancePools in your EndpointConfig to provision capacity across multiple instance types "
            + "(production variant " + v.name + ", " + type + ").";
        return null;
      }
      return failAt;
    }
  }

  // ================================================================== operations

  /** Something an endpoint does over virtual time. */
  abstract class Operation {
    final Endpoint ep;
    final Instant started;

    Operation(Endpoint ep, Instant started) {
      this.ep = ep;
      this.started = started;
    }

    /** Brings the operation up to {@code now}; returns when to look again, or null when it is over. */
    abstract Instant advance(Instant now);
  }

  private void run(Endpoint ep, Operation op, Instant now) {
    Instant next = op.advance(now);
    if (ep.op != op) {
      return;
    }
    if (next == null) {
      ep.op = null;
      if (ep.timer != null) {
        ep.timer.cancel();
        ep.timer = null;
      }
      if (!ep.removed) {
        maybeStartMaintenance(ep, now);
      }
      return;
    }
    if (ep.timer != null) {
      ep.timer.cancel();
    }
    ep.timer = w.sim.at(next, "sagemaker:" + ep.name, () -> w.lockedRun(ep.name, () -> {
      if (ep.op == op && !ep.removed) {
        run(ep, op, w.now());
      }
    }));
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
  }

  private enum Phase { PROVISIONING, ACTIVATING, BAKING, TERMINATING_OLD, ROLLING_BACK }

  /** CreateEndpoint or UpdateEndpoint: provision a fleet, switch traffic, retire the old fleet. */
  final class Deploy extends Operation {
    final boolean create;
    final Fleet target;
    final Fleet old;
    final Map<String, Provisioning> provisioning = new LinkedHashMap<>();
    final EnumSet<Fault> faults;
    final Duration bake;
    final List<String> alarms = new ArrayList<>();
    Phase phase = Phase.PROVISIONING;
    Instant phaseStart;
    Instant phaseEnd;
    String rollbackReason;

    Deploy(Endpoint ep, boolean create, Fleet target, Fleet old, Instant now, EnumSet<Fault> faults,
        ObjectNode deployment) {
      super(ep, now);
      this.create = create;
      this.target = target;
      this.old = old;
      this.faults = faults;
      this.phaseStart = now;
      target.variants.values().forEach(v -> provisioning.put(v.name, new Provisioning(v, target.configName, now)));
      long bakeSeconds = 0;
      if (deployment != null) {
        JsonNode bg = deployment.path("BlueGreenUpdatePolicy");
        bakeSeconds += bg.path("TrafficRoutingConfiguration").path("WaitIntervalInSeconds").asLong(0);
        bakeSeconds += bg.path("TerminationWaitInSeconds").asLong(0);
        bakeSeconds += deployment.path("RollingUpdatePolicy").path("WaitIntervalInSeconds").asLong(0);
        deployment.path("AutoRollbackConfiguration").path("Alarms").forEach(a -> alarms.add(a.path("AlarmName").asText()));
      }
      this.bake = create ? Duration.ZERO : Duration.ofSeconds(bakeSeconds);
    }

    @Override
    Instant advance(Instant now) {
      while (true) {
        switch (phase) {
          case PROVISIONING -> {
            Instant next = null;
            for (Provisioning p : provisioning.values()) {
              Instant t = p.step(now);
              if (p.failure != null) {
                return fail(now, p.failure);
              }
              next = earliest(next, t);
            }
            if (next != null) {
              return next;
            }
            Instant ready = target.lastReadyAt();
            if (ready != null && now.isBefore(ready)) {
              return ready;
            }
            String unhealthy = healthFailure();
            if (unhealthy != null) {
              return fail(now, unhealthy);
            }
            enter(Phase.ACTIVATING, now, w.timingsLocked().trafficActivation());
          }
          case ACTIVATING -> {
            if (now.isBefore(phaseEnd)) {
              return phaseEnd;
            }
            if (!switchTraffic(now)) {
              return null;
            }
          }
          case BAKING -> {
            String alarm = alarmInAlarm();
            if (alarm != null) {
              rollBackToOld(now, "Deployment stopped and rolled back: auto-rollback alarm " + alarm
                  + " was in ALARM state while the new fleet (" + target.configName + ") was baking.");
              continue;
            }
            if (now.isBefore(phaseEnd)) {
              if (alarms.isEmpty() || w.alarmStateSource() == null) {
                return phaseEnd;
              }
              Instant poll = now.plus(ALARM_POLL);
              return poll.isBefore(phaseEnd) ? poll : phaseEnd;
            }
            terminateFleet(old, now);
            enter(Phase.TERMINATING_OLD, now, w.timingsLocked().fleetTermination());
          }
          case TERMINATING_OLD -> {
            if (now.isBefore(phaseEnd)) {
              return phaseEnd;
            }
            ep.configName = target.configName;
            setStatus(ep, "InService", null, now);
            return null;
          }
          case ROLLING_BACK -> {
            if (now.isBefore(phaseEnd)) {
              return phaseEnd;
            }
            setStatus(ep, "InService", rollbackReason, now);
            return null;
          }
          default -> throw new IllegalStateException(phase.name());
        }
      }
    }

    private void enter(Phase next, Instant now, Duration length) {
      phase = next;
      phaseStart = now;
      phaseEnd = now.plus(length);
    }

    private String healthFailure() {
      for (Variant v : target.variants.values()) {
        boolean bad = faults.contains(Fault.HEALTH_CHECK)
            || v.instances.stream().anyMatch(i -> w.isUnhealthy(i.modelName));
        if (bad) {
          return "The primary container for production variant " + v.name + " did not pass the ping health "
              + "check. Please check CloudWatch logs for this endpoint.";
        }
      }
      return null;
    }

    /** Returns false when the operation ended here. */
    private boolean switchTraffic(Instant now) {
      if (create) {
        target.variants.values().forEach(v -> v.currentWeight = v.desiredWeight);
        ep.fleet = target;
        setStatus(ep, "InService", null, now);
        return false;
      }
      if (w.configs.find(target.configName) == null) {
        // AWS says never to delete a config an in-flight UpdateEndpoint uses. We make that fail the
        // deployment (harsher reading of what AWS does with it).
        fail(now, "Could not find endpoint configuration \"" + w.configs.arnOf(target.configName)
            + "\". It was deleted while the endpoint was being updated to it.");
        return false;
      }
      if (faults.contains(Fault.SILENT_ROLLBACK)) {
        // SageMaker can roll an update back without saying why: old config, no FailureReason.
        terminateFleet(target, now);
        setStatus(ep, "InService", null, now);
        return false;
      }
      if (faults.contains(Fault.ROLLBACK_FAILS)) {
        // Both the deployment and its rollback failed: the endpoint serves old and new instances.
        for (Variant v : target.variants.values()) {
          Variant existing = ep.fleet.variants.get(v.name);
          if (existing == null) {
            v.currentWeight = v.desiredWeight;
            ep.fleet.variants.put(v.name, v);
          } else {
            existing.instances.addAll(v.instances);
          }
        }
        setStatus(ep, "UpdateRollbackFailed", "The deployment to endpoint configuration " + target.configName
            + " failed and so did its rollback; the endpoint serves instances of " + ep.configName + " and "
            + target.configName + ".", now);
        return false;
      }
      target.variants.values().forEach(v -> v.currentWeight = v.desiredWeight);
      ep.fleet = target;
      enter(Phase.BAKING, now, bake);
      return true;
    }

    private String alarmInAlarm() {
      var source = w.alarmStateSource();
      if (source == null) {
        return null;
      }
      for (String alarm : alarms) {
        if ("ALARM".equals(source.apply(alarm))) {
          return alarm;
        }
      }
      return null;
    }

    private void rollBackToOld(Instant now, String reason) {
      ep.fleet = old;
      terminateFleet(target, now);
      rollbackReason = reason;
      enter(Phase.ROLLING_BACK, now, w.timingsLocked().trafficActivation());
      setStatus(ep, "RollingBack", reason, now);
    }

    private Instant fail(Instant now, String reason) {
      terminateFleet(target, now);
      if (create) {
        setStatus(ep, "Failed", reason, now);
      } else {
        // The update is rolled back: the old fleet never stopped serving.
        setStatus(ep, "InService", reason, now);
      }
      return null;
    }

    /** VariantStatus of a variant of the new fleet, for PendingDeploymentSummary. */
    ArrayNode pendingStatus(Variant v, Instant now) {
      ArrayNode list = LocalJson.MAPPER.createArrayNode();
      ObjectNode s = list.addObject();
      switch (phase) {
        case PROVISIONING -> {
          s.put("Status", "Creating");
          Provisioning p = provisioning.get(v.name);
          String msg = "Launching instances: " + v.live().size() + " of " + v.desiredCount + " placed, "
              + v.upCount(now) + " in service";
          if (p != null && p.shortOf != null && v.missing() > 0) {
            msg += "; " + p.shortOf;
          }
          s.put("StatusMessage", msg);
          s.put("StartTime", Wire.epochSeconds(started));
        }
        case ACTIVATING -> {
          s.put("Status", "ActivatingTraffic");
          s.put("StartTime", Wire.epochSeconds(phaseStart));
        }
        case BAKING -> {
          s.put("Status", "Baking");
          s.put("StartTime", Wire.epochSeconds(phaseStart));
        }
        case TERMINATING_OLD -> {
          s.put("Status", "Deleting");
          s.put("StatusMessage", "Terminating the instances of endpoint configuration " + old.configName);
          s.put("StartTime", Wire.epochSeconds(phaseStart));
        }
        case ROLLING_BACK -> {
          s.put("Status", "Deleting");
          s.put("StatusMessage", "Rolling back: terminating the instances of endpoint configuration "
              + target.configName);
          s.put("StartTime", Wire.epochSeconds(phaseStart));
        }
        default -> throw new IllegalStateException(phase.name());
      }
      return list;
    }
  }

  /** UpdateEndpointWeightsAndCapacities: weights move after a while, capacity changes in place. */
  final class Reweigh extends Operation {
    final Map<Variant, Double> previousWeights = new LinkedHashMap<>();
    final Map<Variant, Integer> previousCounts = new LinkedHashMap<>();
    final Map<Variant, Set<Instance>> before = new LinkedHashMap<>();
    final Map<Variant, Provisioning> scaleOut = new LinkedHashMap<>();
    final Instant weightsEnd;
    Instant scaleInEnd;
    boolean weightsApplied;
    Instant rollbackEnd;
    String rollbackReason;

    Reweigh(Endpoint ep, Map<Variant, Double> weights, Map<Variant, Integer> counts, Instant now) {
      super(ep, now);
      this.weightsEnd = now.plus(w.timingsLocked().weightUpdate());
      weights.forEach((v, weight) -> {
        previousWeights.put(v, v.desiredWeight);
        v.desiredWeight = weight;
      });
      counts.forEach((v, count) -> {
        previousCounts.put(v, v.desiredCount);
        before.put(v, new HashSet<>(v.live()));
        v.desiredCount = count;
        int excess = v.live().size() - count;
        if (excess > 0) {
          terminate(v, v.scaleInOrder().subList(0, excess), now);
          scaleInEnd = now.plus(w.timingsLocked().fleetTermination());
        } else if (excess < 0) {
          scaleOut.put(v, new Provisioning(v, ep.fleet.configName, now));
        }
      });
    }

    @Override
    Instant advance(Instant now) {
      if (rollbackEnd != null) {
        if (now.isBefore(rollbackEnd)) {
          return rollbackEnd;
        }
        setStatus(ep, "InService", rollbackReason, now);
        return null;
      }
      Instant next = null;
      for (Provisioning p : scaleOut.values()) {
        Instant t = p.step(now);
        if (p.failure != null) {
          return rollBack(now, p.failure);
        }
        next = earliest(next, t);
        if (t == null) {
          Instant ready = p.v.live().stream().map(i -> i.readyAt).max(Comparator.naturalOrder()).orElse(now);
          if (now.isBefore(ready)) {
            next = earliest(next, ready);
          }
        }
      }
      if (now.isBefore(weightsEnd)) {
        next = earliest(next, weightsEnd);
      } else if (!weightsApplied) {
        weightsApplied = true;
        ep.fleet.variants.values().forEach(v -> v.currentWeight = v.desiredWeight);
      }
      if (scaleInEnd != null && now.isBefore(scaleInEnd)) {
        next = earliest(next, scaleInEnd);
      }
      if (next != null) {
        return next;
      }
      setStatus(ep, "InService", null, now);
      return null;
    }

    /** A failed scale-out rolls the whole call back: RollingBack, then InService as before. */
    private Instant rollBack(Instant now, String reason) {
      scaleOut.forEach((v, p) -> {
        List<Instance> added = v.live().stream().filter(i -> !before.get(v).contains(i)).toList();
        terminate(v, added, now);
      });
      previousCounts.forEach((v, c) -> v.desiredCount = c);
      previousWeights.forEach((v, weight) -> v.desiredWeight = weight);
      rollbackReason = reason;
      rollbackEnd = now.plus(w.timingsLocked().weightUpdate());
      setStatus(ep, "RollingBack", reason, now);
      return rollbackEnd;
    }
  }

  /** DeleteEndpoint: Deleting for a while, then gone. */
  final class Delete extends Operation {
    final Instant end;

    Delete(Endpoint ep, Instant now) {
      super(ep, now);
      this.end = now.plus(w.timingsLocked().endpointDeletion());
    }

    @Override
    Instant advance(Instant now) {
      if (now.isBefore(end)) {
        return end;
      }
      ep.removed = true;
      endpoints.remove(Wire.lower(ep.name));
      w.tags.drop(ep.arn);
      return null;
    }
  }

  /** A SystemUpdating window: maintenance, writes rejected. */
  final class Maintenance extends Operation {
    final Instant until;

    Maintenance(Endpoint ep, Instant until) {
      super(ep, null);
      this.until = until;
    }

    @Override
    Instant advance(Instant now) {
      if (now.isBefore(until)) {
        return until;
      }
      setStatus(ep, "InService", ep.failureReason, now);
      return null;
    }
  }

  // ================================================================== status, events, describe

  private void setStatus(Endpoint ep, String status, String failureReason, Instant now) {
    ep.status = status;
    ep.failureReason = failureReason;
    ep.lastModified = now;
    emitStateChange(ep);
  }

  private void emitStateChange(Endpoint ep) {
    ObjectNode d = LocalJson.object();
    d.put("EndpointName", ep.name);
    d.put("EndpointArn", ep.arn);
    d.put("EndpointConfigName", ep.configName);
    ArrayNode variants = d.putArray("ProductionVariants");
    Fleet fleet = ep.fleet != null ? ep.fleet : ep.op instanceof Deploy dep ? dep.target : null;
    if (fleet != null) {
      for (Variant v : fleet.variants.values()) {
        if (!v.shadow) {
          // The documented example has only these two members, the count as a float.
          variants.addObject().put("DesiredWeight", v.desiredWeight).put("DesiredInstanceCount", (double) v.desiredCount);
        }
      }
    }
    String eventStatus = eventStatus(ep.status);
    d.put("EndpointStatus", eventStatus);
    if (ep.failureReason == null) {
      d.putNull("FailureReason");
    } else {
      d.put("FailureReason", ep.failureReason);
    }
    d.put("CreationTime", ep.created.toEpochMilli());
    d.put("LastModifiedTime", ep.lastModified.toEpochMilli());
    d.set("Tags", Tags.toMap(w.tags.ordered(ep.arn)));
    w.emit(new ServiceEvent("aws.sagemaker", "SageMaker Endpoint State Change", List.of(ep.arn), d),
        w.endpointEventCopies(eventStatus));
  }

  /** Events spell statuses in UPPER_SNAKE ({@code InService} → {@code IN_SERVICE}). */
  static String eventStatus(String apiStatus) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < apiStatus.length(); i++) {
      char c = apiStatus.charAt(i);
      if (i > 0 && Character.isUpperCase(c)) {
        b.append('_');
      }
      b.append(Character.toUpperCase(c));
    }
    return b.toString();
  }

  ObjectNode describe(Endpoint ep, Instant now) {
    ObjectNode n = LocalJson.object();
    n.put("EndpointName", ep.name);
    n.put("EndpointArn", ep.arn);
    n.put("EndpointConfigName", ep.configName);
    Fleet shown = ep.fleet;
    if (shown != null) {
      ArrayNode production = LocalJson.MAPPER.createArrayNode();
      ArrayNode shadow = LocalJson.MAPPER.createArrayNode();
      for (Variant v : shown.variants.values()) {
        ObjectNode s = variantSummary(ep, shown, v, now, false);
        if (ep.op instanceof Reweigh r && (r.scaleOut.containsKey(v) || r.previousCounts.containsKey(v))) {
          s.putArray("VariantStatus").addObject().put("Status", "Updating")
              .put("StatusMessage", "Changing the instance count to " + v.desiredCount)
              .put("StartTime", Wire.epochSeconds(r.started));
        }
        (v.shadow ? shadow : production).add(s);
      }
      n.set("ProductionVariants", production);
      if (!shadow.isEmpty()) {
        n.set("ShadowProductionVariants", shadow);
      }
      copyEndpointLevel(shown.config, n);
    }
    n.put("EndpointStatus", ep.status);
    if (ep.failureReason != null) {
      n.put("FailureReason", ep.failureReason);
    }
    n.put("CreationTime", Wire.epochSeconds(ep.created));
    n.put("LastModifiedTime", Wire.epochSeconds(ep.lastModified));
    if (ep.lastDeploymentConfig != null) {
      n.set("LastDeploymentConfig", ep.lastDeploymentConfig.deepCopy());
    }
    if (ep.op instanceof Deploy d) {
      ObjectNode pending = n.putObject("PendingDeploymentSummary");
      pending.put("EndpointConfigName", d.target.configName);
      pending.put("StartTime", Wire.epochSeconds(d.started));
      ArrayNode production = LocalJson.MAPPER.createArrayNode();
      ArrayNode shadow = LocalJson.MAPPER.createArrayNode();
      for (Variant v : d.target.variants.values()) {
        ObjectNode s = variantSummary(ep, d.target, v, now, true);
        s.set("VariantStatus", d.pendingStatus(v, now));
        (v.shadow ? shadow : production).add(s);
      }
      pending.set("ProductionVariants", production);
      if (!shadow.isEmpty()) {
        pending.set("ShadowProductionVariants", shadow);
      }
      if (shown == null) {
        copyEndpointLevel(d.target.config, n);
      }
    }
    return n;
  }

  private static void copyEndpointLevel(ObjectNode config, ObjectNode n) {
    JsonNode dc = config.get("DataCaptureConfig");
    if (dc != null) {
      ObjectNode s = n.putObject("DataCaptureConfig");
      boolean enabled = dc.path("EnableCapture").asBoolean(true);
      s.put("EnableCapture", enabled);
      s.put("CaptureStatus", enabled ? "Started" : "Stopped");
      s.put("CurrentSamplingPercentage", dc.path("InitialSamplingPercentage").asInt());
      s.put("DestinationS3Uri", dc.path("DestinationS3Uri").asText());
      if (dc.hasNonNull("KmsKeyId")) {
        s.put("KmsKeyId", dc.get("KmsKeyId").asText());
      }
    }
    for (String member : List.of("AsyncInferenceConfig", "ExplainerConfig", "MetricsConfig")) {
      if (config.hasNonNull(member)) {
        n.set(member, config.get(member).deepCopy());
      }
    }
  }

  private ObjectNode variantSummary(Endpoint ep, Fleet fleet, Variant v, Instant now, boolean pending) {
    ObjectNode s = LocalJson.object();
    s.put("VariantName", v.name);
    ArrayNode images = s.putArray("DeployedImages");
    Map<String, Instant> seen = new LinkedHashMap<>();
    for (Instance i : v.instances) {
      if (i.image != null && i.state != Instance.State.TERMINATING) {
        seen.merge(i.image, i.placedAt, (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    seen.forEach((image, at) -> images.addObject().put("SpecifiedImage", image)
        .put("ResolvedImage", resolved(image)).put("ResolutionTime", Wire.epochSeconds(at)));
    s.put("CurrentWeight", ep.fleet == fleet ? v.currentWeight : 0.0);
    s.put("DesiredWeight", v.desiredWeight);
    s.put("CurrentInstanceCount", v.upCount(now));
    s.put("DesiredInstanceCount", v.desiredCount);
    if (pending && !v.pooled) {
      s.put("InstanceType", v.pools.get(0).instanceType());
    }
    if (v.pooled) {
      // Pools with no running instance are left out, as in the documented example.
      ArrayNode pools = s.putArray("InstancePools");
      for (Pool p : v.pools) {
        long up = v.instances.stream().filter(i -> i.instanceType.equals(p.instanceType()) && i.upAt(now)).count();
        if (up > 0) {
          pools.addObject().put("InstanceType", p.instanceType()).put("CurrentInstanceCount", (int) up);
        }
      }
    }
    for (String member : List.of("RoutingConfig", "ManagedInstanceScaling", "CapacityReservationConfig")) {
      if (v.spec.hasNonNull(member)) {
        s.set(member, v.spec.get(member).deepCopy());
      }
    }
    return s;
  }

  private static String resolved(String image) {
    String base = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = base.lastIndexOf(':');
    if (colon > base.lastIndexOf('/')) {
      base = base.substring(0, colon);
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(image.getBytes(StandardCharsets.UTF_8));
      return base + "@sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ================================================================== views

  EndpointView view(Endpoint ep, Instant now) {
    List<VariantView> variants = new ArrayList<>();
    if (ep.fleet != null) {
      ep.fleet.variants.values().forEach(v -> variants.add(variantView(ep, ep.fleet, v, now)));
    }
    List<VariantView> pending = new ArrayList<>();
    String pendingConfig = null;
    if (ep.op instanceof Deploy d) {
      pendingConfig = d.target.configName;
      if (d.target != ep.fleet) {
        d.target.variants.values().forEach(v -> pending.add(variantView(ep, d.target, v, now)));
      }
    }
    return new EndpointView(ep.name, ep.arn, ep.status, ep.configName, pendingConfig, ep.failureReason, ep.created,
        ep.lastModified, variants, pending);
  }

  private VariantView variantView(Endpoint ep, Fleet fleet, Variant v, Instant now) {
    boolean servingFleet = ep.fleet == fleet;
    Set<String> seen = new LinkedHashSet<>();
    List<InstanceView> instances = new ArrayList<>();
    for (Instance i : v.instances) {
      if (seen.add(i.id)) {
        instances.add(new InstanceView(i.id, i.instanceType, i.priority, i.modelName, i.modelPackageArn, i.specName,
            i.configName, i.stateAt(now), servingFleet && i.upAt(now)));
      }
    }
    double weight = servingFleet ? v.currentWeight : 0.0;
    return new VariantView(v.name, v.shadow, weight, v.desiredWeight, v.upCount(now), v.desiredCount, instances);
  }
}
