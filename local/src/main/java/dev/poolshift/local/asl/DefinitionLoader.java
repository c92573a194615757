package dev.poolshift.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.poolshift.local.asl.Definition.Catcher;
import dev.poolshift.local.asl.Definition.ChoiceRule;
import dev.poolshift.local.asl.Definition.ChoiceState;
import dev.poolshift.local.asl.Definition.Container;
import dev.poolshift.local.asl.Definition.FailState;
import dev.poolshift.local.asl.Definition.MapState;
import dev.poolshift.local.asl.Definition.ParallelState;
import dev.poolshift.local.asl.Definition.PassState;
import dev.poolshift.local.asl.Definition.Retrier;
import dev.poolshift.local.asl.Definition.State;
import dev.poolshift.local.asl.Definition.SucceedState;
import dev.poolshift.local.asl.Definition.TaskState;
import dev.poolshift.local.asl.Definition.WaitState;
import dev.poolshift.local.json.LocalJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses and validates a state machine definition the way CreateStateMachine does, and
 * compiles every JSONata expression once. All problems are collected; {@link #load} reports them
 * together in an {@link InvalidDefinitionException}.
 *
 * <p>Only the JSONata query language is executed. A JSONPath state is reported as unsupported
 * (with AWS's own diagnostic when it also carries a JSONata-only field).
 */
public final class DefinitionLoader {
  static final int MAX_DEFINITION_BYTES = 1_048_576;
  private static final String SCHEMA = "SCHEMA_VALIDATION_FAILED";
  private static final String MISSING_TARGET = "MISSING_TRANSITION_TARGET";
  private static final String TYPES = "[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]";
  private static final String WAIT_FOR_TASK_TOKEN = ".waitForTaskToken";

  private static final Set<String> TOP_LEVEL = Set.of("States", "StartAt", "QueryLanguage", "Comment", "Version",
      "TimeoutSeconds");
  private static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");
  private static final Map<Definition.Type, Set<String>> FIELDS = Map.of(
      Definition.Type.Pass, Set.of("Output", "Assign", "Next", "End"),
      Definition.Type.Task, Set.of("Resource", "Arguments", "Output", "Assign", "TimeoutSeconds", "HeartbeatSeconds",
          "Retry", "Catch", "Credentials", "Next", "End"),
      Definition.Type.Choice, Set.of("Choices", "Default", "Output", "Assign"),
      Definition.Type.Wait, Set.of("Seconds", "Timestamp", "Output", "Assign", "Next", "End"),
      Definition.Type.Succeed, Set.of("Output"),
      Definition.Type.Fail, Set.of("Error", "Cause"),
      Definition.Type.Parallel, Set.of("Branches", "Arguments", "Output", "Assign", "Retry", "Catch", "Next", "End"),
      Definition.Type.Map, Set.of("ItemProcessor", "Iterator", "Items", "ItemSelector", "MaxConcurrency",
          "ToleratedFailureCount", "ToleratedFailurePercentage", "Output", "Assign", "Retry", "Catch", "Next", "End"));
  private static final Set<String> JSONPATH_ONLY = Set.of("InputPath", "Parameters", "ResultSelector", "ResultPath",
      "OutputPath", "Result", "ItemsPath", "MaxConcurrencyPath", "ToleratedFailureCountPath",
      "ToleratedFailurePercentagePath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath", "TimestampPath",
      "ErrorPath", "CausePath", "Variable", "And", "Or", "Not", "IsPresent", "IsNull", "IsBoolean", "IsNumeric",
      "IsString", "IsTimestamp");
  private static final Set<String> JSONATA_ONLY = Set.of("Arguments", "Output", "Condition", "Items");
  private static final Set<String> DISTRIBUTED_ONLY = Set.of("ItemReader", "ItemBatcher", "ResultWriter", "Label");
  private static final Set<String> RETRIER_FIELDS = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts",
      "BackoffRate", "MaxDelaySeconds", "JitterStrategy");
  private static final Set<String> CATCHER_FIELDS = Set.of("ErrorEquals", "Next", "Output", "Assign");
  private static final Set<String> RULE_FIELDS = Set.of("Condition", "Next", "Output", "Assign", "Comment");

  private final TaskResources resources;

  public DefinitionLoader(TaskResources resources) {
    this.resources = resources;
  }

  /** Parses, validates and compiles a definition. */
  public Definition load(String text) throws InvalidDefinitionException {
    Run run = new Run();
    Definition definition = run.load(text);
    if (!run.diagnostics.isEmpty()) {
      throw new InvalidDefinitionException(run.diagnostics);
    }
    return definition;
  }

  /** What a JSONata expression in a field may read besides {@code $states.input/context}. */
  private enum Usage {
    PLAIN, RESULT, ERROR_OUTPUT
  }

  /** The state of one load: diagnostics and machine-wide facts. */
  private final class Run {
    final List<Diagnostic> diagnostics = new ArrayList<>();
    final Map<String, String> stateLocations = new HashMap<>();
    final List<String> taskResources = new ArrayList<>();
    boolean machineJsonata;

    void error(String code, String message, String location) {
      diagnostics.add(new Diagnostic(code, message, location));
    }

    Definition load(String text) {
      if (text.getBytes(StandardCharsets.UTF_8).length > MAX_DEFINITION_BYTES) {
        error(SCHEMA, "The definition exceeds the maximum size of " + MAX_DEFINITION_BYTES + " bytes", "/");
        return null;
      }
      JsonNode root;
      try {
        root = LocalJson.parse(text);
      } catch (IllegalArgumentException e) {
        error("INVALID_JSON_DESCRIPTION", e.getMessage(), null);
        return null;
      }
      if (!root.isObject()) {
        error(SCHEMA, "Definition must be a valid JSON object", "/");
        return null;
      }
      unknownFields(root, TOP_LEVEL, "/");
      List<String> missing = new ArrayList<>();
      if (!root.has("States")) {
        missing.add("States");
      }
      if (!root.has("StartAt")) {
        missing.add("StartAt");
      }
      if (!missing.isEmpty()) {
        error(SCHEMA, "These fields are required: " + missing, "/");
        return null;
      }
      JsonNode language = root.get("QueryLanguage");
      if (language != null && !(language.isTextual()
          && (language.textValue().equals("JSONata") || language.textValue().equals("JSONPath")))) {
        error(SCHEMA, "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]", "/QueryLanguage");
      }
      machineJsonata = language != null && "JSONata".equals(language.asText());
      stringField(root, "Comment", "/Comment");
      stringField(root, "Version", "/Version");
      Integer timeout = null;
      if (root.has("TimeoutSeconds")) {
        timeout = integerLiteral(root.get("TimeoutSeconds"), 1, 99_999_999, "/TimeoutSeconds", "TimeoutSeconds");
      }
      Container container = container(root, "", Set.of());
      return new Definition(text, container, timeout, taskResources);
    }

    void stringField(JsonNode node, String field, String location) {
      JsonNode v = node.get(field);
      if (v != null && !v.isTextual()) {
        error(SCHEMA, "The field '" + field + "' must be a string", location);
      }
    }

    void unknownFields(JsonNode node, Set<String> allowed, String location) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!allowed.contains(field)) {
          error(SCHEMA, "Field '" + field + "' is not supported", location);
        }
      }
    }

    Integer integerLiteral(JsonNode value, long min, long max, String location, String field) {
      if (value == null || !value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
        error(SCHEMA, "The field '" + field + "' must be an integer between " + min + " and " + max, location);
        return null;
      }
      return (int) value.asLong();
    }

    // ---------------------------------------------------------------- containers

    /**
     * One StartAt/States container. {@code base} is its location prefix ("" for the machine,
     * "/States/P/Branches[0]" for a branch); {@code outer} the variable names assigned in
     * enclosing scopes, which states here must not assign.
     */
    Container container(JsonNode node, String base, Set<String> outer) {
      JsonNode statesNode = node.get("States");
      JsonNode startAtNode = node.get("StartAt");
      Map<String, State> states = new LinkedHashMap<>();
      if (statesNode == null || !statesNode.isObject()) {
        error(SCHEMA, "The field 'States' must be an object", base + "/States");
        return new Container(startAtNode == null ? "" : startAtNode.asText(), states);
      }
      if (statesNode.isEmpty()) {
        error(SCHEMA, "Value cannot be empty", base + "/States");
      }
      String startAt = startAtNode != null && startAtNode.isTextual() ? startAtNode.textValue() : null;
      if (startAt == null) {
        error(SCHEMA, "The field 'StartAt' must be a string", base + "/StartAt");
      }
      Set<String> mine = assignedNames(statesNode);
      Set<String> inner = new HashSet<>(outer);
      inner.addAll(mine);
      List<Edge> edges = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = statesNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String location = base + "/States/" + e.getKey();
        State state = state(e.getKey(), e.getValue(), location, outer, inner, edges);
        if (state != null) {
          states.put(e.getKey(), state);
        }
      }
      if (startAt != null && !statesNode.has(startAt)) {
        error(MISSING_TARGET, "Missing 'Next' target: " + startAt, base + "/StartAt");
      }
      for (Edge edge : edges) {
        if (!statesNode.has(edge.target())) {
          error(MISSING_TARGET, "Missing 'Next' target: " + edge.target(), edge.location());
        }
      }
      if (startAt != null && statesNode.has(startAt)) {
        reachability(statesNode, startAt, edges, base);
      }
      return new Container(startAt == null ? "" : startAt, states);
    }

    record Edge(String from, String target, String location) {}

    void reachability(JsonNode statesNode, String startAt, List<Edge> edges, String base) {
      Map<String, List<String>> next = new HashMap<>();
      for (Edge e : edges) {
        next.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.target());
      }
      Set<String> seen = new LinkedHashSet<>();
      Deque<String> todo = new ArrayDeque<>(List.of(startAt));
      boolean terminal = false;
      while (!todo.isEmpty()) {
        String name = todo.pop();
        if (!seen.add(name) || !statesNode.has(name)) {
          continue;
        }
        JsonNode s = statesNode.get(name);
        String type = s.path("Type").asText();
        if (type.equals("Succeed") || type.equals("Fail") || s.path("End").asBoolean(false)) {
          terminal = true;
        }
        todo.addAll(next.getOrDefault(name, List.of()));
      }
      if (!terminal) {
        error("MISSING_END_STATE", "Workflow has no terminal state", base.isEmpty() ? null : base);
        return;
      }
      for (Iterator<String> it = statesNode.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!seen.contains(name)) {
          error(MISSING_TARGET, "State \"" + name + "\" is not reachable.", base + "/States/" + name);
        }
      }
    }

    /** Names assigned directly by the states of one container (their Assign, rules' and catchers'). */
    Set<String> assignedNames(JsonNode statesNode) {
      Set<String> names = new HashSet<>();
      for (JsonNode state : statesNode) {
        addNames(state.get("Assign"), names);
        for (JsonNode rule : state.path("Choices")) {
          addNames(rule.get("Assign"), names);
        }
        for (JsonNode catcher : state.path("Catch")) {
          addNames(catcher.get("Assign"), names);
        }
      }
      return names;
    }

    void addNames(JsonNode assign, Set<String> names) {
      if (assign != null && assign.isObject()) {
        assign.fieldNames().forEachRemaining(names::add);
      }
    }

    // ---------------------------------------------------------------- states

    State state(String name, JsonNode node, String location, Set<String> outer, Set<String> inner, List<Edge> edges) {
      if (name.length() > 80) {
        error(SCHEMA, "State name must be at most 80 characters: " + name, location);
      }
      String other = stateLocations.putIfAbsent(name, location);
      if (other != null) {
        error(SCHEMA, "State name '" + name + "' is not unique: it is also used at " + other, location);
      }
      if (!node.isObject()) {
        error(SCHEMA, "A state must be a JSON object", location);
        return null;
      }
      JsonNode typeNode = node.get("Type");
      Definition.Type type = null;
      if (typeNode != null && typeNode.isTextual()) {
        try {
          type = Definition.Type.valueOf(typeNode.textValue());
        } catch (IllegalArgumentException e) {
          type = null;
        }
      }
      if (type == null) {
        error(SCHEMA, "The field 'Type' should have one of these values: " + TYPES, location + "/Type");
        return null;
      }
      JsonNode language = node.get("QueryLanguage");
      boolean jsonata = machineJsonata;
      if (language != null) {
        if (!language.isTextual() || !(language.textValue().equals("JSONata") || language.textValue().equals("JSONPath"))) {
          error(SCHEMA, "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]",
              location + "/QueryLanguage");
        } else if (language.textValue().equals("JSONPath") && machineJsonata) {
          error(SCHEMA, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", location);
        } else {
          jsonata = language.textValue().equals("JSONata");
        }
      }
      if (!jsonata) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
          String field = it.next();
          if (JSONATA_ONLY.contains(field)) {
            error(SCHEMA, "The QueryLanguage is set to 'JSONPath', but field '" + field
                + "' is only supported for the 'JSONata' QueryLanguage", location);
          }
        }
        error(SCHEMA, "The local runtime executes JSONata states only; state '" + name
            + "' uses JSONPath (set \"QueryLanguage\": \"JSONata\" at the top of the definition)", location);
        return null;
      }
      checkFields(node, type, location);
      State state = switch (type) {
        case Pass -> new PassState(name);
        case Task -> task(name, node, location);
        case Choice -> choice(name, node, location, outer, edges);
        case Wait -> waitState(name, node, location);
        case Succeed -> new SucceedState(name);
        case Fail -> fail(name, node, location);
        case Parallel -> parallel(name, node, location, inner);
        case Map -> map(name, node, location, inner);
      };
      Usage usage = type == Definition.Type.Task || type == Definition.Type.Parallel || type == Definition.Type.Map
          ? Usage.RESULT : Usage.PLAIN;
      if (node.has("Output")) {
        state.output = template(node.get("Output"), "Output", location, usage);
      }
      if (node.has("Assign")) {
        state.assign = assign(node.get("Assign"), "Assign", location, usage, outer);
      }
      if (state instanceof Definition.Recovering) {
        retriersAndCatchers(state, node, location, outer, edges);
      }
      transitions(state, node, location, edges);
      return state;
    }

    void checkFields(JsonNode node, Definition.Type type, String location) {
      Set<String> allowed = FIELDS.get(type);
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (COMMON.contains(field) || allowed.contains(field)) {
          continue;
        }
        if (JSONPATH_ONLY.contains(field) || field.endsWith(".$")) {
          error(SCHEMA, "The QueryLanguage is set to 'JSONata', but field '" + field
              + "' is only supported for the 'JSONPath' QueryLanguage", location);
        } else if (type == Definition.Type.Map && DISTRIBUTED_ONLY.contains(field)) {
          error(SCHEMA, "Field '" + field + "' belongs to Distributed Map, which the local runtime does not support",
              location);
        } else {
          error(SCHEMA, "Field '" + field + "' is not supported", location);
        }
      }
      stringField(node, "Comment", location + "/Comment");
    }

    void transitions(State state, JsonNode node, String location, List<Edge> edges) {
      Definition.Type type = state.type();
      if (type == Definition.Type.Choice || type == Definition.Type.Succeed || type == Definition.Type.Fail) {
        return;
      }
      JsonNode next = node.get("Next");
      JsonNode end = node.get("End");
      if (end != null && !end.isBoolean()) {
        error(SCHEMA, "The field 'End' must be a boolean", location + "/End");
      }
      boolean isEnd = end != null && end.asBoolean(false);
      if (next != null && !next.isTextual()) {
        error(SCHEMA, "The field 'Next' must be a string", location + "/Next");
        return;
      }
      if ((next == null) == !isEnd) {
        error(SCHEMA, "A state of type " + type + " must have exactly one of 'Next' or \"End\": true", location);
        return;
      }
      state.end = isEnd;
      if (next != null) {
        state.next = next.textValue();
        edges.add(new Edge(state.name, state.next, location + "/Next"));
      }
    }

    State task(String name, JsonNode node, String location) {
      TaskState state = new TaskState(name);
      JsonNode resource = node.get("Resource");
      if (resource == null || !resource.isTextual()) {
        error(SCHEMA, "The field 'Resource' is required and must be a string", location);
        return state;
      }
      state.resource = resource.textValue();
      String base = state.resource;
      if (base.endsWith(WAIT_FOR_TASK_TOKEN)) {
        base = base.substring(0, base.length() - WAIT_FOR_TASK_TOKEN.length());
        state.waitForTaskToken = true;
      }
      state.baseResource = base;
      if (state.waitForTaskToken && ResourceNaming.isFunctionArn(base)) {
        error(SCHEMA, "A Lambda function ARN cannot be used with '.waitForTaskToken'; use "
            + "arn:aws:states:::lambda:invoke.waitForTaskToken", location + "/Resource");
      } else if (base.matches(".*\\.sync(:\\d+)?$")) {
        error(SCHEMA, "The '.sync' integration pattern is not supported by the local runtime: " + state.resource,
            location + "/Resource");
      } else {
        Optional<TaskResource> implementation = resources.find(base);
        if (implementation.isEmpty()) {
          error(SCHEMA, "The resource '" + state.resource + "' is not supported", location + "/Resource");
        } else {
          state.implementation = implementation.get();
        }
      }
      taskResources.add(state.resource);
      if (node.has("Arguments")) {
        state.arguments = template(node.get("Arguments"), "Arguments", location, Usage.PLAIN);
      }
      Integer timeout = null;
      Integer heartbeat = null;
      if (node.has("TimeoutSeconds")) {
        state.timeoutSeconds = integerOrExpression(node.get("TimeoutSeconds"), "TimeoutSeconds", location, 1, 99_999_999);
        timeout = literalInt(state.timeoutSeconds);
      }
      if (node.has("HeartbeatSeconds")) {
        state.heartbeatSeconds = integerOrExpression(node.get("HeartbeatSeconds"), "HeartbeatSeconds", location, 1,
            99_999_999);
        heartbeat = literalInt(state.heartbeatSeconds);
      }
      if (timeout != null && heartbeat != null && heartbeat >= timeout) {
        error(SCHEMA, "HeartbeatSeconds (" + heartbeat + ") must be smaller than TimeoutSeconds (" + timeout + ")",
            location + "/HeartbeatSeconds");
      }
      if (node.has("Credentials")) {
        JsonNode credentials = node.get("Credentials");
        if (!credentials.isObject() || !credentials.has("RoleArn")) {
          error(SCHEMA, "The field 'RoleArn' is required but was missing", location + "/Credentials");
        } else {
          unknownFields(credentials, Set.of("RoleArn"), location + "/Credentials");
          state.credentials = template(credentials, "Credentials", location, Usage.PLAIN);
        }
      }
      return state;
    }

    Integer literalInt(JsonataTemplate template) {
      return template instanceof JsonataTemplate.Literal l && l.value().isIntegralNumber() ? l.value().intValue() : null;
    }

    /** A field that holds an integer literal within [min, max] or a JSONata expression. */
    JsonataTemplate integerOrExpression(JsonNode value, String field, String location, long min, long max) {
      if (isExpression(value)) {
        return template(value, field, location, Usage.PLAIN);
      }
      if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
        error(SCHEMA, "The field '" + field + "' must be an integer between " + min + " and " + max
            + " or a JSONata expression", location + "/" + field);
        return new JsonataTemplate.Literal(JsonNodeFactory.instance.numberNode(min));
      }
      return new JsonataTemplate.Literal(value);
    }

    State choice(String name, JsonNode node, String location, Set<String> outer, List<Edge> edges) {
      ChoiceState state = new ChoiceState(name);
      JsonNode choices = node.get("Choices");
      if (choices == null || !choices.isArray() || choices.isEmpty()) {
        error(SCHEMA, "The field 'Choices' is required and must be a non-empty array", location + "/Choices");
      } else {
        List<ChoiceRule> rules = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
          JsonNode rule = choices.get(i);
          String ruleLocation = location + "/Choices[" + i + "]";
          String field = "Choices[" + i + "]";
          if (!rule.isObject()) {
            error(SCHEMA, "A choice rule must be an object", ruleLocation);
            continue;
          }
          for (Iterator<String> it = rule.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (RULE_FIELDS.contains(f)) {
              continue;
            }
            if (JSONPATH_ONLY.contains(f) || f.endsWith(".$") || f.startsWith("String") || f.startsWith("Numeric")
                || f.startsWith("Boolean") || f.startsWith("Timestamp")) {
              error(SCHEMA, "The QueryLanguage is set to 'JSONata', but field '" + f
                  + "' is only supported for the 'JSONPath' QueryLanguage", ruleLocation);
            } else {
              error(SCHEMA, "Field '" + f + "' is not supported", ruleLocation);
            }
          }
          JsonNode condition = rule.get("Condition");
          JsonataTemplate conditionTemplate = null;
          if (condition == null) {
            error(SCHEMA, "The field 'Condition' is required", ruleLocation);
          } else if (condition.isBoolean() || isExpression(condition)) {
            conditionTemplate = template(condition, field + "/Condition", location, Usage.PLAIN);
          } else {
            error(SCHEMA, "The field 'Condition' must be a boolean or a JSONata expression", ruleLocation + "/Condition");
          }
          JsonNode next = rule.get("Next");
          if (next == null || !next.isTextual()) {
            error(SCHEMA, "The field 'Next' is required and must be a string", ruleLocation);
          } else {
            edges.add(new Edge(name, next.textValue(), ruleLocation + "/Next"));
          }
          JsonataTemplate output = rule.has("Output") ? template(rule.get("Output"), field + "/Output", location, Usage.PLAIN) : null;
          Map<String, JsonataTemplate> assign = rule.has("Assign")
              ? assign(rule.get("Assign"), field + "/Assign", location, Usage.PLAIN, outer) : null;
          rules.add(new ChoiceRule(conditionTemplate, next == null ? null : next.asText(), output, assign, i));
        }
        state.choices = rules;
      }
      JsonNode defaultNext = node.get("Default");
      if (defaultNext != null) {
        if (!defaultNext.isTextual()) {
          error(SCHEMA, "The field 'Default' must be a string", location + "/Default");
        } else {
          state.defaultNext = defaultNext.textValue();
          edges.add(new Edge(name, state.defaultNext, location + "/Default"));
        }
      }
      return state;
    }

    State waitState(String name, JsonNode node, String location) {
      WaitState state = new WaitState(name);
      boolean seconds = node.has("Seconds");
      boolean timestamp = node.has("Timestamp");
      if (seconds == timestamp) {
        error(SCHEMA, "A Wait state must have exactly one of 'Seconds' or 'Timestamp'", location);
        return state;
      }
      if (seconds) {
        state.seconds = integerOrExpression(node.get("Seconds"), "Seconds", location, 0, 99_999_999);
      } else {
        JsonNode value = node.get("Timestamp");
        if (isExpression(value)) {
          state.timestamp = template(value, "Timestamp", location, Usage.PLAIN);
        } else if (!value.isTextual() || Interpreter.parseTimestamp(value.textValue()).isEmpty()) {
          error(SCHEMA, "The field 'Timestamp' must be an ISO-8601 extended offset date-time string "
              + "(e.g. 2026-06-01T12:00:00Z) or a JSONata expression", location + "/Timestamp");
        } else {
          state.timestamp = new JsonataTemplate.Literal(value);
        }
      }
      return state;
    }

    State fail(String name, JsonNode node, String location) {
      FailState state = new FailState(name);
      for (String field : List.of("Error", "Cause")) {
        JsonNode value = node.get(field);
        if (value == null) {
          continue;
        }
        if (!value.isTextual()) {
          error(SCHEMA, "The field '" + field + "' must be a string or a JSONata expression", location + "/" + field);
          continue;
        }
        JsonataTemplate t = template(value, field, location, Usage.PLAIN);
        if (field.equals("Error")) {
          state.error = t;
        } else {
          state.cause = t;
        }
      }
      return state;
    }

    State parallel(String name, JsonNode node, String location, Set<String> inner) {
      ParallelState state = new ParallelState(name);
      JsonNode branches = node.get("Branches");
      if (branches == null || !branches.isArray()) {
        error(SCHEMA, "The field 'Branches' is required and must be an array", location);
      } else if (branches.isEmpty()) {
        error(SCHEMA, "Value cannot be empty", location + "/Branches");
      } else {
        List<Container> containers = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
          JsonNode branch = branches.get(i);
          String branchLocation = location + "/Branches[" + i + "]";
          if (!branch.isObject()) {
            error(SCHEMA, "A branch must be an object", branchLocation);
            continue;
          }
          unknownFields(branch, Set.of("StartAt", "States", "Comment"), branchLocation);
          containers.add(container(branch, branchLocation, inner));
        }
        state.branches = containers;
      }
      if (node.has("Arguments")) {
        state.arguments = template(node.get("Arguments"), "Arguments", location, Usage.PLAIN);
      }
      return state;
    }

    State map(String name, JsonNode node, String location, Set<String> inner) {
      MapState state = new MapState(name);
      String processorField = node.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
      JsonNode processor = node.get(processorField);
      if (node.has("ItemProcessor") && node.has("Iterator")) {
        error(SCHEMA, "Use either 'ItemProcessor' or 'Iterator', not both", location);
      }
      if (processor == null || !processor.isObject()) {
        error(SCHEMA, "The field 'ItemProcessor' is required and must be an object", location);
      } else {
        String processorLocation = location + "/" + processorField;
        unknownFields(processor, Set.of("StartAt", "States", "Comment", "ProcessorConfig"), processorLocation);
        JsonNode config = processor.get("ProcessorConfig");
        if (config != null) {
          unknownFields(config, Set.of("Mode", "ExecutionType"), processorLocation + "/ProcessorConfig");
          JsonNode mode = config.get("Mode");
          if (mode != null && !"INLINE".equals(mode.asText())) {
            error(SCHEMA, "ProcessorConfig Mode '" + mode.asText() + "' is not supported by the local runtime (only INLINE)",
                processorLocation + "/ProcessorConfig/Mode");
          }
          if (config.has("ExecutionType")) {
            error(SCHEMA, "Field 'ExecutionType' is only supported in DISTRIBUTED mode", processorLocation + "/ProcessorConfig");
          }
        }
        state.processor = container(processor, processorLocation, inner);
      }
      if (node.has("Items")) {
        JsonNode items = node.get("Items");
        if (items.isArray() || isExpression(items)) {
          state.items = template(items, "Items", location, Usage.PLAIN);
        } else {
          error(SCHEMA, "The field 'Items' must be an array or a JSONata expression", location + "/Items");
        }
      }
      if (node.has("ItemSelector")) {
        state.itemSelector = template(node.get("ItemSelector"), "ItemSelector", location, Usage.PLAIN);
      }
      if (node.has("MaxConcurrency")) {
        state.maxConcurrency = integerOrExpression(node.get("MaxConcurrency"), "MaxConcurrency", location, 0,
            Integer.MAX_VALUE);
      }
      if (node.has("ToleratedFailureCount")) {
        state.toleratedFailureCount = integerOrExpression(node.get("ToleratedFailureCount"), "ToleratedFailureCount",
            location, 0, Integer.MAX_VALUE);
      }
      if (node.has("ToleratedFailurePercentage")) {
        JsonNode value = node.get("ToleratedFailurePercentage");
        if (isExpression(value)) {
          state.toleratedFailurePercentage = template(value, "ToleratedFailurePercentage", location, Usage.PLAIN);
        } else if (!value.isNumber() || value.doubleValue() < 0 || value.doubleValue() > 100) {
          error(SCHEMA, "The field 'ToleratedFailurePercentage' must be a number between 0 and 100 or a JSONata "
              + "expression", location + "/ToleratedFailurePercentage");
        } else {
          state.toleratedFailurePercentage = new JsonataTemplate.Literal(value);
        }
      }
      return state;
    }

    // ---------------------------------------------------------------- Retry and Catch

    void retriersAndCatchers(State state, JsonNode node, String location, Set<String> outer, List<Edge> edges) {
      List<Retrier> retriers = new ArrayList<>();
      JsonNode retry = node.get("Retry");
      if (retry != null) {
        if (!retry.isArray()) {
          error(SCHEMA, "The field 'Retry' must be an array", location + "/Retry");
        } else {
          for (int i = 0; i < retry.size(); i++) {
            Retrier r = retrier(retry.get(i), location + "/Retry[" + i + "]", i == retry.size() - 1);
            if (r != null) {
              retriers.add(r);
            }
          }
        }
      }
      List<Catcher> catchers = new ArrayList<>();
      JsonNode catchNode = node.get("Catch");
      if (catchNode != null) {
        if (!catchNode.isArray()) {
          error(SCHEMA, "The field 'Catch' must be an array", location + "/Catch");
        } else {
          for (int i = 0; i < catchNode.size(); i++) {
            Catcher c = catcher(state.name, catchNode.get(i), location, i, i == catchNode.size() - 1, outer, edges);
            if (c != null) {
              catchers.add(c);
            }
          }
        }
      }
      switch (state) {
        case TaskState t -> {
          t.retry = retriers;
          t.catchers = catchers;
        }
        case ParallelState p -> {
          p.retry = retriers;
          p.catchers = catchers;
        }
        case MapState m -> {
          m.retry = retriers;
          m.catchers = catchers;
        }
        default -> throw new IllegalStateException(state.type().name());
      }
    }

    List<String> errorEquals(JsonNode node, String location, boolean last, String what) {
      JsonNode errors = node.get("ErrorEquals");
      if (errors == null || !errors.isArray() || errors.isEmpty()) {
        error(SCHEMA, "The field 'ErrorEquals' is required and must be a non-empty array of strings", location);
        return null;
      }
      List<String> names = new ArrayList<>();
      for (JsonNode e : errors) {
        if (!e.isTextual()) {
          error(SCHEMA, "The field 'ErrorEquals' must contain only strings", location + "/ErrorEquals");
          return null;
        }
        names.add(e.textValue());
      }
      if (names.contains(StateError.ALL)) {
        if (names.size() > 1) {
          error(SCHEMA, "'States.ALL' must appear alone in 'ErrorEquals'", location + "/ErrorEquals");
        }
        if (!last) {
          error(SCHEMA, "A " + what + " with 'States.ALL' must be the last " + what, location);
        }
      }
      return names;
    }

    Retrier retrier(JsonNode node, String location, boolean last) {
      if (!node.isObject()) {
        error(SCHEMA, "A retrier must be an object", location);
        return null;
      }
      unknownFields(node, RETRIER_FIELDS, location);
      List<String> errors = errorEquals(node, location, last, "retrier");
      Integer interval = node.has("IntervalSeconds")
          ? integerLiteral(node.get("IntervalSeconds"), 1, 99_999_999, location + "/IntervalSeconds", "IntervalSeconds") : Integer.valueOf(1);
      Integer attempts = node.has("MaxAttempts")
          ? integerLiteral(node.get("MaxAttempts"), 0, 99_999_999, location + "/MaxAttempts", "MaxAttempts") : Integer.valueOf(3);
      double backoff = 2.0;
      if (node.has("BackoffRate")) {
        JsonNode b = node.get("BackoffRate");
        if (!b.isNumber() || b.doubleValue() < 1.0) {
          error(SCHEMA, "The field 'BackoffRate' must be a number greater than or equal to 1.0", location + "/BackoffRate");
        } else {
          backoff = b.doubleValue();
        }
      }
      Integer maxDelay = node.has("MaxDelaySeconds")
          ? integerLiteral(node.get("MaxDelaySeconds"), 1, 31_622_400, location + "/MaxDelaySeconds", "MaxDelaySeconds")
          : null;
      boolean full = false;
      if (node.has("JitterStrategy")) {
        String jitter = node.get("JitterStrategy").asText();
        if (!jitter.equals("FULL") && !jitter.equals("NONE")) {
          error(SCHEMA, "The field 'JitterStrategy' should have one of these values: [FULL, NONE]",
              location + "/JitterStrategy");
        }
        full = jitter.equals("FULL");
      }
      if (errors == null || interval == null || attempts == null) {
        return null;
      }
      return new Retrier(errors, interval, attempts, backoff, maxDelay, full);
    }

    Catcher catcher(String stateName, JsonNode node, String location, int index, boolean last, Set<String> outer,
        List<Edge> edges) {
      String catcherLocation = location + "/Catch[" + index + "]";
      if (!node.isObject()) {
        error(SCHEMA, "A catcher must be an object", catcherLocation);
        return null;
      }
      unknownFields(node, CATCHER_FIELDS, catcherLocation);
      List<String> errors = errorEquals(node, catcherLocation, last, "catcher");
      JsonNode next = node.get("Next");
      if (next == null || !next.isTextual()) {
        error(SCHEMA, "The field 'Next' is required and must be a string", catcherLocation);
        return null;
      }
      edges.add(new Edge(stateName, next.textValue(), catcherLocation + "/Next"));
      // The runtime reports a catcher's expression errors as Catch[i]/<field>; compile with the
      // plain field name and let the interpreter add the prefix.
      JsonataTemplate output = node.has("Output")
          ? template(node.get("Output"), "Output", location, Usage.ERROR_OUTPUT, "Catch[" + index + "]/") : null;
      Map<String, JsonataTemplate> assign = node.has("Assign")
          ? assign(node.get("Assign"), "Assign", location, Usage.ERROR_OUTPUT, outer, "Catch[" + index + "]/") : null;
      return errors == null ? null : new Catcher(errors, next.textValue(), output, assign, index);
    }

    // ---------------------------------------------------------------- Assign and templates

    Map<String, JsonataTemplate> assign(JsonNode node, String field, String location, Usage usage, Set<String> outer) {
      return assign(node, field, location, usage, outer, "");
    }

    Map<String, JsonataTemplate> assign(JsonNode node, String field, String location, Usage usage, Set<String> outer,
        String locationPrefix) {
      if (!node.isObject()) {
        error(SCHEMA, "The field 'Assign' must be an object", location + "/" + locationPrefix + field);
        return null;
      }
      Map<String, JsonataTemplate> members = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String name = e.getKey();
        String memberLocation = location + "/" + locationPrefix + field + "/" + name;
        if (!isIdentifier(name)) {
          error(SCHEMA, "Invalid variable name '" + name + "': a name is a Unicode identifier of at most 80 characters "
              + "(no dots or brackets: assign the whole value)", memberLocation);
        } else if (name.equals("states")) {
          error(SCHEMA, "The variable name 'states' is reserved", memberLocation);
        } else if (outer.contains(name)) {
          error(SCHEMA, "Variable '" + name + "' is already assigned in an outer scope; a Parallel branch or Map "
              + "iteration must not assign a name an enclosing scope assigns", memberLocation);
        }
        members.put(name, template(e.getValue(), field + "/" + name, location, usage, locationPrefix));
      }
      return members;
    }

    static boolean isIdentifier(String name) {
      if (name.isEmpty() || name.codePointCount(0, name.length()) > 80) {
        return false;
      }
      int first = name.codePointAt(0);
      if (!Character.isUnicodeIdentifierStart(first) && first != '_') {
        return false;
      }
      return name.codePoints().skip(1).allMatch(c -> Character.isUnicodeIdentifierPart(c) && !Character.isIdentifierIgnorable(c));
    }

    JsonataTemplate template(JsonNode node, String field, String stateLocation, Usage usage) {
      return template(node, field, stateLocation, usage, "");
    }

    /** Compiles a field value; {@code field} is relative to the state ({@code Output/values[0]}). */
    JsonataTemplate template(JsonNode node, String field, String stateLocation, Usage usage, String locationPrefix) {
      String location = stateLocation + "/" + locationPrefix + field;
      if (node.isTextual()) {
        String s = node.textValue();
        if (s.startsWith("{%") && s.endsWith("%}") && s.length() >= 4) {
          return expression(s.substring(2, s.length() - 2).strip(), field, location, usage);
        }
        String trimmed = s.strip();
        if (trimmed.startsWith("{%") && trimmed.endsWith("%}") || s.startsWith("{%") || s.endsWith("%}")) {
          // Step Functions rejects improperly delimited expressions; whitespace around the
          // delimiters is unconfirmed either way, so it is rejected too (the harsher reading).
          error("INVALID_JSONATA_EXPRESSION", "A JSONata expression must start with '{%' and end with '%}' "
              + "with nothing around them", location);
        }
        return new JsonataTemplate.Literal(node);
      }
      if (node.isObject()) {
        Map<String, JsonataTemplate> members = new LinkedHashMap<>();
        boolean literal = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          JsonataTemplate t = template(e.getValue(), field + "/" + e.getKey(), stateLocation, usage, locationPrefix);
          literal &= t instanceof JsonataTemplate.Literal;
          members.put(e.getKey(), t);
        }
        return literal ? new JsonataTemplate.Literal(node) : new JsonataTemplate.ObjectTemplate(members);
      }
      if (node.isArray()) {
        List<JsonataTemplate> elements = new ArrayList<>();
        boolean literal = true;
        for (int i = 0; i < node.size(); i++) {
          JsonataTemplate t = template(node.get(i), field + "[" + i + "]", stateLocation, usage, locationPrefix);
          literal &= t instanceof JsonataTemplate.Literal;
          elements.add(t);
        }
        return literal ? new JsonataTemplate.Literal(node) : new JsonataTemplate.ArrayTemplate(elements);
      }
      return new JsonataTemplate.Literal(node);
    }

    JsonataTemplate expression(String text, String field, String location, Usage usage) {
      JsonataExpression expression;
      try {
        expression = JsonataExpression.compile(text);
      } catch (JsonataExpression.SyntaxException e) {
        error("INVALID_JSONATA_EXPRESSION", e.getMessage(), location);
        return new JsonataTemplate.Literal(JsonNodeFactory.instance.nullNode());
      }
      for (String reference : expression.topLevelReferences()) {
        error("UNSUPPORTED_JSONATA_EXPRESSION", "Reference to '" + reference + "' at the top level is not supported.",
            location);
      }
      if (expression.statesMembers().contains("result") && usage != Usage.RESULT) {
        error(SCHEMA, "'$states.result' is only available in the Output and Assign of a Task, Map or Parallel state",
            location);
      }
      if (expression.statesMembers().contains("errorOutput") && usage != Usage.ERROR_OUTPUT) {
        error(SCHEMA, "'$states.errorOutput' is only available in the Output and Assign of a Catch entry", location);
      }
      return new JsonataTemplate.Expression(expression, field);
    }

    boolean isExpression(JsonNode node) {
      return node.isTextual() && node.textValue().startsWith("{%") && node.textValue().endsWith("%}");
    }
  }
}
