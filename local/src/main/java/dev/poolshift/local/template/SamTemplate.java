package dev.poolshift.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.template.FunctionDef.AsyncInvokeConfig;
import dev.poolshift.local.template.FunctionDef.DeadLetterTarget;
import dev.poolshift.local.template.Intrinsics.Resource;
import dev.poolshift.local.template.RuleDef.InputTransformer;
import dev.poolshift.local.template.RuleDef.RetryPolicy;
import dev.poolshift.local.template.RuleDef.Schedule;
import dev.poolshift.local.template.RuleDef.Target;
import dev.poolshift.local.template.TableDef.IndexDef;
import dev.poolshift.local.template.TableDef.KeyElement;
import dev.poolshift.local.template.TableDef.Throughput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SAM/CloudFormation template loaded the way {@code sam deploy} would instantiate it, for the
 * local runtime: Globals merged, parameters, conditions and mappings applied, intrinsic functions
 * resolved, and a typed view of the resources the runtime simulates (functions, state machines,
 * tables, topics, queues, EventBridge rules).
 *
 * <p><b>Physical names are deterministic.</b> A resource's name is its name property
 * ({@code FunctionName}, {@code TableName}, ...) when set, else {@code <stack>-<LogicalId>};
 * CloudFormation would add a random suffix, the local runtime does not, so ARNs are the same on
 * every run. {@code Ref}/{@code Fn::GetAtt} resolve against these names; a reference to a missing
 * resource, an unsupported resource type or an unknown attribute is an error naming the resource
 * and the attribute. Only the properties the runtime uses are resolved, so an exotic value in,
 * say, {@code Policies} does not stop the template from loading.
 *
 * <p>SAM specifics: {@code Globals} ({@code Function}, {@code SimpleTable}, {@code StateMachine})
 * merge into each resource as SAM does (maps key by key, lists concatenated, the resource's own
 * scalars win); a function or state machine without {@code Role} gets the role SAM generates
 * ({@code <LogicalId>Role}); {@code EventBridgeRule}/{@code CloudWatchEvent}/{@code Schedule}
 * events become rules named {@code <LogicalId><EventId>}, targeting the function's alias when it
 * has {@code AutoPublishAlias}; {@code ScheduleV2} events become EventBridge Scheduler schedules;
 * {@code DefinitionUri} is read relative to the template and {@code DefinitionSubstitutions} are
 * applied as text ({@code ${Name}}).
 */
public final class SamTemplate {
  private static final String SAM_TRANSFORM = "AWS::Serverless-2016-10-31";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

  private final Path file;
  private final TemplateOptions options;
  private final Map<String, Object> parameters;
  private final Map<String, Resource> resources;
  private final Intrinsics intrinsics;
  private final Map<String, FunctionDef> functions = new LinkedHashMap<>();
  private final Map<String, StateMachineDef> stateMachines = new LinkedHashMap<>();
  private final Map<String, TableDef> tables = new LinkedHashMap<>();
  private final Map<String, TopicDef> topics = new LinkedHashMap<>();
  private final Map<String, QueueDef> queues = new LinkedHashMap<>();
  private final Map<String, RuleDef> rules = new LinkedHashMap<>();

  private SamTemplate(Path file, String yaml, TemplateOptions options) {
    this.file = file;
    this.options = options;
    String source = file.getFileName().toString();
    if (!(CfnYaml.parse(yaml, source) instanceof Map<?, ?> rawRoot)) {
      throw new TemplateException(source + ": a template must be a YAML mapping");
    }
    Map<String, Object> root = stringKeys(rawRoot);
    boolean sam = transforms(root).contains(SAM_TRANSFORM);
    this.parameters = parameters(section(root, "Parameters"), options.parameterOverrides());
    Map<String, Object> globals = section(root, "Globals");
    if (!globals.isEmpty() && !sam) {
      throw new TemplateException("Globals: only SAM templates (Transform: " + SAM_TRANSFORM + ") may have Globals");
    }
    this.resources = declaredResources(section(root, "Resources"), globals, sam);
    this.intrinsics = new Intrinsics(options, parameters, section(root, "Conditions"), section(root, "Mappings"),
        resources);
    for (Resource r : resources.values()) {
      if (r.condition != null) {
        r.included = intrinsics.condition(r.condition, r.path + ".Condition");
      }
    }
    addImplicitResources();
    build();
  }

  /** Loads a template with the default stack name, account and Region. */
  public static SamTemplate load(Path file) {
    return load(file, TemplateOptions.defaults());
  }

  public static SamTemplate load(Path file, TemplateOptions options) {
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new TemplateException("template not found: " + file, e);
    } catch (IOException e) {
      throw new TemplateException("cannot read template " + file + ": " + e.getMessage(), e);
    }
    return new SamTemplate(file.toAbsolutePath().normalize(), yaml, options);
  }

  // ------------------------------------------------------------------ public view

  public Path file() {
    return file;
  }

  public TemplateOptions options() {
    return options;
  }

  public String stackName() {
    return options.stackName();
  }

  public AwsContext aws() {
    return options.aws();
  }

  /** Parameter values after defaults and overrides: a string, or a list for list-typed parameters. */
  public Map<String, Object> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /** The value of a condition from the {@code Conditions} section. */
  public boolean condition(String name) {
    return intrinsics.condition(name, "condition lookup");
  }

  /** {@code Ref logicalId} (also parameters and pseudo parameters). */
  public Object ref(String logicalId) {
    return intrinsics.ref(logicalId, "Ref " + logicalId);
  }

  /** {@code Fn::GetAtt logicalId.attribute}. */
  public Object getAtt(String logicalId, String attribute) {
    return intrinsics.getAtt(logicalId, attribute, "Fn::GetAtt " + logicalId + "." + attribute);
  }

  /** Every function, by logical id, in template order. */
  public Map<String, FunctionDef> functions() {
    return Collections.unmodifiableMap(functions);
  }

  public FunctionDef function(String logicalId) {
    return lookup(functions, logicalId, "function");
  }

  public Map<String, StateMachineDef> stateMachines() {
    return Collections.unmodifiableMap(stateMachines);
  }

  public StateMachineDef stateMachine(String logicalId) {
    return lookup(stateMachines, logicalId, "state machine");
  }

  public Map<String, TableDef> tables() {
    return Collections.unmodifiableMap(tables);
  }

  public TableDef table(String logicalId) {
    return lookup(tables, logicalId, "table");
  }

  public Map<String, TopicDef> topics() {
    return Collections.unmodifiableMap(topics);
  }

  public Map<String, QueueDef> queues() {
    return Collections.unmodifiableMap(queues);
  }

  /** Every EventBridge rule and schedule, declared or generated from SAM events, by logical id. */
  public Map<String, RuleDef> rules() {
    return Collections.unmodifiableMap(rules);
  }

  public RuleDef rule(String logicalId) {
    return lookup(rules, logicalId, "rule");
  }

  /**
   * A property of a created resource as CloudFormation would see it (Globals merged, intrinsic
   * functions resolved), or null when the resource does not set it. For properties the typed
   * views leave out, such as a function's {@code Policies} and {@code Role}.
   */
  public Object resolvedProperty(String logicalId, String property) {
    Resource r = resources.get(logicalId);
    if (r == null || !r.included) {
      throw new IllegalArgumentException("the template creates no resource '" + logicalId + "'");
    }
    Object raw = r.properties.get(property);
    Object value = raw == null ? null : intrinsics.resolve(raw, r.path + ".Properties." + property);
    return value == Intrinsics.NO_VALUE ? null : value;
  }

  /** Logical ids of every resource that is created (declared and SAM-generated), with its type. */
  public Map<String, String> resourceTypes() {
    Map<String, String> out = new LinkedHashMap<>();
    resources.values().stream().filter(r -> r.included).forEach(r -> out.put(r.logicalId, r.type));
    return out;
  }

  private static <T> T lookup(Map<String, T> map, String logicalId, String kind) {
    T value = map.get(logicalId);
    if (value == null) {
      throw new IllegalArgumentException("the template has no " + kind + " with logical id '" + logicalId
          + "' (have: " + String.join(", ", map.keySet()) + ")");
    }
    return value;
  }

  // ------------------------------------------------------------------ sections

  private static Set<String> transforms(Map<String, Object> root) {
    Object t = root.get("Transform");
    Set<String> out = new LinkedHashSet<>();
    if (t instanceof String s) {
      out.add(s);
    } else if (t instanceof List<?> list) {
      list.forEach(v -> out.add(String.valueOf(v)));
    } else if (t != null) {
      throw new TemplateException("Transform: expected a name or a list of names");
    }
    for (String name : out) {
      if (!name.equals(SAM_TRANSFORM)) {
        throw new TemplateException("Transform: " + name + " is not supported by the local runtime (only "
            + SAM_TRANSFORM + ")");
      }
    }
    return out;
  }

  private static Map<String, Object> section(Map<String, Object> root, String name) {
    Object v = root.get(name);
    if (v == null) {
      return new LinkedHashMap<>();
    }
    if (!(v instanceof Map<?, ?> map)) {
      throw new TemplateException(name + ": expected a mapping");
    }
    return stringKeys(map);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), normalize(v)));
    return out;
  }

  private static Object normalize(Object v) {
    if (v instanceof Map<?, ?> map) {
      return stringKeys(map);
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(e -> out.add(normalize(e)));
      return out;
    }
    return v;
  }

  private static Map<String, Object> parameters(Map<String, Object> declared, Map<String, String> overrides) {
    for (String name : overrides.keySet()) {
      if (!declared.containsKey(name)) {
        throw new TemplateException("parameter override " + name + ": the template declares no such parameter (have: "
            + String.join(", ", declared.keySet()) + ")");
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : declared.entrySet()) {
      String name = e.getKey();
      String where = "Parameters." + name;
      if (!(e.getValue() instanceof Map<?, ?> rawSpec)) {
        throw new TemplateException(where + ": expected a mapping with at least Type");
      }
      Map<String, Object> spec = stringKeys(rawSpec);
      String type = spec.get("Type") == null ? null : Intrinsics.text(spec.get("Type"), where + ".Type");
      if (type == null) {
        throw new TemplateException(where + ".Type: required");
      }
      String raw = overrides.containsKey(name) ? overrides.get(name)
          : spec.containsKey("Default") ? scalarOrList(spec.get("Default"), where + ".Default") : null;
      if (raw == null) {
        throw new TemplateException(where + ": no value: the parameter has no Default and no override was given");
      }
      if (type.startsWith("AWS::SSM::Parameter::Value")) {
        throw new TemplateException(where + ": type " + type + " reads SSM Parameter Store at deploy time, which the "
            + "local runtime cannot do; use a String parameter and an override");
      }
      validateParameter(where, type, raw, spec);
      boolean list = type.equals("CommaDelimitedList") || type.startsWith("List<");
      values.put(name, list ? splitList(raw) : raw);
    }
    return values;
  }

  private static String scalarOrList(Object v, String where) {
    if (v instanceof List<?> list) {
      List<String> parts = new ArrayList<>();
      list.forEach(e -> parts.add(Intrinsics.text(e, where)));
      return String.join(",", parts);
    }
    return Intrinsics.text(v, where);
  }

  private static List<String> splitList(String raw) {
    if (raw.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String part : raw.split(",", -1)) {
      out.add(part.strip());
    }
    return out;
  }

  private static void validateParameter(String where, String type, String value, Map<String, Object> spec) {
    if (spec.get("AllowedValues") instanceof List<?> allowed) {
      List<String> texts = allowed.stream().map(a -> Intrinsics.text(a, where + ".AllowedValues")).toList();
      if (!texts.contains(value)) {
        throw new TemplateException(where + ": value '" + value + "' is not one of AllowedValues " + texts);
      }
    }
    if (spec.get("AllowedPattern") != null) {
      String pattern = Intrinsics.text(spec.get("AllowedPattern"), where + ".AllowedPattern");
      if (!value.matches(pattern)) {
        throw new TemplateException(where + ": value '" + value + "' does not match AllowedPattern " + pattern);
      }
    }
    if (spec.get("MinLength") != null && value.length() < Intrinsics.integer(spec.get("MinLength"), where)) {
      throw new TemplateException(where + ": value '" + value + "' is shorter than MinLength " + spec.get("MinLength"));
    }
    if (spec.get("MaxLength") != null && value.length() > Intrinsics.integer(spec.get("MaxLength"), where)) {
      throw new TemplateException(where + ": value '" + value + "' is longer than MaxLength " + spec.get("MaxLength"));
    }
    if (type.equals("Number") || type.equals("List<Number>")) {
      for (String part : type.equals("Number") ? List.of(value) : splitList(value)) {
        double d;
        try {
          d = Double.parseDouble(part);
        } catch (NumberFormatException e) {
          throw new TemplateException(where + ": value '" + part + "' is not a number");
        }
        if (spec.get("MinValue") != null && d < Double.parseDouble(Intrinsics.text(spec.get("MinValue"), where))) {
          throw new TemplateException(where + ": value " + part + " is below MinValue " + spec.get("MinValue"));
        }
        if (spec.get("MaxValue") != null && d > Double.parseDouble(Intrinsics.text(spec.get("MaxValue"), where))) {
          throw new TemplateException(where + ": value " + part + " is above MaxValue " + spec.get("MaxValue"));
        }
      }
    }
  }

  // ------------------------------------------------------------------ resources and SAM Globals

  private static Map<String, Resource> declaredResources(Map<String, Object> declared, Map<String, Object> globals,
      boolean sam) {
    for (String section : globals.keySet()) {
      if (!Set.of("Function", "SimpleTable", "StateMachine", "Api", "HttpApi", "LayerVersion").contains(section)) {
        throw new TemplateException("Globals." + section + ": not a SAM Globals section (Function, SimpleTable, "
            + "StateMachine, Api, HttpApi)");
      }
    }
    Map<String, Resource> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : declared.entrySet()) {
      String id = e.getKey();
      String path = "Resources." + id;
      if (!id.matches("[A-Za-z0-9]+")) {
        throw new TemplateException(path + ": logical ids must be alphanumeric");
      }
      if (!(e.getValue() instanceof Map<?, ?> raw)) {
        throw new TemplateException(path + ": expected a mapping with Type and Properties");
      }
      Map<String, Object> body = stringKeys(raw);
      if (!(body.get("Type") instanceof String type)) {
        throw new TemplateException(path + ".Type: required");
      }
      if (type.startsWith("AWS::Serverless::") && !sam) {
        throw new TemplateException(path + ".Type: " + type + " needs Transform: " + SAM_TRANSFORM);
      }
      Object props = body.get("Properties");
      if (props != null && !(props instanceof Map<?, ?>)) {
        throw new TemplateException(path + ".Properties: expected a mapping");
      }
      Map<String, Object> properties = props == null ? new LinkedHashMap<>() : stringKeys((Map<?, ?>) props);
      String globalSection = switch (type) {
        case "AWS::Serverless::Function" -> "Function";
        case "AWS::Serverless::SimpleTable" -> "SimpleTable";
        case "AWS::Serverless::StateMachine" -> "StateMachine";
        default -> null;
      };
      if (globalSection != null && globals.get(globalSection) instanceof Map<?, ?> g) {
        properties = mergeGlobals(stringKeys(g), properties);
      }
      Object condition = body.get("Condition");
      out.put(id, new Resource(id, type, properties, condition == null ? null : String.valueOf(condition), path));
    }
    return out;
  }

  /** SAM's Globals rule: maps merge key by key, lists concatenate (globals first), the resource wins otherwise. */
  static Map<String, Object> mergeGlobals(Map<String, Object> global, Map<String, Object> local) {
    Map<String, Object> out = new LinkedHashMap<>(global);
    for (Map.Entry<String, Object> e : local.entrySet()) {
      out.put(e.getKey(), mergeValue(global.get(e.getKey()), e.getValue()));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object mergeValue(Object global, Object local) {
    if (global instanceof Map<?, ?> g && local instanceof Map<?, ?> l && !isIntrinsic(g) && !isIntrinsic(l)) {
      return mergeGlobals((Map<String, Object>) g, (Map<String, Object>) l);
    }
    if (global instanceof List<?> g && local instanceof List<?> l) {
      List<Object> out = new ArrayList<>(g);
      out.addAll(l);
      return out;
    }
    return local;
  }

  private static boolean isIntrinsic(Map<?, ?> map) {
    if (map.size() != 1) {
      return false;
    }
    String key = String.valueOf(map.keySet().iterator().next());
    return key.equals("Ref") || key.startsWith("Fn::");
  }

  /** The resources SAM generates that templates commonly reference: roles, event rules, DLQs, schedules. */
  private void addImplicitResources() {
    for (Resource r : List.copyOf(resources.values())) {
      if (!r.included) {
        continue;
      }
      boolean function = r.type.equals("AWS::Serverless::Function");
      boolean stateMachine = r.type.equals("AWS::Serverless::StateMachine");
      if (!function && !stateMachine) {
        continue;
      }
      if (r.properties.get("Role") == null) {
        addImplicit(r.logicalId + "Role", "AWS::IAM::Role", new LinkedHashMap<>(), r);
      }
      for (Map.Entry<String, Object> event : events(r).entrySet()) {
        Map<String, Object> body = eventBody(r, event.getKey(), event.getValue());
        String type = String.valueOf(body.get("Type"));
        Map<String, Object> props = eventProperties(r, event.getKey(), body);
        String ruleId = r.logicalId + event.getKey();
        switch (type) {
          case "EventBridgeRule", "CloudWatchEvent", "Schedule" -> {
            Map<String, Object> ruleProps = new LinkedHashMap<>();
            Object name = props.get(type.equals("Schedule") ? "Name" : "RuleName");
            if (name != null) {
              ruleProps.put("Name", name);
            }
            if (props.get("EventBusName") != null) {
              ruleProps.put("EventBusName", props.get("EventBusName"));
            }
            addImplicit(ruleId, "AWS::Events::Rule", ruleProps, r);
          }
          case "ScheduleV2" -> {
            Map<String, Object> scheduleProps = new LinkedHashMap<>();
            if (props.get("Name") != null) {
              scheduleProps.put("Name", props.get("Name"));
            }
            if (props.get("GroupName") != null) {
              scheduleProps.put("GroupName", props.get("GroupName"));
            }
            addImplicit(ruleId, "AWS::Scheduler::Schedule", scheduleProps, r);
          }
          default -> {
            continue;
          }
        }
        if (props.get("DeadLetterConfig") instanceof Map<?, ?> dlc && dlc.get("Type") != null) {
          String where = r.path + ".Properties.Events." + event.getKey() + ".Properties.DeadLetterConfig";
          if (!"SQS".equals(dlc.get("Type"))) {
            throw new TemplateException(where + ".Type: only SQS is supported (got " + dlc.get("Type") + ")");
          }
          String queueId = dlc.get("QueueLogicalId") == null ? ruleId + "Queue"
              : Intrinsics.text(dlc.get("QueueLogicalId"), where + ".QueueLogicalId");
          addImplicit(queueId, "AWS::SQS::Queue", new LinkedHashMap<>(), r);
        }
      }
    }
  }

  private void addImplicit(String logicalId, String type, Map<String, Object> properties, Resource owner) {
    if (resources.containsKey(logicalId)) {
      throw new TemplateException(owner.path + ": SAM generates a resource named " + logicalId
          + ", which the template also declares");
    }
    resources.put(logicalId, new Resource(logicalId, type, properties, null, owner.path + " (generated " + type + ")"));
  }

  private static Map<String, Object> events(Resource r) {
    Object events = r.properties.get("Events");
    if (events == null) {
      return Map.of();
    }
    if (!(events instanceof Map<?, ?> map)) {
      throw new TemplateException(r.path + ".Properties.Events: expected a mapping of event id to event");
    }
    return stringKeys(map);
  }

  private static Map<String, Object> eventBody(Resource r, String id, Object value) {
    String where = r.path + ".Properties.Events." + id;
    if (!(value instanceof Map<?, ?> map) || !(map.get("Type") instanceof String)) {
      throw new TemplateException(where + ": expected a mapping with Type and Properties");
    }
    return stringKeys(map);
  }

  private static Map<String, Object> eventProperties(Resource r, String id, Map<String, Object> body) {
    Object props = body.get("Properties");
    if (props == null) {
      return new LinkedHashMap<>();
    }
    if (!(props instanceof Map<?, ?> map)) {
      throw new TemplateException(r.path + ".Properties.Events." + id + ".Properties: expected a mapping");
    }
    return stringKeys(map);
  }

  // ------------------------------------------------------------------ typed model

  private void build() {
    for (Resource r : resources.values()) {
      if (!r.included) {
        continue;
      }
      switch (r.type) {
        case "AWS::Serverless::Function" -> functions.put(r.logicalId, function(r));
        case "AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine" ->
            stateMachines.put(r.logicalId, stateMachine(r));
        case "AWS::DynamoDB::Table" -> tables.put(r.logicalId, table(r));
        case "AWS::Serverless::SimpleTable" -> tables.put(r.logicalId, simpleTable(r));
        case "AWS::SNS::Topic" -> topics.put(r.logicalId, new TopicDef(r.logicalId, intrinsics.physicalName(r),
            intrinsics.topicArn(r), bool(r, "FifoTopic")));
        case "AWS::SQS::Queue" -> queues.put(r.logicalId, new QueueDef(r.logicalId, intrinsics.physicalName(r),
            intrinsics.queueUrl(r), intrinsics.queueArn(r), bool(r, "FifoQueue")));
        default -> {
          // Other resources (roles, alarms, dashboards, permissions, plain AWS::Lambda::Function
          // helpers, ...) are not simulated; Ref/GetAtt still resolve for the supported types.
        }
      }
    }
    for (Resource r : resources.values()) {
      if (r.included && r.type.equals("AWS::Events::Rule") && !isGenerated(r)) {
        rules.put(r.logicalId, eventsRule(r));
      }
    }
    for (FunctionDef f : functions.values()) {
      String target = f.autoPublishAlias() == null ? f.arn() : f.arn() + ":" + f.autoPublishAlias();
      samRules(resources.get(f.logicalId()), f.events(), target, "LambdaTarget");
    }
    for (StateMachineDef sm : stateMachines.values()) {
      samRules(resources.get(sm.logicalId()), sm.events(), sm.arn(), "StepFunctionsTarget");
    }
  }

  private static boolean isGenerated(Resource r) {
    return r.path.contains("(generated ");
  }

  private Object prop(Resource r, String name) {
    Object v = r.properties.get(name);
    return v == null ? null : intrinsics.resolve(v, r.path + ".Properties." + name);
  }

  private String text(Resource r, String name, String fallback) {
    Object v = prop(r, name);
    return v == null || v == Intrinsics.NO_VALUE ? fallback : Intrinsics.text(v, r.path + ".Properties." + name);
  }

  private Integer integer(Resource r, String name, Integer fallback, int min, int max) {
    Object v = prop(r, name);
    if (v == null || v == Intrinsics.NO_VALUE) {
      return fallback;
    }
    return range(Intrinsics.integer(v, r.path + ".Properties." + name), min, max, r.path + ".Properties." + name);
  }

  private static int range(int value, int min, int max, String where) {
    if (value < min || value > max) {
      throw new TemplateException(where + ": " + value + " is out of range " + min + ".." + max);
    }
    return value;
  }

  private boolean bool(Resource r, String name) {
    Object v = prop(r, name);
    return Boolean.TRUE.equals(v) || "true".equals(v);
  }

  private FunctionDef function(Resource r) {
    String where = r.path + ".Properties";
    if ("Image".equals(prop(r, "PackageType"))) {
      throw new TemplateException(where + ".PackageType: container image functions are not run by the local runtime");
    }
    String handler = text(r, "Handler", null);
    if (handler == null || handler.isBlank()) {
      throw new TemplateException(where + ".Handler: required (e.g. com.example.MyHandler::handleRequest)");
    }
    Map<String, String> environment = new LinkedHashMap<>();
    if (prop(r, "Environment") instanceof Map<?, ?> env && env.get("Variables") != null) {
      if (!(env.get("Variables") instanceof Map<?, ?> vars)) {
        throw new TemplateException(where + ".Environment.Variables: expected a mapping");
      }
      vars.forEach((k, v) -> {
        String key = String.valueOf(k);
        if (!key.matches("[a-zA-Z][a-zA-Z0-9_]*")) {
          throw new TemplateException(where + ".Environment.Variables." + key + ": invalid variable name");
        }
        if (v instanceof Map<?, ?> || v instanceof List<?> || v == null) {
          throw new TemplateException(where + ".Environment.Variables." + key + ": expected a string, got "
              + Intrinsics.describe(v));
        }
        environment.put(key, Intrinsics.text(v, where + ".Environment.Variables." + key));
      });
    }
    AsyncInvokeConfig async = AsyncInvokeConfig.DEFAULT;
    if (prop(r, "EventInvokeConfig") instanceof Map<?, ?> cfg) {
      String w = where + ".EventInvokeConfig";
      int retries = cfg.get("MaximumRetryAttempts") == null ? 2
          : range(Intrinsics.integer(cfg.get("MaximumRetryAttempts"), w + ".MaximumRetryAttempts"), 0, 2,
              w + ".MaximumRetryAttempts");
      int age = cfg.get("MaximumEventAgeInSeconds") == null ? 21600
          : range(Intrinsics.integer(cfg.get("MaximumEventAgeInSeconds"), w + ".MaximumEventAgeInSeconds"), 60, 21600,
              w + ".MaximumEventAgeInSeconds");
      String onSuccess = null;
      String onFailure = null;
      if (cfg.get("DestinationConfig") instanceof Map<?, ?> dest) {
        onSuccess = destination(dest.get("OnSuccess"), w + ".DestinationConfig.OnSuccess");
        onFailure = destination(dest.get("OnFailure"), w + ".DestinationConfig.OnFailure");
      }
      async = new AsyncInvokeConfig(retries, age, onSuccess, onFailure);
    }
    DeadLetterTarget dlq = null;
    if (prop(r, "DeadLetterQueue") instanceof Map<?, ?> d) {
      String w = where + ".DeadLetterQueue";
      String type = d.get("Type") == null ? null : Intrinsics.text(d.get("Type"), w + ".Type");
      if (!"SQS".equals(type) && !"SNS".equals(type)) {
        throw new TemplateException(w + ".Type: must be SQS or SNS (got " + type + ")");
      }
      if (d.get("TargetArn") == null) {
        throw new TemplateException(w + ".TargetArn: required");
      }
      dlq = new DeadLetterTarget(type, Intrinsics.text(d.get("TargetArn"), w + ".TargetArn"));
    }
    boolean snapStart = prop(r, "SnapStart") instanceof Map<?, ?> s && "PublishedVersions".equals(s.get("ApplyOn"));
    return new FunctionDef(r.logicalId, intrinsics.physicalName(r), intrinsics.functionArn(r), handler,
        text(r, "Runtime", null), text(r, "CodeUri", null), integer(r, "Timeout", 3, 1, 900),
        integer(r, "MemorySize", 128, 128, 10240), environment,
        integer(r, "ReservedConcurrentExecutions", null, 0, 1_000_000), intrinsics.aliasOf(r), snapStart, async, dlq,
        eventSources(r));
  }

  private static String destination(Object d, String where) {
    if (d == null) {
      return null;
    }
    if (!(d instanceof Map<?, ?> map) || map.get("Destination") == null) {
      throw new TemplateException(where + ".Destination: required");
    }
    return Intrinsics.text(map.get("Destination"), where + ".Destination");
  }

  private Map<String, EventSourceDef> eventSources(Resource r) {
    Map<String, EventSourceDef> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : events(r).entrySet()) {
      Map<String, Object> body = eventBody(r, e.getKey(), e.getValue());
      String where = r.path + ".Properties.Events." + e.getKey() + ".Properties";
      @SuppressWarnings("unchecked")
      Map<String, Object> props = (Map<String, Object>) intrinsics.resolve(eventProperties(r, e.getKey(), body), where);
      out.put(e.getKey(), new EventSourceDef(e.getKey(), String.valueOf(body.get("Type")), props));
    }
    return out;
  }

  private StateMachineDef stateMachine(Resource r) {
    String where = r.path + ".Properties";
    boolean sam = r.type.equals("AWS::Serverless::StateMachine");
    String type = text(r, sam ? "Type" : "StateMachineType", "STANDARD");
    if (!type.equals("STANDARD") && !type.equals("EXPRESS")) {
      throw new TemplateException(where + ".Type: must be STANDARD or EXPRESS (got " + type + ")");
    }
    String definitionKey = "Definition";
    String uriKey = sam ? "DefinitionUri" : "DefinitionS3Location";
    Object inline = r.properties.get(definitionKey);
    Object uri = r.properties.get(uriKey);
    Object definitionString = sam ? null : r.properties.get("DefinitionString");
    int given = (inline != null ? 1 : 0) + (uri != null ? 1 : 0) + (definitionString != null ? 1 : 0);
    if (given != 1) {
      throw new TemplateException(where + ": exactly one of " + definitionKey + " or " + uriKey
          + (sam ? "" : " or DefinitionString") + " is required");
    }
    String text;
    Path definitionFile = null;
    if (inline != null) {
      text = LocalJson.write(intrinsics.resolve(inline, where + "." + definitionKey));
    } else if (definitionString != null) {
      text = Intrinsics.text(intrinsics.resolve(definitionString, where + ".DefinitionString"),
          where + ".DefinitionString");
    } else {
      Object location = intrinsics.resolve(uri, where + "." + uriKey);
      if (!(location instanceof String relative)) {
        throw new TemplateException(where + "." + uriKey + ": an S3 location cannot be read locally; use a path "
            + "relative to the template");
      }
      definitionFile = file.getParent().resolve(relative).normalize();
      try {
        text = Files.readString(definitionFile);
      } catch (NoSuchFileException e) {
        throw new TemplateException(where + "." + uriKey + ": file not found: " + definitionFile, e);
      } catch (IOException e) {
        throw new TemplateException(where + "." + uriKey + ": cannot read " + definitionFile + ": " + e.getMessage(), e);
      }
    }
    text = substitute(text, r, where + ".DefinitionSubstitutions");
    try {
      JsonNode parsed = LocalJson.parse(text);
      if (!parsed.isObject()) {
        throw new TemplateException(where + ": the state machine definition must be a JSON object");
      }
    } catch (IllegalArgumentException e) {
      throw new TemplateException(where + ": the state machine definition"
          + (definitionFile == null ? "" : " in " + definitionFile) + " is not valid JSON after substitution: "
          + e.getMessage(), e);
    }
    String role = r.properties.get(sam ? "Role" : "RoleArn") != null ? text(r, sam ? "Role" : "RoleArn", null)
        : sam ? intrinsics.roleArn(resources.get(r.logicalId + "Role")) : null;
    return new StateMachineDef(r.logicalId, intrinsics.physicalName(r), intrinsics.stateMachineArn(r), type, text,
        definitionFile, role, sam ? eventSources(r) : Map.of());
  }

  /**
   * {@code DefinitionSubstitutions}: each {@code ${Name}} becomes the value as text. A placeholder
   * without a substitution would reach Step Functions as literal text and fail there or, worse, be
   * used as a name; the local runtime rejects it at load time (the harsher reading).
   */
  private String substitute(String definition, Resource r, String where) {
    Object raw = r.properties.get("DefinitionSubstitutions");
    Map<String, String> values = new LinkedHashMap<>();
    if (raw != null) {
      if (!(intrinsics.resolve(raw, where) instanceof Map<?, ?> map)) {
        throw new TemplateException(where + ": expected a mapping of name to value");
      }
      map.forEach((k, v) -> values.put(String.valueOf(k), Intrinsics.text(v, where + "." + k)));
    }
    Matcher m = PLACEHOLDER.matcher(definition);
    StringBuilder out = new StringBuilder();
    Set<String> missing = new TreeSet<>();
    while (m.find()) {
      String name = m.group(1);
      String value = values.get(name);
      if (value == null) {
        missing.add(name);
        m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
      } else {
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
    }
    m.appendTail(out);
    if (!missing.isEmpty()) {
      throw new TemplateException(where + ": the definition uses ${" + String.join("}, ${", missing)
          + "} but DefinitionSubstitutions has no value for " + (missing.size() == 1 ? "it" : "them"));
    }
    return out.toString();
  }

  private TableDef table(Resource r) {
    String where = r.path + ".Properties";
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Map<?, ?> a : maps(prop(r, "AttributeDefinitions"), where + ".AttributeDefinitions")) {
      String name = Intrinsics.text(a.get("AttributeName"), where + ".AttributeDefinitions.AttributeName");
      String type = Intrinsics.text(a.get("AttributeType"), where + ".AttributeDefinitions." + name + ".AttributeType");
      if (!Set.of("S", "N", "B").contains(type)) {
        throw new TemplateException(where + ".AttributeDefinitions." + name + ".AttributeType: must be S, N or B");
      }
      attributes.put(name, type);
    }
    List<KeyElement> keys = keySchema(prop(r, "KeySchema"), where + ".KeySchema", attributes);
    String billing = text(r, "BillingMode", "PROVISIONED");
    if (!billing.equals("PROVISIONED") && !billing.equals("PAY_PER_REQUEST")) {
      throw new TemplateException(where + ".BillingMode: must be PROVISIONED or PAY_PER_REQUEST (got " + billing + ")");
    }
    Throughput throughput = throughput(prop(r, "ProvisionedThroughput"), where + ".ProvisionedThroughput", billing);
    List<IndexDef> gsis = new ArrayList<>();
    for (Map<?, ?> g : maps(prop(r, "GlobalSecondaryIndexes"), where + ".GlobalSecondaryIndexes")) {
      gsis.add(index(g, where + ".GlobalSecondaryIndexes", attributes, billing, true));
    }
    List<IndexDef> lsis = new ArrayList<>();
    for (Map<?, ?> l : maps(prop(r, "LocalSecondaryIndexes"), where + ".LocalSecondaryIndexes")) {
      lsis.add(index(l, where + ".LocalSecondaryIndexes", attributes, billing, false));
    }
    String ttl = null;
    if (prop(r, "TimeToLiveSpecification") instanceof Map<?, ?> t
        && (Boolean.TRUE.equals(t.get("Enabled")) || "true".equals(t.get("Enabled")))) {
      ttl = Intrinsics.text(t.get("AttributeName"), where + ".TimeToLiveSpecification.AttributeName");
    }
    String stream = null;
    if (prop(r, "StreamSpecification") instanceof Map<?, ?> s && s.get("StreamViewType") != null) {
      stream = Intrinsics.text(s.get("StreamViewType"), where + ".StreamSpecification.StreamViewType");
    }
    return new TableDef(r.logicalId, intrinsics.physicalName(r), intrinsics.tableArn(r), keys, attributes, billing,
        throughput, gsis, lsis, ttl, stream, bool(r, "DeletionProtectionEnabled"));
  }

  private TableDef simpleTable(Resource r) {
    String where = r.path + ".Properties";
    String keyName = "id";
    String keyType = "String";
    if (prop(r, "PrimaryKey") instanceof Map<?, ?> pk) {
      keyName = pk.get("Name") == null ? keyName : Intrinsics.text(pk.get("Name"), where + ".PrimaryKey.Name");
      keyType = pk.get("Type") == null ? keyType : Intrinsics.text(pk.get("Type"), where + ".PrimaryKey.Type");
    }
    String attributeType = switch (keyType) {
      case "String" -> "S";
      case "Number" -> "N";
      case "Binary" -> "B";
      default -> throw new TemplateException(where + ".PrimaryKey.Type: must be String, Number or Binary");
    };
    Object provisioned = prop(r, "ProvisionedThroughput");
    String billing = provisioned == null ? "PAY_PER_REQUEST" : "PROVISIONED";
    return new TableDef(r.logicalId, intrinsics.physicalName(r), intrinsics.tableArn(r),
        List.of(new KeyElement(keyName, "HASH")), Map.of(keyName, attributeType), billing,
        throughput(provisioned, where + ".ProvisionedThroughput", billing), List.of(), List.of(), null, null, false);
  }

  private static List<Map<?, ?>> maps(Object v, String where) {
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw new TemplateException(where + ": expected a list");
    }
    List<Map<?, ?>> out = new ArrayList<>();
    for (Object e : list) {
      if (!(e instanceof Map<?, ?> m)) {
        throw new TemplateException(where + ": expected a list of mappings");
      }
      out.add(m);
    }
    return out;
  }

  private static List<KeyElement> keySchema(Object v, String where, Map<String, String> attributes) {
    List<KeyElement> keys = new ArrayList<>();
    for (Map<?, ?> k : maps(v, where)) {
      String name = Intrinsics.text(k.get("AttributeName"), where + ".AttributeName");
      String type = Intrinsics.text(k.get("KeyType"), where + "." + name + ".KeyType");
      if (!type.equals("HASH") && !type.equals("RANGE")) {
        throw new TemplateException(where + "." + name + ".KeyType: must be HASH or RANGE");
      }
      if (!attributes.containsKey(name)) {
        throw new TemplateException(where + "." + name + ": key attribute is missing from AttributeDefinitions");
      }
      keys.add(new KeyElement(name, type));
    }
    if (keys.isEmpty() || !keys.get(0).keyType().equals("HASH") || keys.size() > 2
        || (keys.size() == 2 && !keys.get(1).keyType().equals("RANGE"))) {
      throw new TemplateException(where + ": must be one HASH key optionally followed by one RANGE key");
    }
    return keys;
  }

  private static Throughput throughput(Object v, String where, String billing) {
    if (v == null) {
      if (billing.equals("PROVISIONED")) {
        throw new TemplateException(where + ": required when BillingMode is PROVISIONED");
      }
      return null;
    }
    if (!(v instanceof Map<?, ?> t)) {
      throw new TemplateException(where + ": expected a mapping");
    }
    if (billing.equals("PAY_PER_REQUEST")) {
      throw new TemplateException(where + ": not allowed when BillingMode is PAY_PER_REQUEST");
    }
    return new Throughput(Intrinsics.integer(t.get("ReadCapacityUnits"), where + ".ReadCapacityUnits"),
        Intrinsics.integer(t.get("WriteCapacityUnits"), where + ".WriteCapacityUnits"));
  }

  private static IndexDef index(Map<?, ?> g, String where, Map<String, String> attributes, String billing,
      boolean global) {
    String name = Intrinsics.text(g.get("IndexName"), where + ".IndexName");
    String w = where + "." + name;
    List<KeyElement> keys = keySchema(g.get("KeySchema"), w + ".KeySchema", attributes);
    String projection = "ALL";
    List<String> nonKey = List.of();
    if (g.get("Projection") instanceof Map<?, ?> p) {
      projection = p.get("ProjectionType") == null ? "ALL" : Intrinsics.text(p.get("ProjectionType"),
          w + ".Projection.ProjectionType");
      if (p.get("NonKeyAttributes") instanceof List<?> list) {
        nonKey = list.stream().map(a -> Intrinsics.text(a, w + ".Projection.NonKeyAttributes")).toList();
      }
    } else {
      throw new TemplateException(w + ".Projection: required");
    }
    Throughput t = global ? throughput(g.get("ProvisionedThroughput"), w + ".ProvisionedThroughput", billing) : null;
    return new IndexDef(name, keys, projection, nonKey, t);
  }

  // ------------------------------------------------------------------ EventBridge rules

  private static final Set<String> RULE_TARGET_KEYS = Set.of("Id", "Arn", "Input", "InputPath", "InputTransformer",
      "RetryPolicy", "DeadLetterConfig", "RoleArn");

  private RuleDef eventsRule(Resource r) {
    String where = r.path + ".Properties";
    for (String key : r.properties.keySet()) {
      if (!Set.of("Name", "Description", "EventBusName", "EventPattern", "ScheduleExpression", "State", "Targets",
          "RoleArn").contains(key)) {
        throw new TemplateException(where + "." + key + ": not supported by the local runtime for rule " + r.logicalId);
      }
    }
    Object pattern = prop(r, "EventPattern");
    String schedule = text(r, "ScheduleExpression", null);
    if ((pattern == null) == (schedule == null)) {
      throw new TemplateException(where + ": rule " + r.logicalId + " needs EventPattern or ScheduleExpression (one)");
    }
    String state = text(r, "State", "ENABLED");
    boolean enabled = switch (state) {
      case "ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" -> true;
      case "DISABLED" -> false;
      default -> throw new TemplateException(where + ".State: must be ENABLED or DISABLED (got " + state + ")");
    };
    List<Target> targets = new ArrayList<>();
    Object rawTargets = prop(r, "Targets");
    for (Map<?, ?> t : maps(rawTargets, where + ".Targets")) {
      String id = t.get("Id") == null ? null : Intrinsics.text(t.get("Id"), where + ".Targets.Id");
      String tw = where + ".Targets." + (id == null ? "?" : id);
      if (id == null) {
        throw new TemplateException(tw + ".Id: required (rule " + r.logicalId + ")");
      }
      for (Object key : t.keySet()) {
        if (!RULE_TARGET_KEYS.contains(String.valueOf(key))) {
          throw new TemplateException(tw + "." + key + ": not supported by the local runtime (rule " + r.logicalId
              + ", target " + id + "; supported: Input, InputPath, InputTransformer, RetryPolicy, DeadLetterConfig)");
        }
      }
      if (t.get("Arn") == null) {
        throw new TemplateException(tw + ".Arn: required (rule " + r.logicalId + ")");
      }
      String deadLetter = null;
      if (t.get("DeadLetterConfig") instanceof Map<?, ?> d && d.get("Arn") != null) {
        deadLetter = Intrinsics.text(d.get("Arn"), tw + ".DeadLetterConfig.Arn");
      }
      targets.add(target(id, Intrinsics.text(t.get("Arn"), tw + ".Arn"), t, deadLetter, tw, r.logicalId));
    }
    if (targets.size() > 5) {
      throw new TemplateException(where + ".Targets: rule " + r.logicalId + " has " + targets.size()
          + " targets; EventBridge allows 5 per rule");
    }
    return new RuleDef(r.logicalId, intrinsics.physicalName(r), intrinsics.ruleArn(r), busName(text(r, "EventBusName",
        "default")), pattern == null ? null : patternText(pattern, where + ".EventPattern"),
        schedule == null ? null : new Schedule(schedule, Schedule.Kind.EVENTBRIDGE_RULE, null, 0), enabled, targets,
        r.path);
  }

  private static String busName(String nameOrArn) {
    return nameOrArn.startsWith("arn:") ? nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
  }

  private static String patternText(Object pattern, String where) {
    if (pattern instanceof String s) {
      try {
        return LocalJson.write(LocalJson.parse(s));
      } catch (IllegalArgumentException e) {
        throw new TemplateException(where + ": not valid JSON: " + e.getMessage(), e);
      }
    }
    if (!(pattern instanceof Map<?, ?>)) {
      throw new TemplateException(where + ": expected a mapping (or JSON text)");
    }
    return LocalJson.write(pattern);
  }

  private static Target target(String id, String arn, Map<?, ?> t, String deadLetter, String where, String rule) {
    int forms = (t.get("Input") != null ? 1 : 0) + (t.get("InputPath") != null ? 1 : 0)
        + (t.get("InputTransformer") != null ? 1 : 0);
    if (forms > 1) {
      throw new TemplateException(where + ": rule " + rule + ": at most one of Input, InputPath, InputTransformer");
    }
    String input = null;
    if (t.get("Input") != null) {
      Object v = t.get("Input");
      input = v instanceof Map<?, ?> || v instanceof List<?> ? LocalJson.write(v) : Intrinsics.text(v, where + ".Input");
      try {
        LocalJson.parse(input);
      } catch (IllegalArgumentException e) {
        throw new TemplateException(where + ".Input: rule " + rule + ": must be valid JSON text", e);
      }
    }
    String inputPath = t.get("InputPath") == null ? null : Intrinsics.text(t.get("InputPath"), where + ".InputPath");
    InputTransformer transformer = null;
    if (t.get("InputTransformer") != null) {
      if (!(t.get("InputTransformer") instanceof Map<?, ?> it) || it.get("InputTemplate") == null) {
        throw new TemplateException(where + ".InputTransformer.InputTemplate: required (rule " + rule + ")");
      }
      for (Object key : it.keySet()) {
        if (!Set.of("InputPathsMap", "InputTemplate").contains(String.valueOf(key))) {
          throw new TemplateException(where + ".InputTransformer." + key + ": not supported (rule " + rule + ")");
        }
      }
      Map<String, String> paths = new LinkedHashMap<>();
      if (it.get("InputPathsMap") instanceof Map<?, ?> m) {
        m.forEach((k, v) -> paths.put(String.valueOf(k), Intrinsics.text(v, where + ".InputTransformer.InputPathsMap."
            + k)));
      }
      transformer = new InputTransformer(paths, Intrinsics.text(it.get("InputTemplate"),
          where + ".InputTransformer.InputTemplate"));
    }
    RetryPolicy retry = null;
    if (t.get("RetryPolicy") instanceof Map<?, ?> rp) {
      for (Object key : rp.keySet()) {
        if (!Set.of("MaximumRetryAttempts", "MaximumEventAgeInSeconds").contains(String.valueOf(key))) {
          throw new TemplateException(where + ".RetryPolicy." + key + ": not a RetryPolicy field (rule " + rule + ")");
        }
      }
      Integer attempts = rp.get("MaximumRetryAttempts") == null ? null
          : range(Intrinsics.integer(rp.get("MaximumRetryAttempts"), where + ".RetryPolicy.MaximumRetryAttempts"), 0,
              185, where + ".RetryPolicy.MaximumRetryAttempts");
      Integer age = rp.get("MaximumEventAgeInSeconds") == null ? null
          : range(Intrinsics.integer(rp.get("MaximumEventAgeInSeconds"), where + ".RetryPolicy.MaximumEventAgeInSeconds"),
              60, 86400, where + ".RetryPolicy.MaximumEventAgeInSeconds");
      retry = new RetryPolicy(attempts, age);
    }
    return new Target(id, arn, input, inputPath, transformer, retry, deadLetter);
  }

  private static final Map<String, Set<String>> SAM_EVENT_KEYS = Map.of(
      "EventBridgeRule", Set.of("Pattern", "EventBusName", "Input", "InputPath", "InputTransformer", "RetryPolicy",
          "DeadLetterConfig", "Target", "RuleName", "State"),
      "CloudWatchEvent", Set.of("Pattern", "EventBusName", "Input", "InputPath", "State", "Enabled"),
      "Schedule", Set.of("Schedule", "Input", "Name", "Description", "Enabled", "State", "RetryPolicy",
          "DeadLetterConfig", "Target", "RoleArn"),
      "ScheduleV2", Set.of("ScheduleExpression", "ScheduleExpressionTimezone", "Input", "State", "Name",
          "Description", "RetryPolicy", "DeadLetterConfig", "FlexibleTimeWindow", "GroupName", "KmsKeyArn",
          "RoleArn", "PermissionsBoundary", "OmitName"));

  /** The rules SAM generates from a function's or state machine's EventBridge and schedule events. */
  private void samRules(Resource owner, Map<String, EventSourceDef> events, String targetArn, String targetSuffix) {
    for (EventSourceDef e : events.values()) {
      Set<String> allowed = SAM_EVENT_KEYS.get(e.type());
      if (allowed == null) {
        continue;
      }
      String ruleId = owner.logicalId + e.id();
      String where = owner.path + ".Properties.Events." + e.id() + ".Properties";
      Map<String, Object> p = e.properties();
      for (String key : p.keySet()) {
        if (!allowed.contains(key)) {
          throw new TemplateException(where + "." + key + ": not supported by the local runtime for " + e.type()
              + " event " + e.id());
        }
      }
      Map<String, Object> target = new LinkedHashMap<>();
      for (String key : List.of("Input", "InputPath", "InputTransformer", "RetryPolicy")) {
        if (p.get(key) != null) {
          target.put(key, p.get(key));
        }
      }
      String targetId = ruleId + targetSuffix;
      if (p.get("Target") instanceof Map<?, ?> t && t.get("Id") != null) {
        targetId = Intrinsics.text(t.get("Id"), where + ".Target.Id");
      }
      String deadLetter = null;
      if (p.get("DeadLetterConfig") instanceof Map<?, ?> d) {
        if (d.get("Arn") != null) {
          deadLetter = Intrinsics.text(d.get("Arn"), where + ".DeadLetterConfig.Arn");
        } else {
          String queueId = d.get("QueueLogicalId") == null ? ruleId + "Queue"
              : Intrinsics.text(d.get("QueueLogicalId"), where + ".DeadLetterConfig.QueueLogicalId");
          deadLetter = queues.computeIfAbsent(queueId, id -> {
            Resource q = resources.get(id);
            return new QueueDef(id, intrinsics.physicalName(q), intrinsics.queueUrl(q), intrinsics.queueArn(q), false);
          }).arn();
        }
      }
      Target t = target(targetId, targetArn, target, deadLetter, where, ruleId);
      boolean enabled = ruleEnabled(p, where);
      Resource ruleResource = resources.get(ruleId);
      RuleDef rule = switch (e.type()) {
        case "EventBridgeRule", "CloudWatchEvent" -> {
          if (p.get("Pattern") == null) {
            throw new TemplateException(where + ".Pattern: required for " + e.type() + " event " + e.id());
          }
          yield new RuleDef(ruleId, intrinsics.physicalName(ruleResource), intrinsics.ruleArn(ruleResource),
              busName(p.get("EventBusName") == null ? "default" : Intrinsics.text(p.get("EventBusName"),
                  where + ".EventBusName")), patternText(p.get("Pattern"), where + ".Pattern"), null, enabled,
              List.of(t), where);
        }
        case "Schedule" -> {
          if (p.get("Schedule") == null) {
            throw new TemplateException(where + ".Schedule: required for Schedule event " + e.id());
          }
          yield new RuleDef(ruleId, intrinsics.physicalName(ruleResource), intrinsics.ruleArn(ruleResource), "default",
              null, new Schedule(Intrinsics.text(p.get("Schedule"), where + ".Schedule"),
                  Schedule.Kind.EVENTBRIDGE_RULE, null, 0), enabled, List.of(t), where);
        }
        default -> {
          if (p.get("ScheduleExpression") == null) {
            throw new TemplateException(where + ".ScheduleExpression: required for ScheduleV2 event " + e.id());
          }
          int window = 0;
          if (p.get("FlexibleTimeWindow") instanceof Map<?, ?> f && "FLEXIBLE".equals(f.get("Mode"))) {
            window = range(Intrinsics.integer(f.get("MaximumWindowInMinutes"),
                where + ".FlexibleTimeWindow.MaximumWindowInMinutes"), 1, 1440,
                where + ".FlexibleTimeWindow.MaximumWindowInMinutes");
          }
          String zone = p.get("ScheduleExpressionTimezone") == null ? null
              : Intrinsics.text(p.get("ScheduleExpressionTimezone"), where + ".ScheduleExpressionTimezone");
          yield new RuleDef(ruleId, intrinsics.physicalName(ruleResource), intrinsics.getAtt(ruleId, "Arn", where)
              .toString(), "default", null, new Schedule(Intrinsics.text(p.get("ScheduleExpression"),
                  where + ".ScheduleExpression"), Schedule.Kind.SCHEDULER, zone, window), enabled, List.of(t), where);
        }
      };
      rules.put(ruleId, rule);
    }
  }

  private static boolean ruleEnabled(Map<String, Object> p, String where) {
    if (p.get("State") != null) {
      String state = Intrinsics.text(p.get("State"), where + ".State");
      return switch (state.toUpperCase(Locale.ROOT)) {
        case "ENABLED" -> true;
        case "DISABLED" -> false;
        default -> throw new TemplateException(where + ".State: must be ENABLED or DISABLED (got " + state + ")");
      };
    }
    Object enabled = p.get("Enabled");
    return enabled == null || Boolean.TRUE.equals(enabled) || "true".equals(enabled);
  }
}
