package dev.poolshift.local.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.aws.EventPublisher;
import dev.poolshift.local.cloudwatch.AlarmDefinition;
import dev.poolshift.local.cloudwatch.AlarmSnapshot;
import dev.poolshift.local.cloudwatch.CloudWatch;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.CapacityPoint;
import dev.poolshift.local.sagemaker.EndpointView;
import dev.poolshift.local.sagemaker.SageMakerWorld;
import dev.poolshift.local.sim.Simulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The timeline actions that change the world a rollout runs in while it runs (format in
 * {@code events/scenarios/README.md}): traffic and capacity from a moment on, a person deleting
 * the endpoint, editing its tags, deleting or changing an alarm, editing a deployment profile.
 * {@link #check} validates an action when the scenario is parsed, {@link #checkNames} what needs
 * the runtime, {@link #perform} applies it on the virtual clock. A call the service refuses at
 * that moment stops the rehearsal with a {@link ScenarioException} naming the entry.
 */
final class TimelineActions {
  static final Set<String> ACTIONS = Set.of("traffic", "capacity", "deleteEndpoint", "updateEndpointTags",
      "removeTag", "deleteAlarm", "putAlarm", "editAlarm", "editProfile");
  /** The members {@code editAlarm} may change: what a person edits on an alarm that exists. */
  static final Set<String> EDITABLE_ALARM_MEMBERS = Set.of("AlarmDescription", "Threshold", "EvaluationPeriods",
      "DatapointsToAlarm", "ComparisonOperator", "TreatMissingData", "Period");

  /** What the scenario's world holds, for checks made while it is parsed. */
  record World(List<Scenario.Group> groups, List<Scenario.Endpoint> endpoints, Collection<String> profileGroups,
      Path baseDir) {
    Set<String> endpointNames() {
      Set<String> names = new HashSet<>();
      endpoints.forEach(e -> names.add(e.name()));
      return names;
    }

    /** {@code group/version} of every model package version. */
    Set<String> packages() {
      Set<String> keys = new HashSet<>();
      groups.forEach(g -> {
        for (int v = 1; v <= g.versions().size(); v++) {
          keys.add(g.name() + "/" + v);
        }
      });
      return keys;
    }

    Set<String> groupNames() {
      Set<String> names = new HashSet<>(profileGroups);
      groups.forEach(g -> names.add(g.name()));
      return names;
    }
  }

  private TimelineActions() {}

  // ---------------------------------------------------------------- parse-time checks

  /** Problems with one of {@link #ACTIONS} at {@code at} (e.g. {@code timeline[2]}), each naming its field. */
  static List<String> check(String action, JsonNode spec, String at, World world) {
    List<String> problems = new ArrayList<>();
    String field = at + "." + action;
    switch (action) {
      case "traffic" -> problems.addAll(TrafficChange.check(spec, field, world.endpointNames(), world.packages()));
      case "capacity" -> checkCapacity(spec, field, problems);
      case "deleteEndpoint" -> endpointName(spec, field, world, problems);
      case "updateEndpointTags" -> checkTags(spec, field, world, problems);
      case "removeTag" -> {
        if (object(spec, field, problems) instanceof ObjectNode o) {
          onlyFields(o, field, Set.of("endpoint", "key"), problems);
          endpoint(o, field, world, problems);
          text(o, field, "key", true, problems);
        }
      }
      case "deleteAlarm" -> {
        if (spec instanceof ObjectNode o) {
          onlyFields(o, field, Set.of("alarm"), problems);
          text(o, field, "alarm", true, problems);
        } else if (spec == null || !spec.isTextual() || spec.asText().isBlank()) {
          problems.add(field + ": must be the alarm's name or {\"alarm\": name}");
        }
      }
      case "putAlarm" -> {
        if (object(spec, field, problems) instanceof ObjectNode o) {
          text(o, field, "AlarmName", true, problems);
          ScenarioAlarms.definition(o, field, problems);
        }
      }
      case "editAlarm" -> checkEditAlarm(spec, field, problems);
      case "editProfile" -> checkEditProfile(spec, field, world, problems);
      default -> throw new IllegalArgumentException("not a world action: " + action);
    }
    return problems;
  }

  private static void checkCapacity(JsonNode spec, String field, List<String> problems) {
    if (!(object(spec, field, problems) instanceof ObjectNode o)) {
      return;
    }
    if (o.isEmpty()) {
      problems.add(field + ": name at least one instance type");
    }
    o.fields().forEachRemaining(e -> {
      String f = field + "." + e.getKey();
      if (!e.getKey().startsWith("ml.")) {
        problems.add(f + ": must be an ML instance type such as ml.g5.2xlarge");
      }
      JsonNode n = e.getValue();
      boolean unlimited = n.isTextual() && n.asText().equals("unlimited");
      if (!unlimited && (!n.isIntegralNumber() || n.asLong() < 0 || n.asLong() > 100_000)) {
        problems.add(f + ": must be an integer 0–100000 or \"unlimited\" (got " + n + ")");
      }
    });
  }

  private static void checkTags(JsonNode spec, String field, World world, List<String> problems) {
    if (!(object(spec, field, problems) instanceof ObjectNode o)) {
      return;
    }
    onlyFields(o, field, Set.of("endpoint", "set", "remove"), problems);
    endpoint(o, field, world, problems);
    int changes = 0;
    if (o.has("set")) {
      if (o.get("set") instanceof ObjectNode set) {
        set.fields().forEachRemaining(e -> {
          if (!e.getValue().isTextual()) {
            problems.add(field + ".set." + e.getKey() + ": must be a string (tag values are strings)");
          }
        });
        changes += set.size();
      } else {
        problems.add(field + ".set: must be an object of tag keys and values");
      }
    }
    if (o.has("remove")) {
      if (o.get("remove") instanceof ArrayNode remove) {
        for (int i = 0; i < remove.size(); i++) {
          if (!remove.get(i).isTextual() || remove.get(i).asText().isBlank()) {
            problems.add(field + ".remove[" + i + "]: must be a tag key");
          }
        }
        changes += remove.size();
      } else {
        problems.add(field + ".remove: must be an array of tag keys");
      }
    }
    if (changes == 0 && problems.isEmpty()) {
      problems.add(field + ": set or remove at least one tag");
    }
  }

  private static void checkEditAlarm(JsonNode spec, String field, List<String> problems) {
    if (!(object(spec, field, problems) instanceof ObjectNode o)) {
      return;
    }
    Set<String> allowed = new HashSet<>(EDITABLE_ALARM_MEMBERS);
    allowed.add("AlarmName");
    onlyFields(o, field, allowed, problems);
    text(o, field, "AlarmName", true, problems);
    if (o.size() < 2) {
      problems.add(field + ": change at least one of " + new TreeSet<>(EDITABLE_ALARM_MEMBERS));
    }
    for (String number : List.of("Threshold")) {
      if (o.has(number) && !o.get(number).isNumber()) {
        problems.add(field + "." + number + ": must be a number");
      }
    }
    for (String integer : List.of("EvaluationPeriods", "DatapointsToAlarm", "Period")) {
      if (o.has(integer) && !o.get(integer).isIntegralNumber()) {
        problems.add(field + "." + integer + ": must be an integer");
      }
    }
    for (String text : List.of("AlarmDescription", "ComparisonOperator", "TreatMissingData")) {
      if (o.has(text) && !o.get(text).isTextual()) {
        problems.add(field + "." + text + ": must be a string");
      }
    }
  }

  private static void checkEditProfile(JsonNode spec, String field, World world, List<String> problems) {
    if (!(object(spec, field, problems) instanceof ObjectNode o)) {
      return;
    }
    onlyFields(o, field, Set.of("group", "replace", "merge"), problems);
    String group = text(o, field, "group", true, problems);
    if (group != null && !world.groupNames().contains(group)) {
      problems.add(field + ".group: no model package group or profile " + group + " in world");
    }
    if (o.has("replace") == o.has("merge")) {
      problems.add(field + ": set exactly one of replace (the whole profile) and merge (a JSON merge patch)");
      return;
    }
    if (o.has("merge") && !o.get("merge").isObject()) {
      problems.add(field + ".merge: must be an object (a JSON merge patch)");
    }
    if (o.has("replace")) {
      JsonNode replace = o.get("replace");
      if (replace.isTextual()) {
        Path file = world.baseDir().resolve(replace.asText());
        if (!Files.isRegularFile(file)) {
          problems.add(field + ".replace: file " + replace.asText() + " not found");
        } else if (!LocalJson.read(file).isObject()) {
          problems.add(field + ".replace: file " + replace.asText() + " does not hold a profile object");
        }
      } else if (!replace.isObject()) {
        problems.add(field + ".replace: must be a profile object or the path of a profile file");
      }
    }
  }

  /** {@code "name"} or {@code {"endpoint": "name"}}: the endpoint must be one of world.endpoints. */
  private static void endpointName(JsonNode spec, String field, World world, List<String> problems) {
    if (spec != null && spec.isTextual()) {
      if (!world.endpointNames().contains(spec.asText())) {
        problems.add(field + ": no endpoint " + spec.asText() + " in world.endpoints");
      }
      return;
    }
    if (object(spec, field, problems) instanceof ObjectNode o) {
      onlyFields(o, field, Set.of("endpoint"), problems);
      endpoint(o, field, world, problems);
    }
  }

  private static void endpoint(ObjectNode o, String field, World world, List<String> problems) {
    String name = text(o, field, "endpoint", true, problems);
    if (name != null && !world.endpointNames().contains(name)) {
      problems.add(field + ".endpoint: no endpoint " + name + " in world.endpoints");
    }
  }

  /**
   * Problems that need the runtime: a {@code putAlarm} document CloudWatch would refuse, found by
   * putting it into a scratch CloudWatch before the run.
   */
  static List<String> checkNames(Scenario scenario, LocalRuntime runtime) {
    List<String> problems = new ArrayList<>();
    for (Scenario.Event ev : scenario.timeline()) {
      if (!ev.action().equals("putAlarm")) {
        continue;
      }
      String field = "timeline[" + ev.index() + "].putAlarm";
      try (Simulation scratch = Simulation.discrete(scenario.start())) {
        new CloudWatch(scratch, EventPublisher.NONE, runtime.template().aws())
            .putMetricAlarm(ScenarioAlarms.definition(ev.spec(), field, problems));
      } catch (AwsServiceException e) {
        problems.add(field + ": " + e.code() + ": " + e.getMessage());
      }
    }
    return problems;
  }

  // ---------------------------------------------------------------- on the virtual clock

  /** Applies a checked action now. */
  static void perform(Scenario scenario, LocalRuntime runtime, Scenario.Event event) {
    String field = "timeline[" + event.index() + "]." + event.action();
    JsonNode spec = event.spec();
    try {
      switch (event.action()) {
        case "traffic" -> TrafficChange.apply(spec, field, runtime);
        case "capacity" -> capacity(runtime, spec);
        case "deleteEndpoint" -> runtime.sageMaker().invoke("DeleteEndpoint", LocalJson.object()
            .put("EndpointName", spec.isTextual() ? spec.asText() : spec.get("endpoint").asText()));
        case "updateEndpointTags" -> {
          String arn = endpointArn(runtime.sageMaker(), spec.get("endpoint").asText(), field);
          if (spec.has("set") && !spec.get("set").isEmpty()) {
            ObjectNode add = LocalJson.object().put("ResourceArn", arn);
            ArrayNode tags = add.putArray("Tags");
            spec.get("set").fields().forEachRemaining(e -> tags.addObject().put("Key", e.getKey())
                .put("Value", e.getValue().asText()));
            runtime.sageMaker().invoke("AddTags", add);
          }
          if (spec.has("remove") && !spec.get("remove").isEmpty()) {
            ObjectNode delete = LocalJson.object().put("ResourceArn", arn);
            delete.set("TagKeys", spec.get("remove").deepCopy());
            runtime.sageMaker().invoke("DeleteTags", delete);
          }
        }
        case "removeTag" -> {
          ObjectNode delete = LocalJson.object()
              .put("ResourceArn", endpointArn(runtime.sageMaker(), spec.get("endpoint").asText(), field));
          delete.putArray("TagKeys").add(spec.get("key").asText());
          runtime.sageMaker().invoke("DeleteTags", delete);
        }
        case "deleteAlarm" -> runtime.cloudWatch().deleteAlarms(List.of(spec.isTextual() ? spec.asText()
            : spec.get("alarm").asText()));
        // Its members were checked when the scenario was parsed; CloudWatch checks the rest.
        case "putAlarm" -> runtime.cloudWatch().putMetricAlarm(ScenarioAlarms.definition(spec, field, new ArrayList<>()));
        case "editAlarm" -> runtime.cloudWatch().putMetricAlarm(edited(runtime.cloudWatch(), spec, field));
        case "editProfile" -> editProfile(scenario, runtime, spec, field);
        default -> throw new IllegalArgumentException("not a world action: " + event.action());
      }
    } catch (AwsServiceException e) {
      throw new ScenarioException("timeline", List.of(field + ": refused at " + plain(seconds(scenario, runtime))
          + " s: " + e.code() + ": " + e.getMessage()));
    }
  }

  /**
   * From now on this many instances of the type are obtainable in total ("unlimited": no limit).
   * The type's earlier capacity no longer matters (time does not go back) and its later
   * {@code capacity} steps are replaced. Instances already held keep their units: SageMaker does
   * not reclaim running instances when a region runs short.
   */
  private static void capacity(LocalRuntime runtime, JsonNode spec) {
    SageMakerWorld world = runtime.sageMaker();
    long now = (long) Math.floor(runtime.simulation().elapsedSeconds());
    spec.fields().forEachRemaining(e -> {
      if (e.getValue().isTextual()) {
        world.clearCapacity(e.getKey());
      } else {
        world.setCapacity(e.getKey(), List.of(CapacityPoint.point(now, e.getValue().asInt())));
      }
    });
  }

  private static String endpointArn(SageMakerWorld world, String endpoint, String field) {
    return world.endpoint(endpoint).map(EndpointView::arn).orElseThrow(() -> new ScenarioException("timeline",
        List.of(field + ".endpoint: endpoint " + endpoint + " does not exist at this time")));
  }

  /** The alarm's configuration as it is, with the members the entry names replaced. */
  private static AlarmDefinition edited(CloudWatch cloudWatch, JsonNode spec, String field) {
    String name = spec.get("AlarmName").asText();
    AlarmDefinition d = cloudWatch.alarm(name).map(AlarmSnapshot::definition).orElseThrow(() ->
        new ScenarioException("timeline", List.of(field + ".AlarmName: no alarm named " + name + " at this time")));
    if (spec.has("Period") && d.metrics() != null) {
      throw new ScenarioException("timeline", List.of(field + ".Period: alarm " + name
          + " is a metric-math alarm; its periods are in its Metrics (use putAlarm)"));
    }
    return new AlarmDefinition(d.alarmName(),
        spec.has("AlarmDescription") ? spec.get("AlarmDescription").asText() : d.alarmDescription(),
        d.actionsEnabled(), d.okActions(), d.alarmActions(), d.insufficientDataActions(), d.metricName(), d.namespace(),
        d.dimensions(), d.statistic(), d.extendedStatistic(),
        spec.has("Period") ? Integer.valueOf(spec.get("Period").asInt()) : d.period(), d.unit(),
        spec.has("EvaluationPeriods") ? Integer.valueOf(spec.get("EvaluationPeriods").asInt()) : d.evaluationPeriods(),
        spec.has("DatapointsToAlarm") ? Integer.valueOf(spec.get("DatapointsToAlarm").asInt()) : d.datapointsToAlarm(),
        spec.has("Threshold") ? Double.valueOf(spec.get("Threshold").asDouble()) : d.threshold(),
        spec.has("ComparisonOperator") ? spec.get("ComparisonOperator").asText() : d.comparisonOperator(),
        spec.has("TreatMissingData") ? spec.get("TreatMissingData").asText() : d.treatMissingData(),
        d.evaluateLowSampleCountPercentile(), d.metrics(), d.thresholdMetricId(), d.tags());
  }

  /**
   * Writes the group's profile where the functions read it (a person editing the SSM parameter):
   * {@code replace} stores the given profile, {@code merge} applies a JSON merge patch (RFC 7396)
   * to the one stored.
   */
  private static void editProfile(Scenario scenario, LocalRuntime runtime, JsonNode spec, String field) {
    String name = ScenarioRunner.profileParameter(runtime, spec.get("group").asText());
    JsonNode next;
    if (spec.has("replace")) {
      JsonNode replace = spec.get("replace");
      next = replace.isTextual() ? LocalJson.read(scenario.baseDir().resolve(replace.asText())) : replace.deepCopy();
    } else {
      String stored = runtime.ssm().value(name);
      if (stored == null) {
        throw new ScenarioException("timeline", List.of(field + ".merge: no profile stored at " + name
            + " to merge into (use replace)"));
      }
      next = mergePatch(LocalJson.parse(stored), spec.get("merge"));
    }
    if (next instanceof ObjectNode o) {
      o.remove("$schema");
    }
    runtime.ssm().put(name, LocalJson.write(next));
  }

  /** RFC 7396: objects merge member by member, null removes a member, anything else replaces. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!(patch instanceof ObjectNode p)) {
      return patch.deepCopy();
    }
    ObjectNode result = target instanceof ObjectNode t ? t.deepCopy() : LocalJson.object();
    p.fields().forEachRemaining(e -> {
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), mergePatch(result.path(e.getKey()), e.getValue()));
      }
    });
    return result;
  }

  // ---------------------------------------------------------------- helpers

  private static double seconds(Scenario scenario, LocalRuntime runtime) {
    return Duration.between(scenario.start(), runtime.simulation().now()).toMillis() / 1000.0;
  }

  private static JsonNode object(JsonNode spec, String field, List<String> problems) {
    if (spec instanceof ObjectNode) {
      return spec;
    }
    problems.add(field + ": must be an object");
    return null;
  }

  private static void onlyFields(ObjectNode o, String field, Set<String> allowed, List<String> problems) {
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        problems.add(field + "." + f + ": unknown field (allowed: " + new TreeSet<>(allowed) + ")");
      }
    }
  }

  private static String text(ObjectNode o, String field, String name, boolean required, List<String> problems) {
    JsonNode n = o.get(name);
    if (n == null || n.isNull()) {
      if (required) {
        problems.add(field + "." + name + ": required");
      }
      return null;
    }
    if (!n.isTextual() || n.asText().isBlank()) {
      problems.add(field + "." + name + ": must be a non-empty string");
      return null;
    }
    return n.asText();
  }

  private static String plain(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
