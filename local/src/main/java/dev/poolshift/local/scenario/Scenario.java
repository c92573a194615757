package dev.poolshift.local.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sagemaker.ApiLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rehearsal of the world a rollout runs in (schema: {@code events/scenarios/README.md}): model
 * package groups, endpoints as they are today, deployment profiles, instance capacity over
 * virtual time, and a timeline of things that happen (an approval at t = 60 s, an operator's
 * console input, ...). Parsed strictly: unknown fields are errors, every problem names its field.
 *
 * @param baseDir where relative paths in the scenario (profiles, console inputs) are resolved:
 *     the repository root when the file is under it, else the file's folder
 */
public record Scenario(
    String name,
    String description,
    Path template,
    Map<String, String> parameters,
    Instant start,
    long seed,
    double limitSeconds,
    List<Group> modelPackageGroups,
    List<Endpoint> endpoints,
    Map<String, JsonNode> profiles,
    List<JsonNode> alarms,
    Map<String, List<CapacityStep>> capacity,
    Map<String, Integer> quotas,
    JsonNode timings,
    JsonNode traffic,
    List<Event> timeline,
    Path baseDir,
    IamSettings iam,
    ApiLimits sagemakerApiLimits) {

  /** A model package group; versions are created in order, so the first is version 1. */
  public record Group(String name, List<Version> versions) {}

  /** One model package version: approval status, container image, optional per-hardware builds. */
  public record Version(String approval, String image, Map<String, String> additionalInferenceSpecifications) {}

  /** An endpoint that exists before the scenario starts, InService on one config. */
  public record Endpoint(String name, String configName, List<Variant> variants, ObjectNode configExtras, Map<String, String> tags) {}

  /**
   * A production variant of a seeded endpoint: a model version on one instance type or on pools.
   *
   * @param modelPackage {@code <group>/<version>}
   * @param model other CreateModel members of the variant's model, in the API's own form ({@code VpcConfig},
   *     {@code EnableNetworkIsolation}, {@code PrimaryContainer} members beside the package such as
   *     {@code Environment}); empty for none
   */
  /**
   * A seeded variant: its model is built from {@code modelPackage}, or (no package) from the image and
   * model data in {@code model.PrimaryContainer}, named {@code modelName} when given.
   */
  public record Variant(String variantName, String modelPackage, String instanceType, List<Pool> instancePools,
      Integer provisionTimeoutSeconds, int instanceCount, double weight, ObjectNode extras, Autoscaling autoscaling,
      ObjectNode model, String modelName, InferenceComponent inferenceComponent) {}

  /**
   * The variant is an inference-component variant (its config names no model): one component,
   * InService from the start, runs {@code modelPackage}'s model with one {@code Specification}.
   *
   * @param computeResourceRequirements the specification's, in the API's own form
   */
  public record InferenceComponent(String name, int copies, ObjectNode computeResourceRequirements) {}

  /**
   * The variant registered with Application Auto Scaling before the scenario starts.
   *
   * @param suspendedState RegisterScalableTarget's {@code SuspendedState}, or null
   * @param policies PutScalingPolicy request documents without the target fields
   * @param scheduledActions PutScheduledAction request documents without the target fields
   */
  public record Autoscaling(int minCapacity, int maxCapacity, ObjectNode suspendedState, List<ObjectNode> policies,
      List<ObjectNode> scheduledActions) {}

  public record Pool(String instanceType, int priority) {}

  public record CapacityStep(long at, int available) {}

  /**
   * How the rehearsal evaluates IAM.
   *
   * @param mode {@code enforce} (a denied call fails as in AWS) or {@code report} (only recorded)
   * @param unknownCredentials {@code admin} (calls signed by keys that are not a function's or
   *     state machine's are let through unevaluated) or {@code reject} (refused as an unknown key)
   * @param deny explicit denials added to roles of the template
   */
  public record IamSettings(String mode, String unknownCredentials, List<Denial> deny) {
    public static final IamSettings DEFAULT = new IamSettings("enforce", "admin", List.of());
  }

  /**
   * A permission a role lacks in this rehearsal: an explicit Deny of {@code action} on
   * {@code resource} ({@code *} when null) added to the role of {@code function} (a function's
   * or state machine's logical id).
   */
  public record Denial(String function, String action, String resource) {}

  /**
   * Something that happens at {@code at} seconds, or at a workflow moment ({@code when}): exactly
   * one action.
   *
   * @param at seconds from the start; NaN for an entry that waits for {@code when} and has not run
   *     (a played copy, {@link ScenarioRunner.Playback#asPlayed}, gives the time it ran)
   * @param index its position in the file's {@code timeline} (the list is kept sorted by time,
   *     entries waiting for a moment last)
   * @param when the moment it waits for, or null for an entry at a fixed time
   */
  public record Event(double at, String action, JsonNode spec, int index, TimelineTrigger when) {
    public Event(double at, String action, JsonNode spec, int index) {
      this(at, action, spec, index, null);
    }
  }

  static final Set<String> ACTIONS = union(Set.of("approve", "reject", "updatePackageMetadata", "startExecution",
      "stopExecution", "fault", "setAlarmState"), TimelineActions.ACTIONS);

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  public static Scenario load(Path file) {
    JsonNode root;
    try {
      root = LocalJson.read(file);
    } catch (IllegalArgumentException e) {
      throw new ScenarioException(file.toString(), List.of(e.getMessage()));
    }
    Path abs = file.toAbsolutePath().normalize();
    Path base = repoRootOf(abs).orElse(abs.getParent());
    return parse(root, file.toString(), base);
  }

  /** The nearest folder above {@code file} holding a template.yaml: relative paths start there. */
  private static java.util.Optional<Path> repoRootOf(Path file) {
    for (Path p = file.getParent(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("template.yaml"))) {
        return java.util.Optional.of(p);
      }
    }
    return java.util.Optional.empty();
  }

  public static Scenario parse(JsonNode root, String source, Path baseDir) {
    Reader r = new Reader();
    if (!(root instanceof ObjectNode obj)) {
      throw new ScenarioException(source, List.of("(root): must be a JSON object"));
    }
    r.allowOnly("", obj, "name", "description", "template", "parameters", "start", "seed", "limitSeconds", "world",
        "capacity", "quotas", "timings", "traffic", "timeline", "iam", "$schema");
    String name = r.requiredText("name", obj.get("name"));
    String description = r.optionalText("description", obj.get("description"));
    Path template = baseDir.resolve(obj.path("template").asText("template.yaml"));
    Map<String, String> parameters = new LinkedHashMap<>();
    if (obj.has("parameters")) {
      r.object("parameters", obj.get("parameters")).ifPresent(p -> p.fields().forEachRemaining(e -> {
        if (e.getValue().isValueNode()) {
          parameters.put(e.getKey(), e.getValue().asText());
        } else {
          r.problem("parameters." + e.getKey(), "must be a string or number");
        }
      }));
    }
    Instant start = dev.poolshift.local.sim.Simulation.DEFAULT_EPOCH;
    if (obj.has("start")) {
      try {
        start = Instant.parse(obj.get("start").asText());
      } catch (DateTimeParseException e) {
        r.problem("start", "must be an ISO-8601 instant like 2026-06-01T12:00:00Z");
      }
    }
    long seed = obj.has("seed") ? r.integer("seed", obj.get("seed"), 0, Long.MAX_VALUE) : 1L;
    double limit = obj.has("limitSeconds") ? r.number("limitSeconds", obj.get("limitSeconds"), 1, 366 * 86400.0) : 7 * 86400.0;

    List<Group> groups = new ArrayList<>();
    List<Endpoint> endpoints = new ArrayList<>();
    Map<String, JsonNode> profiles = new LinkedHashMap<>();
    ObjectNode world = obj.has("world") ? r.object("world", obj.get("world")).orElse(LocalJson.object()) : LocalJson.object();
    r.allowOnly("world", world, "modelPackageGroups", "endpoints", "profiles", "alarms", "sagemakerApiLimits");
    ApiLimits apiLimits = world.has("sagemakerApiLimits")
        ? apiLimits(r, "world.sagemakerApiLimits", world.get("sagemakerApiLimits")) : null;
    List<JsonNode> alarms = r.array("world.alarms", world.get("alarms"));
    int gi = 0;
    for (JsonNode g : r.array("world.modelPackageGroups", world.get("modelPackageGroups"))) {
      String at = "world.modelPackageGroups[" + gi++ + "]";
      if (!(g instanceof ObjectNode go)) {
        r.problem(at, "must be an object");
        continue;
      }
      r.allowOnly(at, go, "name", "versions");
      String gname = r.requiredText(at + ".name", go.get("name"));
      List<Version> versions = new ArrayList<>();
      int vi = 0;
      for (JsonNode v : r.array(at + ".versions", go.get("versions"))) {
        String vat = at + ".versions[" + vi++ + "]";
        if (!(v instanceof ObjectNode vo)) {
          r.problem(vat, "must be an object");
          continue;
        }
        r.allowOnly(vat, vo, "approval", "image", "additionalInferenceSpecifications");
        String approval = vo.path("approval").asText("PendingManualApproval");
        if (!Set.of("Approved", "Rejected", "PendingManualApproval").contains(approval)) {
          r.problem(vat + ".approval", "must be Approved, Rejected or PendingManualApproval (got " + approval + ")");
        }
        String image = vo.path("image").asText("111122223333.dkr.ecr.us-east-1.amazonaws.com/" + gname + ":" + vi);
        Map<String, String> specs = new LinkedHashMap<>();
        if (vo.has("additionalInferenceSpecifications")) {
          r.object(vat + ".additionalInferenceSpecifications", vo.get("additionalInferenceSpecifications"))
              .ifPresent(s -> s.fields().forEachRemaining(e -> specs.put(e.getKey(), e.getValue().asText())));
        }
        versions.add(new Version(approval, image, specs));
      }
      if (versions.isEmpty()) {
        r.problem(at + ".versions", "at least one version is required");
      }
      groups.add(new Group(gname, versions));
    }
    int ei = 0;
    for (JsonNode e : r.array("world.endpoints", world.get("endpoints"))) {
      String at = "world.endpoints[" + ei++ + "]";
      if (!(e instanceof ObjectNode eo)) {
        r.problem(at, "must be an object");
        continue;
      }
      r.allowOnly(at, eo, "name", "configName", "variants", "config", "tags");
      String ename = r.requiredText(at + ".name", eo.get("name"));
      String configName = eo.path("configName").asText(ename + "-config-initial");
      List<Variant> variants = new ArrayList<>();
      int vi = 0;
      for (JsonNode v : r.array(at + ".variants", eo.get("variants"))) {
        String vat = at + ".variants[" + vi++ + "]";
        if (!(v instanceof ObjectNode vo)) {
          r.problem(vat, "must be an object");
          continue;
        }
        r.allowOnly(vat, vo, "variantName", "modelPackage", "modelName", "instanceType", "instancePools",
            "provisionTimeoutSeconds", "instanceCount", "weight", "extras", "autoscaling", "model",
            "inferenceComponent");
        // A model outside the registry: no modelPackage, its image (and model data) in model.PrimaryContainer.
        boolean imageModel = !vo.has("modelPackage") && vo.path("model").path("PrimaryContainer").has("Image");
        String pkg = imageModel ? null : r.requiredText(vat + ".modelPackage", vo.get("modelPackage"));
        if (pkg != null && !pkg.matches("[A-Za-z0-9-]+/[0-9]+")) {
          r.problem(vat + ".modelPackage", "must be <group>/<version>, e.g. fraud-scoring/6 (got " + pkg + ")");
        }
        String modelName = r.optionalText(vat + ".modelName", vo.get("modelName"));
        if (modelName != null && !modelName.matches("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")) {
          r.problem(vat + ".modelName", "must be a SageMaker model name (got " + modelName + ")");
        }
        String type = r.optionalText(vat + ".instanceType", vo.get("instanceType"));
        List<Pool> pools = new ArrayList<>();
        int pi = 0;
        for (JsonNode p : r.array(vat + ".instancePools", vo.get("instancePools"))) {
          String pat = vat + ".instancePools[" + pi++ + "]";
          pools.add(new Pool(r.requiredText(pat + ".instanceType", p.get("instanceType")),
              (int) r.integer(pat + ".priority", p.get("priority"), 1, 5)));
        }
        if ((type == null) == pools.isEmpty()) {
          r.problem(vat, "set exactly one of instanceType and instancePools");
        }
        Integer timeout = vo.has("provisionTimeoutSeconds")
            ? (int) r.integer(vat + ".provisionTimeoutSeconds", vo.get("provisionTimeoutSeconds"), 300, 3600) : null;
        int count = vo.has("instanceCount") ? (int) r.integer(vat + ".instanceCount", vo.get("instanceCount"), 1, 1000) : 1;
        double weight = vo.has("weight") ? r.number(vat + ".weight", vo.get("weight"), 0, 1e9) : 1.0;
        ObjectNode extras = vo.has("extras") ? r.object(vat + ".extras", vo.get("extras")).orElse(LocalJson.object()) : LocalJson.object();
        Autoscaling autoscaling = vo.has("autoscaling") ? autoscaling(r, vat + ".autoscaling", vo.get("autoscaling")) : null;
        ObjectNode model = vo.has("model") ? r.object(vat + ".model", vo.get("model")).orElse(LocalJson.object()) : LocalJson.object();
        for (String own : List.of("ModelName", "ExecutionRoleArn", "Tags", "Containers")) {
          if (model.has(own)) {
            r.problem(vat + ".model." + own, "is set by the scenario runner; give only the model's other members");
          }
        }
        InferenceComponent component = null;
        if (vo.has("inferenceComponent")) {
          String cat = vat + ".inferenceComponent";
          ObjectNode co = r.object(cat, vo.get("inferenceComponent")).orElse(LocalJson.object());
          r.allowOnly(cat, co, "name", "copies", "computeResourceRequirements");
          String cname = r.requiredText(cat + ".name", co.get("name"));
          int copies = co.has("copies") ? (int) r.integer(cat + ".copies", co.get("copies"), 1, 1000) : 1;
          ObjectNode compute = r.object(cat + ".computeResourceRequirements", co.get("computeResourceRequirements"))
              .orElse(LocalJson.object());
          if (!compute.has("MinMemoryRequiredInMb")) {
            r.problem(cat + ".computeResourceRequirements.MinMemoryRequiredInMb", "required");
          }
          if (vo.has("autoscaling")) {
            r.problem(vat + ".autoscaling", "not with inferenceComponent (the variant's scaling is not simulated for"
                + " inference components)");
          }
          component = new InferenceComponent(cname, copies, compute);
        }
        variants.add(new Variant(vo.path("variantName").asText("AllTraffic"), pkg, type, pools, timeout, count, weight, extras,
            autoscaling, model, modelName, component));
      }
      if (variants.isEmpty()) {
        r.problem(at + ".variants", "at least one variant is required");
      }
      ObjectNode extras = eo.has("config") ? r.object(at + ".config", eo.get("config")).orElse(LocalJson.object()) : LocalJson.object();
      Map<String, String> tags = new LinkedHashMap<>();
      if (eo.has("tags")) {
        r.object(at + ".tags", eo.get("tags")).ifPresent(t -> t.fields().forEachRemaining(x -> tags.put(x.getKey(), x.getValue().asText())));
      }
      endpoints.add(new Endpoint(ename, configName, variants, extras, tags));
    }
    if (world.has("profiles")) {
      r.object("world.profiles", world.get("profiles")).ifPresent(p -> p.fields().forEachRemaining(e -> {
        String at = "world.profiles." + e.getKey();
        JsonNode value = e.getValue();
        if (value.isTextual()) {
          Path file = baseDir.resolve(value.asText());
          if (!Files.isRegularFile(file)) {
            r.problem(at, "file " + value.asText() + " not found");
            return;
          }
          try {
            value = LocalJson.read(file);
          } catch (IllegalArgumentException bad) {
            r.problem(at, "file " + value.asText() + " is not JSON: " + jsonError(bad));
            return;
          }
        }
        if (!value.isObject()) {
          r.problem(at, "must be a profile object or the path of a profile file");
          return;
        }
        profiles.put(e.getKey(), value);
      }));
    }

    Map<String, List<CapacityStep>> capacity = new LinkedHashMap<>();
    if (obj.has("capacity")) {
      r.object("capacity", obj.get("capacity")).ifPresent(c -> c.fields().forEachRemaining(e -> {
        List<CapacityStep> steps = new ArrayList<>();
        int i = 0;
        for (JsonNode s : r.array("capacity." + e.getKey(), e.getValue())) {
          String at = "capacity." + e.getKey() + "[" + i++ + "]";
          if (s instanceof ObjectNode so) {
            r.allowOnly(at, so, "at", "available");
          }
          steps.add(new CapacityStep(r.integer(at + ".at", s.get("at"), 0, Long.MAX_VALUE),
              (int) r.integer(at + ".available", s.get("available"), 0, 100_000)));
        }
        for (int k = 1; k < steps.size(); k++) {
          if (steps.get(k).at() <= steps.get(k - 1).at()) {
            r.problem("capacity." + e.getKey(), "steps must be in increasing 'at' order");
            break;
          }
        }
        capacity.put(e.getKey(), steps);
      }));
    }

    // Endpoint-usage quotas by type; declaring any makes every other type's quota 0 (ScenarioRunner).
    Map<String, Integer> quotas = new LinkedHashMap<>();
    if (obj.has("quotas")) {
      r.object("quotas", obj.get("quotas")).ifPresent(q -> q.fields().forEachRemaining(e -> {
        if (!e.getKey().startsWith("ml.")) {
          r.problem("quotas." + e.getKey(), "must be an ML instance type such as ml.g5.2xlarge");
        }
        quotas.put(e.getKey(), (int) r.integer("quotas." + e.getKey(), e.getValue(), 0, 100_000));
      }));
    }

    List<Event> timeline = new ArrayList<>();
    int ti = 0;
    for (JsonNode t : r.array("timeline", obj.get("timeline"))) {
      String at = "timeline[" + ti++ + "]";
      if (!(t instanceof ObjectNode to)) {
        r.problem(at, "must be an object");
        continue;
      }
      // Either a fixed time or a workflow moment (TimelineTrigger), never both.
      TimelineTrigger trigger = null;
      double when = Double.NaN;
      if (to.has("when") && to.has("at")) {
        r.problem(at, "set exactly one of at and when");
      } else if (to.has("when")) {
        trigger = TimelineTrigger.parse(to.get("when"), at + ".when", r.problems);
      } else {
        when = r.number(at + ".at", to.get("at"), 0, limit);
      }
      List<String> actions = new ArrayList<>();
      for (Iterator<String> it = to.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (ACTIONS.contains(f)) {
          actions.add(f);
        } else if (!f.equals("at") && !f.equals("when") && !f.equals("comment")) {
          r.problem(at + "." + f, "unknown field (actions: " + String.join(", ", new java.util.TreeSet<>(ACTIONS)) + ")");
        }
      }
      if (actions.size() != 1) {
        r.problem(at, "needs exactly one action, got " + actions);
        continue;
      }
      String action = actions.get(0);
      if (action.equals("fault") || action.equals("setAlarmState")) {
        r.problems.addAll(TimelineFaults.check(action, to.get(action), at));
      }
      if (TimelineActions.ACTIONS.contains(action)) {
        r.problems.addAll(TimelineActions.check(action, to.get(action), at,
            new TimelineActions.World(groups, endpoints, profiles.keySet(), baseDir)));
      }
      timeline.add(new Event(when, action, to.get(action), ti - 1, trigger));
    }
    // Double.compare puts NaN (entries waiting for a moment) last.
    timeline.sort(java.util.Comparator.comparingDouble(Event::at));
    checkReferences(r, groups, endpoints, timeline, baseDir);
    if (!Files.isRegularFile(template)) {
      r.problem("template", "file " + obj.path("template").asText("template.yaml") + " not found (looked in "
          + baseDir + ")");
    }

    IamSettings iam = obj.has("iam") ? iam(r, obj.get("iam")) : IamSettings.DEFAULT;

    r.throwIfAny(source);
    return new Scenario(name, description, template, parameters, start, seed, limit, groups, endpoints, profiles,
        alarms, capacity, quotas, obj.get("timings"), obj.get("traffic"), timeline, baseDir, iam, apiLimits);
  }

  /**
   * {@code "default"} (the preset, see {@link ApiLimits#DEFAULT}) or an object: operation names
   * and {@code account}, each {@code {"ratePerSecond": r, "burst": b}}, and optionally
   * {@code "preset": "default"} to start from the preset and override some of it.
   */
  private static ApiLimits apiLimits(Reader r, String at, JsonNode node) {
    if (node.isTextual()) {
      if (!node.asText().equals("default")) {
        r.problem(at, "must be \"default\" or an object of operation limits (got \"" + node.asText() + "\")");
      }
      return ApiLimits.DEFAULT;
    }
    ObjectNode o = r.object(at, node).orElse(LocalJson.object());
    Map<String, ApiLimits.Rate> operations = new LinkedHashMap<>();
    ApiLimits.Rate account = null;
    if (o.has("preset")) {
      if (!"default".equals(o.get("preset").asText())) {
        r.problem(at + ".preset", "must be \"default\" (got " + o.get("preset") + ")");
      }
      operations.putAll(ApiLimits.DEFAULT.operations());
      account = ApiLimits.DEFAULT.account();
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      String fat = at + "." + key;
      if (key.equals("preset")) {
        continue;
      }
      if (!key.equals("account") && !ApiLimits.OPERATIONS.contains(key)) {
        r.problem(fat, "unknown SageMaker operation (use an operation name such as DescribeEndpoint, or account)");
        continue;
      }
      if (!(e.getValue() instanceof ObjectNode limit)) {
        r.problem(fat, "must be an object with ratePerSecond and burst");
        continue;
      }
      r.allowOnly(fat, limit, "ratePerSecond", "burst");
      int before = r.problems.size();
      double rate = r.number(fat + ".ratePerSecond", limit.get("ratePerSecond"), 0.001, 1e6);
      long burst = r.integer(fat + ".burst", limit.get("burst"), 1, 1_000_000);
      if (r.problems.size() == before) {
        ApiLimits.Rate parsed = new ApiLimits.Rate(rate, (int) burst);
        if (key.equals("account")) {
          account = parsed;
        } else {
          operations.put(key, parsed);
        }
      }
    }
    return new ApiLimits(operations, account);
  }

  private static IamSettings iam(Reader r, JsonNode node) {
    ObjectNode o = r.object("iam", node).orElse(LocalJson.object());
    r.allowOnly("iam", o, "mode", "unknownCredentials", "deny");
    String mode = o.path("mode").asText("enforce");
    if (!Set.of("enforce", "report").contains(mode)) {
      r.problem("iam.mode", "must be enforce or report (got " + mode + ")");
    }
    String unknown = o.path("unknownCredentials").asText("admin");
    if (!Set.of("admin", "reject").contains(unknown)) {
      r.problem("iam.unknownCredentials", "must be admin or reject (got " + unknown + ")");
    }
    List<Denial> deny = new ArrayList<>();
    int i = 0;
    for (JsonNode d : r.array("iam.deny", o.get("deny"))) {
      String at = "iam.deny[" + i++ + "]";
      if (!(d instanceof ObjectNode dob)) {
        r.problem(at, "must be an object");
        continue;
      }
      r.allowOnly(at, dob, "function", "action", "resource");
      String function = r.requiredText(at + ".function", dob.get("function"));
      String action = r.requiredText(at + ".action", dob.get("action"));
      if (action != null && !action.equals("*") && !action.matches("[A-Za-z0-9-]+:[A-Za-z0-9*?]+")) {
        r.problem(at + ".action", "must be <service>:<action>, wildcards allowed, e.g. iam:PassRole (got " + action + ")");
      }
      deny.add(new Denial(function, action, r.optionalText(at + ".resource", dob.get("resource"))));
    }
    return new IamSettings(mode, unknown, List.copyOf(deny));
  }

  /**
   * What can be checked before a runtime starts, so a typo is one line at once rather than a
   * failure minutes into the rehearsal: every {@code group/version} an endpoint or a timeline
   * entry names is declared in {@code world.modelPackageGroups}, and every console input a
   * {@code startExecution} names is a JSON file.
   */
  private static void checkReferences(Reader r, List<Group> groups, List<Endpoint> endpoints, List<Event> timeline,
      Path baseDir) {
    Map<String, Integer> versions = new LinkedHashMap<>();
    groups.forEach(g -> versions.put(String.valueOf(g.name()).toLowerCase(java.util.Locale.ROOT), g.versions().size()));
    java.util.function.BiConsumer<String, String> known = (at, pkg) -> {
      if (pkg == null || !pkg.matches("[A-Za-z0-9-]+/[0-9]+")) {
        return; // the format is checked where the field is read
      }
      String group = pkg.substring(0, pkg.indexOf('/')).toLowerCase(java.util.Locale.ROOT);
      int version = Integer.parseInt(pkg.substring(pkg.indexOf('/') + 1));
      Integer have = versions.get(group);
      if (have == null) {
        r.problem(at, "no model package group " + pkg.substring(0, pkg.indexOf('/')) + " in world.modelPackageGroups");
      } else if (version < 1 || version > have) {
        r.problem(at, "group " + pkg.substring(0, pkg.indexOf('/')) + " has versions 1–" + have + ", not " + version);
      }
    };
    for (int e = 0; e < endpoints.size(); e++) {
      for (int v = 0; v < endpoints.get(e).variants().size(); v++) {
        known.accept("world.endpoints[" + e + "].variants[" + v + "].modelPackage",
            endpoints.get(e).variants().get(v).modelPackage());
      }
    }
    for (Event event : timeline) {
      String at = "timeline[" + event.index() + "]." + event.action();
      JsonNode spec = event.spec();
      switch (event.action()) {
        case "approve", "reject" -> known.accept(spec.isTextual() ? at : at + ".modelPackage",
            spec.isTextual() ? spec.asText() : spec.path("modelPackage").asText(null));
        case "updatePackageMetadata" -> known.accept(at + ".modelPackage", spec.path("modelPackage").asText(null));
        case "startExecution" -> {
          JsonNode input = spec.path("input");
          if (input.isTextual()) {
            Path file = baseDir.resolve(input.asText());
            if (!Files.isRegularFile(file)) {
              r.problem(at + ".input", "file " + input.asText() + " not found");
            } else {
              try {
                LocalJson.read(file);
              } catch (IllegalArgumentException e) {
                r.problem(at + ".input", "file " + input.asText() + " is not JSON: " + jsonError(e));
              }
            }
          }
        }
        default -> { }
      }
    }
  }

  /** A JSON parser's complaint without the file name the caller already gave. */
  private static String jsonError(IllegalArgumentException e) {
    String m = String.valueOf(e.getMessage());
    int at = m.indexOf("invalid JSON: ");
    return (at >= 0 ? m.substring(at + "invalid JSON: ".length()) : m).lines().findFirst().orElse(m);
  }

  /**
   * This scenario with its clock starting at {@code at}: {@code serve} starts a scenario that sets
   * no {@code start} at the wall clock's now, so the times a user types are the times it serves.
   */
  public Scenario withStart(Instant at) {
    return new Scenario(name, description, template, parameters, at, seed, limitSeconds, modelPackageGroups, endpoints,
        profiles, alarms, capacity, quotas, timings, traffic, timeline, baseDir, iam, sagemakerApiLimits);
  }

  /** This scenario with another timeline (e.g. the entries as they were played). */
  public Scenario withTimeline(List<Event> entries) {
    return new Scenario(name, description, template, parameters, start, seed, limitSeconds, modelPackageGroups,
        endpoints, profiles, alarms, capacity, quotas, timings, traffic, List.copyOf(entries), baseDir, iam, sagemakerApiLimits);
  }

  /** Whether the scenario file sets {@code start} itself (else it starts at 2026-06-01T12:00:00Z). */
  public static boolean setsStart(Path file) {
    return dev.poolshift.local.json.LocalJson.read(file).has("start");
  }

  /**
   * {@code autoscaling}: {@code minCapacity}, {@code maxCapacity}, optional {@code suspendedState},
   * {@code policies} (PutScalingPolicy documents: {@code PolicyName}, {@code PolicyType}, its
   * configuration) and {@code scheduledActions} (PutScheduledAction documents:
   * {@code ScheduledActionName}, {@code Schedule}, optional {@code Timezone}, {@code StartTime},
   * {@code EndTime}, {@code ScalableTargetAction}); the target fields are the variant's.
   * Application Auto Scaling checks the rest when the world is seeded.
   */
  private static Autoscaling autoscaling(Reader r, String at, JsonNode n) {
    ObjectNode o = r.object(at, n).orElse(null);
    if (o == null) {
      return null;
    }
    r.allowOnly(at, o, "minCapacity", "maxCapacity", "suspendedState", "policies", "scheduledActions");
    int min = (int) r.integer(at + ".minCapacity", o.get("minCapacity"), 0, 1000);
    int max = (int) r.integer(at + ".maxCapacity", o.get("maxCapacity"), 0, 1000);
    if (max < min) {
      r.problem(at + ".maxCapacity", "must be at least minCapacity (" + min + ")");
    }
    ObjectNode suspended = o.has("suspendedState") ? r.object(at + ".suspendedState", o.get("suspendedState")).orElse(null)
        : null;
    List<ObjectNode> policies = new ArrayList<>();
    int pi = 0;
    for (JsonNode p : r.array(at + ".policies", o.get("policies"))) {
      String pat = at + ".policies[" + pi++ + "]";
      r.object(pat, p).ifPresent(po -> {
        r.requiredText(pat + ".PolicyName", po.get("PolicyName"));
        for (String target : List.of("ServiceNamespace", "ResourceId", "ScalableDimension")) {
          if (po.has(target)) {
            r.problem(pat + "." + target, "set by the variant; leave it out");
          }
        }
        policies.add(po);
      });
    }
    List<ObjectNode> actions = new ArrayList<>();
    java.util.Set<String> actionNames = new java.util.HashSet<>();
    int ai = 0;
    for (JsonNode a : r.array(at + ".scheduledActions", o.get("scheduledActions"))) {
      String aat = at + ".scheduledActions[" + ai++ + "]";
      r.object(aat, a).ifPresent(ao -> {
        r.allowOnly(aat, ao, "ScheduledActionName", "Schedule", "Timezone", "StartTime", "EndTime",
            "ScalableTargetAction");
        String name = r.requiredText(aat + ".ScheduledActionName", ao.get("ScheduledActionName"));
        if (name != null && !actionNames.add(name)) {
          r.problem(aat + ".ScheduledActionName", "duplicate name " + name);
        }
        r.requiredText(aat + ".Schedule", ao.get("Schedule"));
        for (String time : List.of("StartTime", "EndTime")) {
          if (ao.has(time) && !ao.get(time).isNumber()) {
            r.problem(aat + "." + time, "must be epoch seconds, as on the wire");
          }
        }
        if (ao.has("ScalableTargetAction")) {
          r.object(aat + ".ScalableTargetAction", ao.get("ScalableTargetAction")).ifPresent(sta -> {
            r.allowOnly(aat + ".ScalableTargetAction", sta, "MinCapacity", "MaxCapacity");
            if (sta.has("MinCapacity")) {
              r.integer(aat + ".ScalableTargetAction.MinCapacity", sta.get("MinCapacity"), 0, 1000);
            }
            if (sta.has("MaxCapacity")) {
              r.integer(aat + ".ScalableTargetAction.MaxCapacity", sta.get("MaxCapacity"), 0, 1000);
            }
          });
        }
        actions.add(ao);
      });
    }
    return new Autoscaling(min, max, suspended, policies, actions);
  }

  /** Collects problems with the field they concern. */
  private static final class Reader {
    final List<String> problems = new ArrayList<>();

    void problem(String field, String message) {
      problems.add(field + ": " + message);
    }

    void throwIfAny(String source) {
      if (!problems.isEmpty()) {
        throw new ScenarioException(source, problems);
      }
    }

    void allowOnly(String at, ObjectNode node, String... fields) {
      Set<String> allowed = Set.of(fields);
      node.fieldNames().forEachRemaining(f -> {
        if (!allowed.contains(f)) {
          problem(at.isEmpty() ? f : at + "." + f, "unknown field");
        }
      });
    }

    String requiredText(String field, JsonNode n) {
      if (n == null || n.isNull()) {
        problem(field, "required");
        return null;
      }
      if (!n.isTextual() || n.asText().isBlank()) {
        problem(field, "must be a non-empty string");
        return null;
      }
      return n.asText();
    }

    String optionalText(String field, JsonNode n) {
      if (n == null || n.isNull()) {
        return null;
      }
      if (!n.isTextual()) {
        problem(field, "must be a string");
        return null;
      }
      return n.asText();
    }

    java.util.Optional<ObjectNode> object(String field, JsonNode n) {
      if (n instanceof ObjectNode o) {
        return java.util.Optional.of(o);
      }
      problem(field, "must be an object");
      return java.util.Optional.empty();
    }

    List<JsonNode> array(String field, JsonNode n) {
      if (n == null || n.isNull()) {
        return List.of();
      }
      if (!n.isArray()) {
        problem(field, "must be an array");
        return List.of();
      }
      List<JsonNode> out = new ArrayList<>();
      n.forEach(out::add);
      return out;
    }

    long integer(String field, JsonNode n, long min, long max) {
      if (n == null || !n.isIntegralNumber()) {
        problem(field, n == null ? "required" : "must be an integer");
        return min;
      }
      long v = n.asLong();
      if (v < min || v > max) {
        problem(field, "must be " + min + "–" + max + " (got " + v + ")");
      }
      return v;
    }

    double number(String field, JsonNode n, double min, double max) {
      if (n == null || !n.isNumber()) {
        problem(field, n == null ? "required" : "must be a number");
        return min;
      }
      double v = n.asDouble();
      if (v < min || v > max) {
        problem(field, "must be " + min + "–" + max + " (got " + n.asText() + ")");
      }
      return v;
    }
  }
}
