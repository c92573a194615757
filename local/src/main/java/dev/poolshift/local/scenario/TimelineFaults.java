package dev.poolshift.local.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.cloudwatch.AlarmStateValue;
import dev.poolshift.local.events.EventFaults;
import dev.poolshift.local.lambda.LambdaFaults;
import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.sagemaker.SageMakerWorld;
import dev.poolshift.local.sagemaker.ThrottleRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The timeline's {@code fault} and {@code setAlarmState} actions (format in
 * {@code events/scenarios/README.md}): something going wrong on purpose, at a point of the
 * rehearsal. {@link #check} validates one action's fields when the scenario is parsed (every
 * problem names its field); {@link #checkNames} checks, once the runtime is up, that the
 * functions, rules and endpoints it names exist; {@link #perform} applies it on the virtual clock.
 */
final class TimelineFaults {
  /** Fault kinds per service, with the fields each takes besides the service key. */
  private static final Map<String, Map<String, Set<String>>> FAULTS = Map.of(
      "sagemaker", Map.of(
          "failNextDeploymentHealthCheck", Set.of("endpoint"),
          "rollBackNextUpdateSilently", Set.of("endpoint"),
          "failNextUpdateRollback", Set.of("endpoint"),
          "systemUpdating", Set.of("endpoint", "forSeconds"),
          "throttle", Set.of("operation", "rate", "forSeconds"),
          "failNext", Set.of("operation", "code", "message", "times"),
          "clearThrottling", Set.of()),
      "events", Map.of(
          "duplicate", Set.of("rule", "probability", "gapSeconds"),
          "delay", Set.of("rule", "seconds"),
          "reorder", Set.of("rule", "windowSeconds"),
          "disableRule", Set.of("rule"),
          "enableRule", Set.of("rule"),
          "clear", Set.of()),
      "cloudwatch", Map.of("failNext", Set.of("operation", "code", "message", "times")),
      "stepfunctions", Map.of("failNext", Set.of("operation", "code", "message", "times")));
  /** The switches of {@link LambdaFaults}: counts and on/off flags. */
  private static final Set<String> LAMBDA_COUNTS = Set.of("throttleNext", "serviceErrorNext", "timeoutNext",
      "rejectAsyncNext");
  private static final Set<String> LAMBDA_FLAGS = Set.of("throttleAll", "serviceErrorAll", "timeoutAll", "unavailable",
      "clear");
  private static final Set<String> ALARM_STATES = Set.of("OK", "ALARM", "INSUFFICIENT_DATA");

  private TimelineFaults() {}

  /** Problems with a {@code fault} or {@code setAlarmState} action at {@code at} (e.g. {@code timeline[2]}). */
  static List<String> check(String action, JsonNode spec, String at) {
    List<String> problems = new ArrayList<>();
    String field = at + "." + action;
    if (!(spec instanceof ObjectNode o)) {
      problems.add(field + ": must be an object");
      return problems;
    }
    if (action.equals("setAlarmState")) {
      onlyFields(o, field, Set.of("alarm", "state", "reason"), problems);
      text(o, field, "alarm", true, problems);
      String state = text(o, field, "state", true, problems);
      if (state != null && !ALARM_STATES.contains(state)) {
        problems.add(field + ".state: must be one of " + new TreeSet<>(ALARM_STATES) + " (got " + state + ")");
      }
      text(o, field, "reason", false, problems);
      return problems;
    }
    List<String> services = new ArrayList<>();
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (FAULTS.containsKey(f) || f.equals("lambda")) {
        services.add(f);
      }
    }
    if (services.size() != 1) {
      problems.add(field + ": needs exactly one of cloudwatch, events, lambda, sagemaker, stepfunctions (got "
          + services + ")");
      return problems;
    }
    String service = services.get(0);
    if (service.equals("lambda")) {
      checkLambda(o, field, problems);
      return problems;
    }
    String kind = text(o, field, service, true, problems);
    Map<String, Set<String>> kinds = FAULTS.get(service);
    if (kind == null) {
      return problems;
    }
    if (!kinds.containsKey(kind)) {
      problems.add(field + "." + service + ": unknown fault " + kind + " (one of " + new TreeSet<>(kinds.keySet()) + ")");
      return problems;
    }
    Set<String> allowed = new java.util.HashSet<>(kinds.get(kind));
    allowed.add(service);
    onlyFields(o, field, allowed, problems);
    switch (service + "." + kind) {
      case "sagemaker.failNextDeploymentHealthCheck", "sagemaker.rollBackNextUpdateSilently",
          "sagemaker.failNextUpdateRollback" -> text(o, field, "endpoint", true, problems);
      case "sagemaker.systemUpdating" -> {
        text(o, field, "endpoint", true, problems);
        number(o, field, "forSeconds", true, 1, 7 * 86400, problems);
      }
      case "sagemaker.throttle" -> {
        text(o, field, "operation", false, problems);
        number(o, field, "rate", true, 0, 1, problems);
        number(o, field, "forSeconds", false, 1, 366 * 86400, problems);
      }
      case "sagemaker.failNext", "cloudwatch.failNext", "stepfunctions.failNext" -> {
        text(o, field, "operation", true, problems);
        text(o, field, "code", true, problems);
        text(o, field, "message", false, problems);
        integer(o, field, "times", false, 1, 10_000, problems);
      }
      case "events.duplicate" -> {
        text(o, field, "rule", false, problems);
        number(o, field, "probability", false, 0, 1, problems);
        number(o, field, "gapSeconds", false, 0, 7 * 86400, problems);
      }
      case "events.delay" -> {
        text(o, field, "rule", false, problems);
        number(o, field, "seconds", true, 0, 7 * 86400, problems);
      }
      case "events.reorder" -> {
        text(o, field, "rule", false, problems);
        number(o, field, "windowSeconds", true, 0, 86400, problems);
      }
      case "events.disableRule", "events.enableRule" -> text(o, field, "rule", true, problems);
      default -> { }
    }
    return problems;
  }

  private static void checkLambda(ObjectNode o, String field, List<String> problems) {
    text(o, field, "lambda", true, problems);
    List<String> settings = new ArrayList<>();
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (f.equals("lambda")) {
        continue;
      }
      if (LAMBDA_COUNTS.contains(f)) {
        settings.add(f);
        integer(o, field, f, true, 0, 1_000_000, problems);
      } else if (LAMBDA_FLAGS.contains(f)) {
        settings.add(f);
        if (!o.get(f).isBoolean()) {
          problems.add(field + "." + f + ": must be true or false");
        }
      } else {
        Set<String> all = new TreeSet<>(LAMBDA_COUNTS);
        all.addAll(LAMBDA_FLAGS);
        problems.add(field + "." + f + ": unknown field (one of " + all + ")");
      }
    }
    if (settings.size() != 1) {
      problems.add(field + ": a lambda fault sets exactly one switch (got " + settings + ")");
    }
  }

  /** Problems with the names the scenario's faults use, now that the template is loaded. */
  static List<String> checkNames(Scenario scenario, LocalRuntime runtime) {
    List<String> problems = new ArrayList<>();
    Set<String> endpoints = new java.util.HashSet<>();
    scenario.endpoints().forEach(e -> endpoints.add(e.name()));
    for (Scenario.Event ev : scenario.timeline()) {
      if (!ev.action().equals("fault")) {
        continue;
      }
      String field = "timeline[" + ev.index() + "].fault";
      JsonNode spec = ev.spec();
      if (spec.has("lambda")) {
        try {
          runtime.lambda().function(spec.get("lambda").asText());
        } catch (IllegalArgumentException e) {
          problems.add(field + ".lambda: no function " + spec.get("lambda").asText() + " in the template (have: "
              + runtime.template().functions().keySet() + ")");
        }
      }
      if (spec.has("events") && spec.hasNonNull("rule")) {
        String rule = spec.get("rule").asText();
        boolean known = runtime.events().rules().entrySet().stream()
            .anyMatch(r -> r.getKey().equals(rule) || r.getValue().name().equals(rule));
        if (!known) {
          problems.add(field + ".rule: no rule " + rule + " in the template (have: " + runtime.events().rules().keySet() + ")");
        }
      }
      if (spec.has("sagemaker") && spec.hasNonNull("endpoint") && !endpoints.contains(spec.get("endpoint").asText())) {
        problems.add(field + ".endpoint: no endpoint " + spec.get("endpoint").asText() + " in world.endpoints");
      }
    }
    return problems;
  }

  /** Applies a checked action now. */
  static void perform(String action, JsonNode spec, LocalRuntime runtime) {
    Instant now = runtime.simulation().now();
    if (action.equals("setAlarmState")) {
      String alarm = spec.get("alarm").asText();
      if (runtime.cloudWatch().alarm(alarm).isEmpty()) {
        throw new IllegalStateException("timeline setAlarmState: no alarm named " + alarm + " at this time");
      }
      runtime.cloudWatch().setAlarmState(alarm, AlarmStateValue.valueOf(spec.get("state").asText()),
          spec.path("reason").asText("set by the scenario timeline"), null);
      return;
    }
    if (spec.has("lambda")) {
      lambda(runtime.lambda().function(spec.get("lambda").asText()).faults(), spec);
      return;
    }
    if (spec.has("sagemaker")) {
      sageMaker(runtime.sageMaker(), spec, now);
    } else if (spec.has("events")) {
      events(runtime.events().faults(), spec);
    } else if (spec.has("cloudwatch")) {
      runtime.cloudWatch().faults().failNext(spec.get("operation").asText(), spec.get("code").asText(),
          spec.path("message").asText(null), spec.path("times").asInt(1));
    } else if (spec.has("stepfunctions")) {
      runtime.stepFunctions().faults().failNext(spec.get("operation").asText(), spec.get("code").asText(),
          spec.path("message").asText(null), spec.path("times").asInt(1));
    }
  }

  private static void sageMaker(SageMakerWorld world, JsonNode spec, Instant now) {
    String endpoint = spec.path("endpoint").asText(null);
    switch (spec.get("sagemaker").asText()) {
      case "failNextDeploymentHealthCheck" -> world.failNextDeploymentHealthCheck(endpoint);
      case "rollBackNextUpdateSilently" -> world.rollBackNextUpdateSilently(endpoint);
      case "failNextUpdateRollback" -> world.failNextUpdateRollback(endpoint);
      case "systemUpdating" -> world.systemUpdating(endpoint, now, now.plus(seconds(spec.get("forSeconds"))));
      case "throttle" -> {
        ThrottleRule rule = ThrottleRule.of(spec.path("operation").asText(null), spec.get("rate").asDouble());
        world.throttle(spec.has("forSeconds") ? rule.between(now, now.plus(seconds(spec.get("forSeconds")))) : rule);
      }
      case "failNext" -> world.failNext(spec.get("operation").asText(), spec.get("code").asText(),
          spec.path("message").asText("Injected " + spec.get("code").asText()), spec.path("times").asInt(1));
      case "clearThrottling" -> world.clearThrottling();
      default -> throw new IllegalStateException("unchecked sagemaker fault " + spec.get("sagemaker"));
    }
  }

  private static void events(EventFaults faults, JsonNode spec) {
    String rule = spec.path("rule").asText(null);
    EventFaults.Scope scope = rule == null ? faults.all() : faults.rule(rule);
    switch (spec.get("events").asText()) {
      case "duplicate" -> scope.duplicate(spec.path("probability").asDouble(1.0),
          seconds(spec.path("gapSeconds").isMissingNode() ? null : spec.get("gapSeconds")));
      case "delay" -> scope.delay(seconds(spec.get("seconds")));
      case "reorder" -> scope.reorder(seconds(spec.get("windowSeconds")));
      case "disableRule" -> faults.disableRule(rule);
      case "enableRule" -> faults.enableRule(rule);
      case "clear" -> {
        if (rule == null) {
          faults.clear();
        } else {
          scope.clear();
        }
      }
      default -> throw new IllegalStateException("unchecked events fault " + spec.get("events"));
    }
  }

  private static void lambda(LambdaFaults faults, JsonNode spec) {
    Map<String, JsonNode> settings = new LinkedHashMap<>();
    spec.fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue()));
    settings.remove("lambda");
    Map.Entry<String, JsonNode> s = settings.entrySet().iterator().next();
    int n = s.getValue().asInt();
    boolean on = s.getValue().asBoolean();
    switch (s.getKey()) {
      case "throttleNext" -> faults.throttleNext(n);
      case "serviceErrorNext" -> faults.serviceErrorNext(n);
      case "timeoutNext" -> faults.timeoutNext(n);
      case "rejectAsyncNext" -> faults.rejectAsyncNext(n);
      case "throttleAll" -> faults.throttleAll(on);
      case "serviceErrorAll" -> faults.serviceErrorAll(on);
      case "timeoutAll" -> faults.timeoutAll(on);
      case "unavailable" -> faults.unavailable(on);
      case "clear" -> {
        if (on) {
          faults.clear();
        }
      }
      default -> throw new IllegalStateException("unchecked lambda fault " + s.getKey());
    }
  }

  private static Duration seconds(JsonNode n) {
    return n == null ? Duration.ZERO : Duration.ofMillis(Math.round(n.asDouble() * 1000));
  }

  private static void onlyFields(ObjectNode o, String field, Set<String> allowed, List<String> problems) {
    o.fieldNames().forEachRemaining(f -> {
      if (!allowed.contains(f)) {
        problems.add(field + "." + f + ": unknown field (allowed: " + new TreeSet<>(allowed) + ")");
      }
    });
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

  private static void integer(ObjectNode o, String field, String name, boolean required, long min, long max,
      List<String> problems) {
    JsonNode n = o.get(name);
    if (n != null && !n.isNull() && !n.isIntegralNumber()) {
      problems.add(field + "." + name + ": must be an integer");
      return;
    }
    number(o, field, name, required, min, max, problems);
  }

  private static String plain(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
