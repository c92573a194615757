package dev.poolshift.local.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Inference components on an endpoint whose variant names no model (an inference-component
 * endpoint): Create, Describe, Update, Delete and List, with the per-instance-type {@code
 * Specifications} of instance pools. A component goes {@code Creating} → {@code InService} once
 * its copies have started (the model start time), {@code Updating} → {@code InService} after its
 * rolling update's batches, each started and baked, the new specification serving from the copies
 * already replaced (an auto-rollback alarm in ALARM during the update puts the replaced copies
 * back on the previous specification at once, batch by batch), and {@code Deleting} → gone.
 *
 * <p>Where the API reference leaves a rule open, the harsher reading: {@code VariantName} is
 * required; a variant on pools needs a {@code Specifications} entry for every pool type (a copy
 * could not be placed on a type the component says nothing about); an entry's type must be one of
 * the variant's; {@code CopyCount} is at least 1 on create; a component that is Creating, Updating
 * or Deleting refuses Update and Delete. Copies are placed over the variant's up instances in pool
 * priority order, round robin. Not simulated: component-level metrics and scaling, state-change
 * events, adapters' placement with their base component.
 */
final class InferenceComponents {
  private static final Set<String> BATCH_TYPES = Set.of("COPY_COUNT", "CAPACITY_PERCENT");

  static final class Component {
    final String name;
    final String arn;
    final String endpointName;
    final String variantName;
    final Instant created;
    final long seq;
    Instant lastModified;
    String status;
    String failureReason;
    /** {@code Specification} or {@code Specifications}, as last accepted. */
    ObjectNode spec;
    int desiredCopies;
    int currentCopies;
    ObjectNode lastDeploymentConfig;
    /** During an update: the specification the copies not replaced yet still run. */
    ObjectNode previousSpec;
    /** During an update: how many copies run {@link #spec} (the rest run {@link #previousSpec}). */
    int newCopies;
    /** Bumped by every update, so a superseded update's scheduled steps do nothing. */
    long generation;

    Component(String name, String arn, String endpointName, String variantName, Instant created, long seq) {
      this.name = name;
      this.arn = arn;
      this.endpointName = endpointName;
      this.variantName = variantName;
      this.created = created;
      this.seq = seq;
      this.lastModified = created;
    }
  }

  private final SageMakerWorld w;
  private final Map<String, Component> components = new LinkedHashMap<>();
  private long sequence;

  InferenceComponents(SageMakerWorld w) {
    this.w = w;
  }

  String arnOf(String name) {
    return w.arn("inference-component/" + Wire.lower(name));
  }

  ObjectNode create(ObjectNode req, Instant now) {
    String name = Wire.name(req, "InferenceComponentName", "");
    String arn = arnOf(name);
    if (components.containsKey(Wire.lower(name))) {
      throw Errors.alreadyExists("inference component", arn);
    }
    EndpointSimulator.Endpoint ep = w.endpoints.require(Wire.requiredText(req, "EndpointName", ""));
    String variantName = Wire.requiredText(req, "VariantName", "");
    Fleet.Variant variant = componentVariant(ep, variantName);
    ObjectNode spec = specification(req, variant);
    ObjectNode runtime = Wire.object(req, "RuntimeConfig", "");
    if (runtime == null) {
      throw Errors.required("runtimeConfig");
    }
    Integer copies = Wire.integer(runtime, "CopyCount", "runtimeConfig.");
    if (copies == null) {
      throw Errors.required("runtimeConfig.copyCount");
    }
    Wire.checkRange(copies, "runtimeConfig.copyCount", 1, 1000);
    Component c = new Component(name, arn, ep.name, variant.name, now, ++sequence);
    c.spec = spec;
    c.desiredCopies = copies;
    c.status = "Creating";
    components.put(Wire.lower(name), c);
    w.sim.at(now.plus(w.timingsLocked().modelStart()), "sagemaker:inference-component-created",
        () -> w.lockedRun(ep.name, () -> {
          if (components.get(Wire.lower(name)) == c && "Creating".equals(c.status)) {
            c.status = "InService";
            c.currentCopies = c.desiredCopies;
            c.lastModified = w.sim.now();
          }
        }));
    return LocalJson.object().put("InferenceComponentArn", arn);
  }

  /**
   * A component already InService with every copy placed, as a scenario seeds it: the create
   * request's checks apply, its start time does not.
   */
  ObjectNode seed(ObjectNode req, Instant now) {
    ObjectNode out = create(req, now);
    Component c = components.get(Wire.lower(Wire.name(req, "InferenceComponentName", "")));
    c.status = "InService";
    c.currentCopies = c.desiredCopies;
    return out;
  }

  /**
   * The components on {@code endpointName} that serve (InService or Updating), for traffic. A
   * component mid-update is two views: the copies already replaced run the new specification,
   * the others the previous one (copies are replaced in placement order).
   */
  List<ComponentView> views(String endpointName) {
    List<ComponentView> out = new ArrayList<>();
    for (Component c : components.values()) {
      if (!Wire.lower(endpointName).equals(Wire.lower(c.endpointName))
          || !("InService".equals(c.status) || "Updating".equals(c.status))) {
        continue;
      }
      List<String> sequence = placementSequence(c);
      boolean split = c.previousSpec != null;
      int replaced = split ? Math.min(c.newCopies, sequence.size()) : sequence.size();
      addView(out, c, c.spec, sequence.subList(0, replaced));
      if (split) {
        addView(out, c, c.previousSpec, sequence.subList(replaced, sequence.size()));
      }
    }
    return out;
  }

  private static void addView(List<ComponentView> out, Component c, ObjectNode spec,
      List<String> copyTypes) {
    if (copyTypes.isEmpty()) {
      return;
    }
    Map<String, Integer> copies = new TreeMap<>();
    copyTypes.forEach(t -> copies.merge(t, 1, Integer::sum));
    Map<String, String> models = new TreeMap<>();
    for (String type : copies.keySet()) {
      String model = modelOn(spec, type);
      if (model != null) {
        models.put(type, model);
      }
    }
    out.add(new ComponentView(c.name, c.variantName, c.status, copies, models));
  }

  private static String modelOn(ObjectNode spec, String type) {
    JsonNode single = spec.get("Specification");
    if (single != null) {
      return single.path("ModelName").asText(null);
    }
    String model = null;
    for (JsonNode e : spec.path("Specifications")) {
      if (type.equals(e.path("InstanceType").asText(null))
          || (spec.path("Specifications").size() == 1 && !e.has("InstanceType"))) {
        model = e.path("ModelName").asText(null);
      }
    }
    return model;
  }

  ObjectNode describe(ObjectNode req) {
    Component c = require(Wire.requiredText(req, "InferenceComponentName", ""));
    ObjectNode n = LocalJson.object();
    n.put("InferenceComponentName", c.name);
    n.put("InferenceComponentArn", c.arn);
    n.put("EndpointName", c.endpointName);
    n.put("EndpointArn", w.endpoints.arnOf(c.endpointName));
    n.put("VariantName", c.variantName);
    if (c.failureReason != null) {
      n.put("FailureReason", c.failureReason);
    }
    n.setAll(c.spec.deepCopy());
    ObjectNode runtime = n.putObject("RuntimeConfig");
    runtime.put("DesiredCopyCount", c.desiredCopies);
    runtime.put("CurrentCopyCount", c.currentCopies);
    ArrayNode placement = runtime.putArray("PlacementStatus");
    placement(c).forEach((type, count) -> placement.addObject().put("InstanceType", type)
        .put("CurrentCopyCount", count));
    n.put("InferenceComponentStatus", c.status);
    if (c.lastDeploymentConfig != null) {
      n.set("LastDeploymentConfig", c.lastDeploymentConfig.deepCopy());
    }
    n.put("CreationTime", Wire.epochSeconds(c.created));
    n.put("LastModifiedTime", Wire.epochSeconds(c.lastModified));
    return n;
  }

  ObjectNode update(ObjectNode req, Instant now) {
    Component c = require(Wire.requiredText(req, "InferenceComponentName", ""));
    if (!"InService".equals(c.status)) {
      throw Errors.validation("Cannot update in-progress inference component \"" + c.arn + "\" (status "
          + c.status + ").");
    }
    EndpointSimulator.Endpoint ep = w.endpoints.require(c.endpointName);
    Fleet.Variant variant = componentVariant(ep, c.variantName);
    boolean newSpec = req.has("Specification") || req.has("Specifications");
    ObjectNode spec = newSpec ? specification(req, variant) : c.spec;
    ObjectNode runtime = Wire.object(req, "RuntimeConfig", "");
    Integer copies = runtime == null ? null : Wire.integer(runtime, "CopyCount", "runtimeConfig.");
    if (copies != null) {
      Wire.checkRange(copies, "runtimeConfig.copyCount", 1, 1000);
    }
    ObjectNode deployment = Wire.object(req, "DeploymentConfig", "");
    int batchPercent = 100;
    int rollbackPercent = 100;
    int wait = 0;
    List<String> alarms = List.of();
    if (deployment != null) {
      ObjectNode rolling = Wire.object(deployment, "RollingUpdatePolicy", "deploymentConfig.");
      if (rolling == null) {
        throw Errors.required("deploymentConfig.rollingUpdatePolicy");
      }
      batchPercent = batchPercent(rolling, c.desiredCopies);
      Integer interval = Wire.integerInRange(rolling, "WaitIntervalInSeconds",
          "deploymentConfig.rollingUpdatePolicy.", 0, 3600);
      if (interval == null) {
        throw Errors.required("deploymentConfig.rollingUpdatePolicy.waitIntervalInSeconds");
      }
      wait = interval;
      Wire.integerInRange(rolling, "MaximumExecutionTimeoutInSeconds",
          "deploymentConfig.rollingUpdatePolicy.", 600, 28800);
      ObjectNode back = Wire.object(rolling, "RollbackMaximumBatchSize",
          "deploymentConfig.rollingUpdatePolicy.");
      if (back != null && "CAPACITY_PERCENT".equals(back.path("Type").asText())) {
        rollbackPercent = Math.clamp(back.path("Value").asInt(100), 1, 100);
      } else if (back != null && "COPY_COUNT".equals(back.path("Type").asText())) {
        rollbackPercent = (int) Math.ceil(100.0 * back.path("Value").asInt(1)
            / Math.max(1, c.desiredCopies));
      }
      alarms = autoRollbackAlarms(deployment);
      c.lastDeploymentConfig = deployment.deepCopy();
    }
    c.previousSpec = c.spec;
    c.spec = spec;
    if (copies != null) {
      c.desiredCopies = copies;
    }
    c.newCopies = 0;
    c.status = "Updating";
    c.lastModified = now;
    c.generation++;
    Rolling r = new Rolling(c, c.generation, batchCopies(c.desiredCopies, batchPercent),
        batchCopies(c.desiredCopies, rollbackPercent), Duration.ofSeconds(wait), alarms);
    nextBatch(r, now);
    return LocalJson.object().put("InferenceComponentArn", c.arn);
  }

  /**
   * SageMaker's rolling update as its API reference describes it: copies replaced a batch at a
   * time ({@code MaximumBatchSize}), each batch started, then baked {@code WaitIntervalInSeconds}
   * under the auto-rollback alarms. The alarms are read every {@link #ALARM_READ} from the first
   * batch on (the harsher reading: an alarm at any moment of the update, not only at a bake's
   * end, turns it around), and a rollback replaces the new copies back batch by batch
   * ({@code RollbackMaximumBatchSize}, all at once by default).
   */
  private record Rolling(Component c, long generation, int batch, int rollbackBatch,
      Duration bake, List<String> alarms) {}

  static final Duration ALARM_READ = Duration.ofSeconds(10);

  private static int batchCopies(int copies, int percent) {
    return Math.max(1, (int) Math.ceil(copies * percent / 100.0));
  }

  private boolean current(Rolling r) {
    return components.get(Wire.lower(r.c().name)) == r.c() && r.c().generation == r.generation()
        && "Updating".equals(r.c().status) && r.c().previousSpec != null;
  }

  private String firing(Rolling r) {
    return r.alarms().stream().filter(a -> w.alarmStateSource() != null
        && "ALARM".equals(w.alarmStateSource().apply(a))).findFirst().orElse(null);
  }

  /** Starts the next batch; its copies serve the new specification once they have started. */
  private void nextBatch(Rolling r, Instant from) {
    Instant started = from.plus(w.timingsLocked().modelStart());
    watch(r, from, started);
    w.sim.at(started, "sagemaker:inference-component-batch", () -> w.lockedRun(r.c().endpointName, () -> {
      if (!current(r)) {
        return;
      }
      Component c = r.c();
      c.newCopies = Math.min(c.desiredCopies, c.newCopies + r.batch());
      c.currentCopies = c.desiredCopies;
      c.lastModified = w.sim.now();
      Instant baked = w.sim.now().plus(r.bake());
      watch(r, w.sim.now(), baked);
      w.sim.at(baked, "sagemaker:inference-component-baked", () -> w.lockedRun(c.endpointName, () -> {
        if (!current(r)) {
          return;
        }
        String alarm = firing(r);
        if (alarm != null) {
          rollBack(r, alarm, w.sim.now());
        } else if (c.newCopies >= c.desiredCopies) {
          c.previousSpec = null;
          c.failureReason = null;
          c.status = "InService";
          c.lastModified = w.sim.now();
        } else {
          nextBatch(r, w.sim.now());
        }
      }));
    }));
  }

  /** Reads the alarms every {@link #ALARM_READ} between {@code from} and {@code to}. */
  private void watch(Rolling r, Instant from, Instant to) {
    if (r.alarms().isEmpty()) {
      return;
    }
    for (Instant t = from.plus(ALARM_READ); t.isBefore(to); t = t.plus(ALARM_READ)) {
      w.sim.at(t, "sagemaker:inference-component-alarm-read", () -> w.lockedRun(r.c().endpointName, () -> {
        if (current(r)) {
          String alarm = firing(r);
          if (alarm != null) {
            rollBack(r, alarm, w.sim.now());
          }
        }
      }));
    }
  }

  /** Auto-rollback: the replaced copies back on the previous specification, batch by batch. */
  private void rollBack(Rolling r, String alarm, Instant now) {
    Component c = r.c();
    c.generation++;
    long generation = c.generation;
    c.failureReason = "Rolled back: alarm " + alarm + " was in ALARM during the rolling update.";
    c.lastModified = now;
    rollbackBatch(c, generation, r.rollbackBatch(), now);
  }

  private void rollbackBatch(Component c, long generation, int batch, Instant from) {
    w.sim.at(from.plus(w.timingsLocked().modelStart()), "sagemaker:inference-component-rolled-back",
        () -> w.lockedRun(c.endpointName, () -> {
          if (components.get(Wire.lower(c.name)) != c || c.generation != generation
              || !"Updating".equals(c.status)) {
            return;
          }
          c.newCopies = Math.max(0, c.newCopies - batch);
          c.lastModified = w.sim.now();
          if (c.newCopies == 0) {
            c.spec = c.previousSpec;
            c.previousSpec = null;
            c.status = "InService";
          } else {
            rollbackBatch(c, generation, batch, w.sim.now());
          }
        }));
  }

  ObjectNode delete(ObjectNode req, Instant now) {
    Component c = require(Wire.requiredText(req, "InferenceComponentName", ""));
    if (!"InService".equals(c.status) && !"Failed".equals(c.status)) {
      throw Errors.validation("Cannot delete in-progress inference component \"" + c.arn + "\" (status "
          + c.status + ").");
    }
    c.status = "Deleting";
    c.lastModified = now;
    w.sim.at(now.plus(w.timingsLocked().fleetTermination()), "sagemaker:inference-component-deleted",
        () -> w.lockedRun(c.endpointName, () -> components.remove(Wire.lower(c.name), c)));
    return LocalJson.object();
  }

  ObjectNode list(ObjectNode req) {
    List<Component> all = new ArrayList<>(components.values());
    String endpoint = Wire.text(req, "EndpointNameEquals", "");
    String variant = Wire.text(req, "VariantNameEquals", "");
    String status = Wire.oneOf(req, "StatusEquals", "", "InService", "Creating", "Updating", "Failed",
        "Deleting");
    all = all.stream().filter(c -> endpoint == null || Wire.lower(endpoint).equals(Wire.lower(c.endpointName)))
        .filter(c -> variant == null || variant.equals(c.variantName))
        .filter(c -> status == null || status.equals(c.status)).toList();
    all = Listing.filterName(all, req, c -> c.name);
    all = Listing.filterTime(all, req, "CreationTime", c -> c.created);
    all = Listing.filterTime(all, req, "LastModifiedTime", c -> c.lastModified);
    Listing.Page<Component> page = Listing.page(Listing.sort(all, req, Map.of(
        "Name", (Component c) -> c.name, "CreationTime", (Component c) -> Listing.time(c.created),
        "Status", (Component c) -> c.status), "CreationTime", "Descending", c -> c.seq), req);
    ObjectNode out = LocalJson.object();
    ArrayNode list = out.putArray("InferenceComponents");
    page.items().forEach(c -> list.addObject().put("InferenceComponentName", c.name)
        .put("InferenceComponentArn", c.arn).put("EndpointName", c.endpointName)
        .put("EndpointArn", w.endpoints.arnOf(c.endpointName)).put("VariantName", c.variantName)
        .put("InferenceComponentStatus", c.status).put("CreationTime", Wire.epochSeconds(c.created))
        .put("LastModifiedTime", Wire.epochSeconds(c.lastModified)));
    if (page.nextToken() != null) {
      out.put("NextToken", page.nextToken());
    }
    return out;
  }

  private Component require(String name) {
    Component c = components.get(Wire.lower(name));
    if (c == null) {
      throw Errors.validation("Could not find inference component \"" + arnOf(name) + "\".");
    }
    return c;
  }

  /** The endpoint's variant a component goes on: it must exist and name no model. */
  private static Fleet.Variant componentVariant(EndpointSimulator.Endpoint ep, String variantName) {
    if (ep.fleet == null || !"InService".equals(ep.status)) {
      throw Errors.validation("Endpoint \"" + ep.arn + "\" is " + ep.status + "; inference components are placed"
          + " on an InService endpoint.");
    }
    Fleet.Variant v = ep.fleet.variants.get(variantName);
    if (v == null || v.shadow) {
      throw Errors.validation("Could not find production variant " + variantName + " on endpoint \"" + ep.arn
          + "\".");
    }
    if (v.spec.hasNonNull("ModelName")) {
      throw Errors.validation("Variant " + variantName + " of endpoint \"" + ep.arn + "\" runs model "
          + v.spec.get("ModelName").asText() + "; inference components need a variant without ModelName.");
    }
    return v;
  }

  /**
   * Validates {@code Specification} or {@code Specifications} (exactly one) against the variant
   * and returns it as the member to echo.
   */
  private ObjectNode specification(ObjectNode req, Fleet.Variant variant) {
    ObjectNode single = Wire.object(req, "Specification", "");
    ArrayNode list = Wire.array(req, "Specifications", "");
    if ((single == null) == (list == null)) {
      throw Errors.validation("Exactly one of Specification or Specifications must be specified.");
    }
    Set<String> types = new HashSet<>();
    variant.pools.forEach(p -> types.add(p.instanceType()));
    ObjectNode out = LocalJson.object();
    if (single != null) {
      checkEntry(single, "specification.", null, types);
      out.set("Specification", single.deepCopy());
      return out;
    }
    if (list.isEmpty() || list.size() > 5) {
      throw Errors.constraint("specifications", list.size() + " entries", "Member must have length between 1 and 5");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      ObjectNode e = Wire.elementObject(list, i, "", "Specifications");
      String p = Wire.element("", "Specifications", i) + ".";
      String type = Wire.text(e, "InstanceType", p);
      if (type == null && list.size() > 1) {
        throw Errors.required(p + "instanceType");
      }
      if (type != null && !seen.add(type)) {
        throw Errors.validation("Instance type " + type + " appears in more than one entry of Specifications ("
            + p + "instanceType).");
      }
      checkEntry(e, p, type, types);
    }
    if (variant.pooled) {
      List<String> missing = variant.pools.stream().map(Fleet.Pool::instanceType)
          .filter(t -> !seen.contains(t)).toList();
      if (!missing.isEmpty() && !(list.size() == 1 && seen.isEmpty())) {
        throw Errors.validation("Specifications has no entry for the variant's instance pool types " + missing
            + "; give one entry per pool type, or one Specification for every type.");
      }
    }
    out.set("Specifications", list.deepCopy());
    return out;
  }

  private void checkEntry(ObjectNode e, String p, String type, Set<String> variantTypes) {
    if (type != null && !variantTypes.contains(type)) {
      throw Errors.validation("Instance type " + type + " (" + p + "instanceType) is not one of the variant's "
          + new java.util.TreeSet<>(variantTypes) + ".");
    }
    String model = Wire.text(e, "ModelName", p);
    String base = Wire.text(e, "BaseInferenceComponentName", p);
    if (model != null) {
      w.models.require(model);
    }
    if (base == null) {
      ObjectNode compute = Wire.object(e, "ComputeResourceRequirements", p);
      if (compute == null) {
        throw Errors.required(p + "computeResourceRequirements");
      }
      Integer memory = Wire.integer(compute, "MinMemoryRequiredInMb", p + "computeResourceRequirements.");
      if (memory == null) {
        throw Errors.required(p + "computeResourceRequirements.minMemoryRequiredInMb");
      }
      if (model == null && !e.has("Container")) {
        throw Errors.validation("Specify ModelName or Container (" + p + "modelName).");
      }
    }
  }

  private static int batchPercent(ObjectNode rolling, int copies) {
    String prefix = "deploymentConfig.rollingUpdatePolicy.maximumBatchSize.";
    ObjectNode size = Wire.object(rolling, "MaximumBatchSize", "deploymentConfig.rollingUpdatePolicy.");
    if (size == null) {
      throw Errors.required("deploymentConfig.rollingUpdatePolicy.maximumBatchSize");
    }
    String type = Wire.text(size, "Type", prefix);
    Integer value = Wire.integer(size, "Value", prefix);
    if (type == null || !BATCH_TYPES.contains(type)) {
      throw Errors.constraint(prefix + "type", type, "Member must satisfy enum value set: [COPY_COUNT, "
          + "CAPACITY_PERCENT]");
    }
    if (value == null) {
      throw Errors.required(prefix + "value");
    }
    int percent = "CAPACITY_PERCENT".equals(type) ? value : (int) Math.ceil(100.0 * value / Math.max(1, copies));
    if (percent < 5 || percent > 50) {
      throw Errors.validation("MaximumBatchSize must be between 5% and 50% of the copy count (got " + value
          + " as " + type + " of " + copies + " copies).");
    }
    return percent;
  }

  private static List<String> autoRollbackAlarms(ObjectNode deployment) {
    ObjectNode rollback = Wire.object(deployment, "AutoRollbackConfiguration", "deploymentConfig.");
    if (rollback == null) {
      return List.of();
    }
    ArrayNode alarms = Wire.array(rollback, "Alarms", "deploymentConfig.autoRollbackConfiguration.");
    if (alarms == null) {
      return List.of();
    }
    if (alarms.isEmpty() || alarms.size() > 10) {
      throw Errors.constraint("deploymentConfig.autoRollbackConfiguration.alarms", alarms.size() + " alarms",
          "Member must have length between 1 and 10");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode a : alarms) {
      names.add(a.path("AlarmName").asText());
    }
    return names;
  }

  /** Current copies per instance type: round robin over the variant's up instances, by pool priority. */
  private Map<String, Integer> placement(Component c) {
    Map<String, Integer> out = new TreeMap<>();
    placementSequence(c).forEach(t -> out.merge(t, 1, Integer::sum));
    return out;
  }

  /** The instance type of each current copy, in placement order. */
  private List<String> placementSequence(Component c) {
    List<String> out = new ArrayList<>();
    EndpointSimulator.Endpoint ep = w.endpoints.find(c.endpointName);
    if (ep == null || ep.fleet == null || c.currentCopies == 0) {
      return out;
    }
    Fleet.Variant v = ep.fleet.variants.get(c.variantName);
    if (v == null) {
      return out;
    }
    Instant now = w.sim.now();
    List<Fleet.Instance> up = v.instances.stream().filter(i -> i.upAt(now))
        .sorted(Comparator.comparingInt((Fleet.Instance i) -> i.priority).thenComparing(i -> i.id)).toList();
    if (up.isEmpty()) {
      return out;
    }
    for (int k = 0; k < c.currentCopies; k++) {
      out.add(up.get(k % up.size()).instanceType);
    }
    return out;
  }
}
