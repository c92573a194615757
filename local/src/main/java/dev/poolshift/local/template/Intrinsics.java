package dev.poolshift.local.template;

import dev.poolshift.local.aws.AwsContext;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Evaluates CloudFormation intrinsic functions and {@code Ref}/{@code Fn::GetAtt} against the
 * deterministic physical names the local runtime gives each resource (see {@link SamTemplate}).
 * Every error names the place in the template it comes from.
 */
final class Intrinsics {
  /** The value of {@code AWS::NoValue}: removes the property or list element that holds it. */
  static final Object NO_VALUE = new Object() {
    @Override
    public String toString() {
      return "AWS::NoValue";
    }
  };

  private final TemplateOptions options;
  private final Map<String, Object> parameters;
  private final Map<String, Object> conditionDefinitions;
  private final Map<String, Boolean> conditionValues = new HashMap<>();
  private final Set<String> conditionsInProgress = new HashSet<>();
  private final Map<String, Object> mappings;
  private final Map<String, Resource> resources;
  private final Map<String, String> physicalNames = new HashMap<>();
  private final Set<String> namesInProgress = new HashSet<>();

  Intrinsics(TemplateOptions options, Map<String, Object> parameters, Map<String, Object> conditions,
      Map<String, Object> mappings, Map<String, Resource> resources) {
    this.options = options;
    this.parameters = parameters;
    this.conditionDefinitions = conditions;
    this.mappings = mappings;
    this.resources = resources;
  }

  AwsContext aws() {
    return options.aws();
  }

  // ------------------------------------------------------------------ resolution

  /** Resolves every intrinsic function in {@code node}; {@link #NO_VALUE} members disappear. */
  Object resolve(Object node, String path) {
    if (node instanceof Map<?, ?> map) {
      if (map.size() == 1) {
        String key = String.valueOf(map.keySet().iterator().next());
        if (key.equals("Ref") || key.startsWith("Fn::")) {
          return function(key, map.values().iterator().next(), path);
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        Object value = resolve(e.getValue(), path + "." + key);
        if (value != NO_VALUE) {
          out.put(key, value);
        }
      }
      return out;
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        Object value = resolve(list.get(i), path + "[" + i + "]");
        if (value != NO_VALUE) {
          out.add(value);
        }
      }
      return out;
    }
    return node;
  }

  private Object function(String name, Object arg, String path) {
    String where = path + " (" + name + ")";
    return switch (name) {
      case "Ref" -> ref(text(resolve(arg, path), where), where);
      case "Fn::GetAtt" -> getAtt(arg, where);
      case "Fn::Sub" -> sub(arg, where);
      case "Fn::Join" -> join(arg, where);
      case "Fn::Select" -> select(arg, where);
      case "Fn::Split" -> split(arg, where);
      case "Fn::If" -> ifFunction(arg, where);
      case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or" -> conditionFunction(name, arg, where);
      case "Fn::FindInMap" -> findInMap(arg, where);
      case "Fn::Base64" -> Base64.getEncoder().encodeToString(
          text(resolve(arg, path), where).getBytes(StandardCharsets.UTF_8));
      case "Fn::GetAZs" -> getAzs(arg, where);
      case "Fn::ImportValue" -> throw new TemplateException(where + ": Fn::ImportValue is not supported: the local "
          + "runtime runs this one stack, so no other stack exports values; pass the value as a parameter instead");
      default -> throw new TemplateException(where + ": intrinsic function " + name
          + " is not supported by the local runtime");
    };
  }

  // ------------------------------------------------------------------ Ref and GetAtt

  /** The value of {@code Ref name}: a parameter, a pseudo parameter or a resource. */
  Object ref(String name, String where) {
    switch (name) {
      case "AWS::Region":
        return aws().region();
      case "AWS::AccountId":
        return aws().accountId();
      case "AWS::Partition":
        return aws().partition();
      case "AWS::StackName":
        return options.stackName();
      case "AWS::StackId":
        return "arn:" + aws().partition() + ":cloudformation:" + aws().region() + ":" + aws().accountId()
            + ":stack/" + options.stackName() + "/00000000-0000-4000-8000-000000000000";
      case "AWS::URLSuffix":
        return aws().partition().equals("aws-cn") ? "amazonaws.com.cn" : "amazonaws.com";
      case "AWS::NoValue":
        return NO_VALUE;
      case "AWS::NotificationARNs":
        return List.of();
      default:
        break;
    }
    if (name.startsWith("AWS::")) {
      throw new TemplateException(where + ": unknown pseudo parameter " + name);
    }
    if (parameters.containsKey(name)) {
      return parameters.get(name);
    }
    int dot = name.indexOf('.');
    if (dot > 0) {
      // SAM: !Ref MyFunction.Alias / MyFunction.Version for functions with AutoPublishAlias.
      Resource fn = resources.get(name.substring(0, dot));
      String suffix = name.substring(dot + 1);
      if (fn != null && fn.type.equals("AWS::Serverless::Function") && (suffix.equals("Alias") || suffix.equals("Version"))) {
        String alias = aliasOf(fn);
        if (alias == null) {
          throw new TemplateException(where + ": Ref " + name + ": function " + fn.logicalId
              + " has no AutoPublishAlias, so SAM creates no " + suffix);
        }
        return functionArn(fn) + ":" + (suffix.equals("Alias") ? alias : "1");
      }
    }
    Resource r = resource(name, where, "Ref " + name);
    return switch (r.type) {
      case "AWS::Serverless::Function", "AWS::Lambda::Function", "AWS::DynamoDB::Table",
          "AWS::Serverless::SimpleTable", "AWS::Events::Rule", "AWS::Events::EventBus", "AWS::IAM::Role",
          "AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard", "AWS::SSM::Parameter", "AWS::Logs::LogGroup",
          "AWS::Scheduler::Schedule", "AWS::Scheduler::ScheduleGroup" -> physicalName(r);
      case "AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine" -> stateMachineArn(r);
      case "AWS::SNS::Topic" -> topicArn(r);
      case "AWS::SQS::Queue" -> queueUrl(r);
      case "AWS::IAM::ManagedPolicy" -> "arn:" + aws().partition() + ":iam::" + aws().accountId() + ":policy/"
          + physicalName(r);
      default -> throw new TemplateException(where + ": Ref " + name + ": resource type " + r.type
          + " is not supported by the local runtime");
    };
  }

  private Object getAtt(Object arg, String where) {
    Object resolved = arg instanceof List<?> ? resolve(arg, where) : arg;
    String logicalId;
    String attribute;
    if (resolved instanceof List<?> list && list.size() == 2) {
      logicalId = text(list.get(0), where);
      attribute = text(list.get(1), where);
    } else if (resolved instanceof String s && s.indexOf('.') > 0) {
      logicalId = s.substring(0, s.indexOf('.'));
      attribute = s.substring(s.indexOf('.') + 1);
    } else {
      throw new TemplateException(where + ": Fn::GetAtt needs [LogicalId, Attribute] or \"LogicalId.Attribute\"");
    }
    return getAtt(logicalId, attribute, where);
  }

  /** The value of {@code Fn::GetAtt logicalId.attribute}. */
  Object getAtt(String logicalId, String attribute, String where) {
    String what = "Fn::GetAtt " + logicalId + "." + attribute;
    Resource r = resource(logicalId, where, what);
    Map<String, java.util.function.Supplier<Object>> attributes = attributes(r);
    if (attributes == null) {
      throw new TemplateException(where + ": " + what + ": resource type " + r.type
          + " is not supported by the local runtime");
    }
    var supplier = attributes.get(attribute);
    if (supplier == null) {
      throw new TemplateException(where + ": " + what + ": " + r.type + " " + logicalId + " has no attribute '"
          + attribute + "' (supported: " + String.join(", ", new TreeSet<>(attributes.keySet())) + ")");
    }
    return supplier.get();
  }

  private Map<String, java.util.function.Supplier<Object>> attributes(Resource r) {
    Map<String, java.util.function.Supplier<Object>> a = new LinkedHashMap<>();
    switch (r.type) {
      case "AWS::Serverless::Function", "AWS::Lambda::Function" -> a.put("Arn", () -> functionArn(r));
      case "AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine" -> {
        a.put("Arn", () -> stateMachineArn(r));
        a.put("Name", () -> physicalName(r));
        a.put("StateMachineName", () -> physicalName(r));
      }
      case "AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable" -> {
        a.put("Arn", () -> tableArn(r));
        if (r.properties.get("StreamSpecification") != null) {
          // A stable stand-in for the stream label CloudFormation derives from the creation time.
          a.put("StreamArn", () -> tableArn(r) + "/stream/1970-01-01T00:00:00.000");
        }
      }
      case "AWS::SNS::Topic" -> {
        a.put("TopicArn", () -> topicArn(r));
        a.put("TopicName", () -> physicalName(r));
      }
      case "AWS::SQS::Queue" -> {
        a.put("Arn", () -> queueArn(r));
        a.put("QueueName", () -> physicalName(r));
        a.put("QueueUrl", () -> queueUrl(r));
      }
      case "AWS::Events::Rule" -> a.put("Arn", () -> ruleArn(r));
      case "AWS::Events::EventBus" -> {
        a.put("Arn", () -> aws().arn("events", "event-bus/" + physicalName(r)));
        a.put("Name", () -> physicalName(r));
      }
      case "AWS::IAM::Role" -> {
        a.put("Arn", () -> roleArn(r));
        a.put("RoleId", () -> "AROA" + Integer.toHexString(r.logicalId.hashCode()).toUpperCase(java.util.Locale.ROOT));
      }
      case "AWS::CloudWatch::Alarm" -> a.put("Arn", () -> aws().arn("cloudwatch", "alarm:" + physicalName(r)));
      case "AWS::SSM::Parameter" -> {
        a.put("Type", () -> resolveText(r, "Type", "String"));
        a.put("Value", () -> resolveText(r, "Value", ""));
      }
      case "AWS::Logs::LogGroup" -> a.put("Arn", () -> aws().arn("logs", "log-group:" + physicalName(r) + ":*"));
      case "AWS::Scheduler::Schedule" -> a.put("Arn", () -> aws().arn("scheduler", "schedule/"
          + resolveText(r, "GroupName", "default") + "/" + physicalName(r)));
      default -> {
        return null;
      }
    }
    return a;
  }

  private String resolveText(Resource r, String property, String fallback) {
    Object v = r.properties.get(property);
    return v == null ? fallback : text(resolve(v, r.path + ".Properties." + property), r.path + ".Properties." + property);
  }

  private Resource resource(String logicalId, String where, String what) {
    Resource r = resources.get(logicalId);
    if (r == null) {
      throw new TemplateException(where + ": " + what + ": no resource or parameter named '" + logicalId + "'");
    }
    if (!r.included) {
      throw new TemplateException(where + ": " + what + ": resource " + logicalId + " is not created because its "
          + "condition " + r.condition + " is false");
    }
    return r;
  }

  // ------------------------------------------------------------------ physical names

  /**
   * The resource's name: its name property if the template sets one, else {@code <stack>-<LogicalId>}.
   * CloudFormation appends a random suffix to generated names; the local runtime does not, so names
   * are the same on every run.
   */
  String physicalName(Resource r) {
    String cached = physicalNames.get(r.logicalId);
    if (cached != null) {
      return cached;
    }
    if (!namesInProgress.add(r.logicalId)) {
      throw new TemplateException(r.path + ": the name of " + r.logicalId + " depends on itself");
    }
    try {
      String property = nameProperty(r.type);
      Object value = property == null ? null : r.properties.get(property);
      String name;
      if (value != null) {
        name = text(resolve(value, r.path + ".Properties." + property), r.path + ".Properties." + property);
      } else {
        name = options.stackName() + "-" + r.logicalId;
        if (r.type.equals("AWS::SQS::Queue") && truthy(r.properties.get("FifoQueue"))) {
          name += ".fifo";
        }
        if (r.type.equals("AWS::SNS::Topic") && truthy(r.properties.get("FifoTopic"))) {
          name += ".fifo";
        }
      }
      physicalNames.put(r.logicalId, name);
      return name;
    } finally {
      namesInProgress.remove(r.logicalId);
    }
  }

  private static boolean truthy(Object v) {
    return Boolean.TRUE.equals(v) || "true".equals(v);
  }

  private static String nameProperty(String type) {
    return switch (type) {
      case "AWS::Serverless::Function", "AWS::Lambda::Function" -> "FunctionName";
      case "AWS::Serverless::StateMachine" -> "Name";
      case "AWS::StepFunctions::StateMachine" -> "StateMachineName";
      case "AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable" -> "TableName";
      case "AWS::SNS::Topic" -> "TopicName";
      case "AWS::SQS::Queue" -> "QueueName";
      case "AWS::Events::Rule", "AWS::Events::EventBus", "AWS::SSM::Parameter", "AWS::Scheduler::Schedule",
          "AWS::Scheduler::ScheduleGroup" -> "Name";
      case "AWS::IAM::Role" -> "RoleName";
      case "AWS::IAM::ManagedPolicy" -> "ManagedPolicyName";
      case "AWS::CloudWatch::Alarm" -> "AlarmName";
      case "AWS::CloudWatch::Dashboard" -> "DashboardName";
      case "AWS::Logs::LogGroup" -> "LogGroupName";
      default -> null;
    };
  }

  String functionArn(Resource r) {
    return aws().arn("lambda", "function:" + physicalName(r));
  }

  String aliasOf(Resource function) {
    Object alias = function.properties.get("AutoPublishAlias");
    return alias == null ? null : text(resolve(alias, function.path + ".Properties.AutoPublishAlias"),
        function.path + ".Properties.AutoPublishAlias");
  }

  String stateMachineArn(Resource r) {
    return aws().arn("states", "stateMachine:" + physicalName(r));
  }

  String tableArn(Resource r) {
    return aws().arn("dynamodb", "table/" + physicalName(r));
  }

  String topicArn(Resource r) {
    return aws().arn("sns", physicalName(r));
  }

  String queueArn(Resource r) {
    return aws().arn("sqs", physicalName(r));
  }

  String queueUrl(Resource r) {
    String suffix = aws().partition().equals("aws-cn") ? "amazonaws.com.cn" : "amazonaws.com";
    return "https://sqs." + aws().region() + "." + suffix + "/" + aws().accountId() + "/" + physicalName(r);
  }

  String ruleArn(Resource r) {
    Object bus = r.properties.get("EventBusName");
    String busName = bus == null ? "default" : text(resolve(bus, r.path + ".Properties.EventBusName"), r.path);
    if (busName.startsWith("arn:")) {
      busName = busName.substring(busName.lastIndexOf('/') + 1);
    }
    return aws().arn("events", "rule/" + (busName.equals("default") ? "" : busName + "/") + physicalName(r));
  }

  String roleArn(Resource r) {
    Object path = r.properties.get("Path");
    String p = path == null ? "/" : text(resolve(path, r.path + ".Properties.Path"), r.path + ".Properties.Path");
    return "arn:" + aws().partition() + ":iam::" + aws().accountId() + ":role" + p + physicalName(r);
  }

  // ------------------------------------------------------------------ Fn::Sub and friends

  private String sub(Object arg, String where) {
    String template;
    Map<String, Object> variables = new HashMap<>();
    if (arg instanceof String s) {
      template = s;
    } else if (arg instanceof List<?> list && list.size() == 2 && list.get(0) instanceof String s
        && list.get(1) instanceof Map<?, ?> vars) {
      template = s;
      for (Map.Entry<?, ?> e : vars.entrySet()) {
        variables.put(String.valueOf(e.getKey()), resolve(e.getValue(), where + "." + e.getKey()));
      }
    } else {
      throw new TemplateException(where + ": Fn::Sub needs a string or [string, {variables}]");
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int start = template.indexOf("${", i);
      if (start < 0) {
        out.append(template, i, template.length());
        break;
      }
      out.append(template, i, start);
      int end = template.indexOf('}', start);
      if (end < 0) {
        throw new TemplateException(where + ": Fn::Sub: unclosed ${ in '" + template + "'");
      }
      String name = template.substring(start + 2, end);
      if (name.startsWith("!")) {
        out.append("${").append(name.substring(1)).append('}');
      } else {
        Object value;
        if (variables.containsKey(name)) {
          value = variables.get(name);
        } else if (!name.startsWith("AWS::") && name.indexOf('.') > 0 && !parameters.containsKey(name)
            && !isSamFunctionSuffix(name)) {
          value = getAtt(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1), where);
        } else {
          value = ref(name.strip(), where);
        }
        out.append(text(value, where + " ${" + name + "}"));
      }
      i = end + 1;
    }
    return out.toString();
  }

  private boolean isSamFunctionSuffix(String name) {
    int dot = name.indexOf('.');
    Resource r = resources.get(name.substring(0, dot));
    String suffix = name.substring(dot + 1);
    return r != null && r.type.equals("AWS::Serverless::Function") && (suffix.equals("Alias") || suffix.equals("Version"));
  }

  private String join(Object arg, String where) {
    List<?> args = list(resolve(arg, where), 2, where, "Fn::Join needs [delimiter, [values]]");
    String delimiter = text(args.get(0), where);
    if (!(args.get(1) instanceof List<?> values)) {
      throw new TemplateException(where + ": Fn::Join: the second argument must be a list");
    }
    List<String> parts = new ArrayList<>();
    for (Object v : values) {
      parts.add(text(v, where));
    }
    return String.join(delimiter, parts);
  }

  private Object select(Object arg, String where) {
    List<?> args = list(resolve(arg, where), 2, where, "Fn::Select needs [index, [values]]");
    int index = integer(args.get(0), where + " index");
    if (!(args.get(1) instanceof List<?> values)) {
      throw new TemplateException(where + ": Fn::Select: the second argument must be a list");
    }
    if (index < 0 || index >= values.size()) {
      throw new TemplateException(where + ": Fn::Select: index " + index + " is out of range for a list of "
          + values.size());
    }
    return values.get(index);
  }

  private List<String> split(Object arg, String where) {
    List<?> args = list(resolve(arg, where), 2, where, "Fn::Split needs [delimiter, string]");
    String delimiter = text(args.get(0), where);
    String source = text(args.get(1), where);
    if (delimiter.isEmpty()) {
      throw new TemplateException(where + ": Fn::Split: the delimiter must not be empty");
    }
    List<String> out = new ArrayList<>();
    int from = 0;
    while (true) {
      int at = source.indexOf(delimiter, from);
      if (at < 0) {
        out.add(source.substring(from));
        return out;
      }
      out.add(source.substring(from, at));
      from = at + delimiter.length();
    }
  }

  private Object ifFunction(Object arg, String where) {
    if (!(arg instanceof List<?> args) || args.size() != 3 || !(args.get(0) instanceof String condition)) {
      throw new TemplateException(where + ": Fn::If needs [ConditionName, valueIfTrue, valueIfFalse]");
    }
    return condition(condition, where) ? resolve(args.get(1), where + "[1]") : resolve(args.get(2), where + "[2]");
  }

  private Object findInMap(Object arg, String where) {
    List<?> args = list(resolve(arg, where), 3, where, "Fn::FindInMap needs [MapName, TopLevelKey, SecondLevelKey]");
    String mapName = text(args.get(0), where);
    String top = text(args.get(1), where);
    String second = text(args.get(2), where);
    if (!(mappings.get(mapName) instanceof Map<?, ?> map)) {
      throw new TemplateException(where + ": Fn::FindInMap: no mapping named '" + mapName + "'");
    }
    if (!(map.get(top) instanceof Map<?, ?> level)) {
      throw new TemplateException(where + ": Fn::FindInMap: mapping " + mapName + " has no key '" + top + "'");
    }
    if (!level.containsKey(second)) {
      throw new TemplateException(where + ": Fn::FindInMap: mapping " + mapName + "." + top + " has no key '"
          + second + "'");
    }
    return level.get(second);
  }

  private List<String> getAzs(Object arg, String where) {
    String region = text(resolve(arg, where), where);
    if (region.isEmpty()) {
      region = aws().region();
    }
    return List.of(region + "a", region + "b", region + "c");
  }

  // ------------------------------------------------------------------ conditions

  /** The value of the named condition from the {@code Conditions} section. */
  boolean condition(String name, String where) {
    Boolean known = conditionValues.get(name);
    if (known != null) {
      return known;
    }
    if (!conditionDefinitions.containsKey(name)) {
      throw new TemplateException(where + ": no condition named '" + name + "'");
    }
    if (!conditionsInProgress.add(name)) {
      throw new TemplateException("Conditions." + name + ": the condition depends on itself");
    }
    try {
      boolean value = conditionValue(conditionDefinitions.get(name), "Conditions." + name);
      conditionValues.put(name, value);
      return value;
    } finally {
      conditionsInProgress.remove(name);
    }
  }

  private boolean conditionValue(Object node, String where) {
    if (node instanceof Map<?, ?> map && map.size() == 1) {
      String key = String.valueOf(map.keySet().iterator().next());
      Object arg = map.values().iterator().next();
      if (key.equals("Condition")) {
        return condition(text(arg, where), where);
      }
      if (key.equals("Fn::Equals") || key.equals("Fn::Not") || key.equals("Fn::And") || key.equals("Fn::Or")) {
        return conditionFunction(key, arg, where + " (" + key + ")");
      }
    }
    Object value = resolve(node, where);
    if (value instanceof Boolean b) {
      return b;
    }
    if ("true".equals(value) || "false".equals(value)) {
      return Boolean.parseBoolean((String) value);
    }
    throw new TemplateException(where + ": expected a condition (Fn::Equals, Fn::Not, Fn::And, Fn::Or or "
        + "Condition), got " + describe(node));
  }

  private boolean conditionFunction(String name, Object arg, String where) {
    if (!(arg instanceof List<?> args)) {
      throw new TemplateException(where + ": " + name + " needs a list");
    }
    switch (name) {
      case "Fn::Equals" -> {
        if (args.size() != 2) {
          throw new TemplateException(where + ": Fn::Equals needs exactly two values");
        }
        return comparable(resolve(args.get(0), where + "[0]")).equals(comparable(resolve(args.get(1), where + "[1]")));
      }
      case "Fn::Not" -> {
        if (args.size() != 1) {
          throw new TemplateException(where + ": Fn::Not needs exactly one condition");
        }
        return !conditionValue(args.get(0), where + "[0]");
      }
      case "Fn::And", "Fn::Or" -> {
        if (args.size() < 2 || args.size() > 10) {
          throw new TemplateException(where + ": " + name + " needs 2 to 10 conditions");
        }
        boolean and = name.equals("Fn::And");
        boolean result = and;
        for (int i = 0; i < args.size(); i++) {
          boolean v = conditionValue(args.get(i), where + "[" + i + "]");
          result = and ? result && v : result || v;
        }
        return result;
      }
      default -> throw new IllegalStateException(name);
    }
  }

  private static Object comparable(Object v) {
    if (v instanceof List<?> list) {
      return list.stream().map(Intrinsics::comparable).toList();
    }
    if (v instanceof Number || v instanceof Boolean) {
      return scalarText(v);
    }
    return v;
  }

  // ------------------------------------------------------------------ value helpers

  /** A scalar as CloudFormation turns it into text: numbers and booleans as written. */
  static String text(Object v, String where) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Number || v instanceof Boolean) {
      return scalarText(v);
    }
    throw new TemplateException(where + ": expected a string, got " + describe(v));
  }

  private static String scalarText(Object v) {
    if (v instanceof Double || v instanceof Float) {
      return new BigDecimal(v.toString()).stripTrailingZeros().toPlainString();
    }
    return String.valueOf(v);
  }

  static int integer(Object v, String where) {
    if (v instanceof Integer i) {
      return i;
    }
    if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
      return l.intValue();
    }
    if (v instanceof String s) {
      try {
        return Integer.parseInt(s.strip());
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new TemplateException(where + ": expected an integer, got " + describe(v));
  }

  private static List<?> list(Object v, int size, String where, String message) {
    if (v instanceof List<?> list && list.size() == size) {
      return list;
    }
    throw new TemplateException(where + ": " + message);
  }

  static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    if (v == NO_VALUE) {
      return "AWS::NoValue";
    }
    if (v instanceof Map<?, ?>) {
      return "a map " + v;
    }
    if (v instanceof List<?>) {
      return "a list " + v;
    }
    return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " '" + v + "'";
  }

  /** One resource of the template (declared, or generated by SAM), with its merged properties. */
  static final class Resource {
    final String logicalId;
    final String type;
    final Map<String, Object> properties;
    final String condition;
    final String path;
    boolean included = true;

    Resource(String logicalId, String type, Map<String, Object> properties, String condition, String path) {
      this.logicalId = logicalId;
      this.type = type;
      this.properties = properties;
      this.condition = condition;
      this.path = path;
    }
  }
}
