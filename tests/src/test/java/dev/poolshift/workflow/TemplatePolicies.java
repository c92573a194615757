package dev.poolshift.workflow;

import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.ManagedTag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The IAM statements {@code template.yaml} gives each function, read as written (short-form
 * intrinsics become {@code "Ref:X"}, {@code "GetAtt:X.Y"}, {@code "Sub:..."} strings), for the
 * policy checks an IAM policy simulator would otherwise make in a real account.
 */
final class TemplatePolicies {
  /** SageMaker actions that change something. */
  static final Pattern MUTATING = Pattern.compile("(Create|Update|Delete|Add|Put|Start|Stop|Register|Deregister)");

  private TemplatePolicies() {}

  static Map<String, Object> template() {
    try {
      return new Yaml(new Intrinsics()).load(Files.readString(Path.of("template.yaml")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every function's inline policy statements, by logical id. */
  static Map<String, List<Map<String, Object>>> statementsByFunction() {
    Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
    map(template().get("Resources")).forEach((id, r) -> {
      Map<String, Object> resource = map(r);
      if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
        return;
      }
      List<Map<String, Object>> statements = new ArrayList<>();
      Object policies = map(resource.get("Properties")).get("Policies");
      if (policies instanceof List<?> list) {
        for (Object p : list) {
          Object st = p instanceof Map<?, ?> m ? m.get("Statement") : null;
          if (st instanceof List<?> sts) {
            sts.forEach(x -> statements.add(map(x)));
          } else if (p != null) {
            throw new AssertionError(id + ": policy " + p + " is not an inline statement list; check it by hand");
          }
        }
      }
      out.put(id, statements);
    });
    return out;
  }

  static List<String> actions(Map<String, Object> statement) {
    return strings(statement.get("Action"));
  }

  static List<String> resources(Map<String, Object> statement) {
    return strings(statement.get("Resource"));
  }

  static List<String> functionsAllowed(Map<String, List<Map<String, Object>>> byFunction, String action) {
    return byFunction.entrySet().stream()
        .filter(e -> e.getValue().stream().anyMatch(st -> allows(st, action)))
        .map(Map.Entry::getKey).toList();
  }

  static List<Map<String, Object>> statementsAllowing(Map<String, List<Map<String, Object>>> byFunction, String action) {
    return byFunction.values().stream().flatMap(List::stream).filter(st -> allows(st, action)).toList();
  }

  static List<String> resourcesOfType(Map<String, Object> template, String type) {
    return map(template.get("Resources")).entrySet().stream()
        .filter(e -> type.equals(map(e.getValue()).get("Type"))).map(Map.Entry::getKey).toList();
  }

  static Map<String, Object> events(Map<String, Object> template, String function) {
    Object events = map(map(map(template.get("Resources")).get(function)).get("Properties")).get("Events");
    return events == null ? Map.of() : map(events);
  }

  /** An endpoint ARN as the template's {@code !Sub} resources would name it in the local account. */
  static final String SAMPLE_ENDPOINT_ARN = "arn:aws:sagemaker:us-east-1:111122223333:endpoint/fraud-scoring-prod";
  /** A model and a config someone else made, in the same account. */
  static final String SAMPLE_MODEL_ARN = "arn:aws:sagemaker:us-east-1:111122223333:model/someone-elses-model";
  static final String SAMPLE_CONFIG_ARN =
      "arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/someone-elses-config";
  /**
   * An alarm Poolshift did not create: the default managed prefix inside its name, not at the
   * start, so {@code alarm:*poolshift-*} counts as loose as {@code alarm:*}.
   */
  static final String SAMPLE_FOREIGN_ALARM_ARN = "arn:aws:cloudwatch:us-east-1:111122223333:alarm:team-poolshift-latency";
  /** The tag every model and config a rollout creates carries; the deletes are allowed on it. */
  static final String DEPLOYMENT_TAG = EndpointConfigSpec.DEPLOYMENT_TAG;
  /** The Create calls that may tag: SageMaker authorizes sagemaker:AddTags for their Tags too. */
  static final Set<String> TAGGING_CREATES = Set.of("CreateModel", "CreateEndpointConfig");
  private static final Map<String, String> CREATE_TARGETS = Map.of(
      "sagemaker:CreateModel", SAMPLE_MODEL_ARN, "sagemaker:CreateEndpointConfig", SAMPLE_CONFIG_ARN);
  private static final Map<String, String> DELETE_TARGETS = Map.of(
      "sagemaker:DeleteModel", SAMPLE_MODEL_ARN, "sagemaker:DeleteEndpointConfig", SAMPLE_CONFIG_ARN);

  /**
   * Every way these statements could allow {@code action} on an endpoint without the managed-tag
   * condition ({@code StringEquals aws:ResourceTag/poolshift:managed = "true"}), one line each;
   * empty when there is none.
   */
  static List<String> ungatedEndpointGrants(String function, List<Map<String, Object>> statements, String action) {
    return endpointGrants(statements, action).stream().filter(st -> !managedTagCondition(st.get("Condition")))
        .map(st -> function + ": " + action + " on an endpoint without the managed-tag condition: " + st).toList();
  }

  /**
   * The Allow statements that could grant {@code action} on an endpoint, matched the way IAM
   * matches (wildcards; actions case-insensitively), so {@code sagemaker:Update*} or
   * {@code Resource: "*"} counts. A resource it cannot resolve ({@code !Ref}, {@code !GetAtt}),
   * a {@code NotAction} or a {@code NotResource} counts too: it could name an endpoint.
   */
  static List<Map<String, Object>> endpointGrants(List<Map<String, Object>> statements, String action) {
    return grants(statements, action, SAMPLE_ENDPOINT_ARN);
  }

  /**
   * The Allow statements that could grant {@code action} on {@code sampleArn}, matched as
   * {@link #endpointGrants} matches; a {@code ${Parameter}} in a resource takes the template
   * parameter's default (its AllowedPattern is checked on its own).
   */
  static List<Map<String, Object>> grants(List<Map<String, Object>> statements, String action, String sampleArn) {
    List<Map<String, Object>> found = new ArrayList<>();
    for (Map<String, Object> st : statements) {
      if ("Deny".equals(st.get("Effect"))) {
        continue;
      }
      if (st.containsKey("NotAction") || st.containsKey("NotResource")) {
        found.add(st);
        continue;
      }
      boolean grants = actions(st).stream().anyMatch(a -> glob(a, true).matcher(action).matches());
      if (grants && resources(st).stream().anyMatch(r -> mayName(r, sampleArn))) {
        found.add(st);
      }
    }
    return found;
  }

  private static boolean mayName(String resource, String sampleArn) {
    if (!resource.startsWith("Sub:") && !resource.startsWith("arn:") && !resource.equals("*")) {
      return true;
    }
    String arn = resource.replaceFirst("^Sub:", "").replace("${AWS::Partition}", "aws")
        .replace("${AWS::Region}", "us-east-1").replace("${AWS::AccountId}", "111122223333");
    for (Map.Entry<String, String> p : Defaults.PARAMETERS.entrySet()) {
      arn = arn.replace("${" + p.getKey() + "}", p.getValue());
    }
    return arn.contains("${") || glob(arn, false).matcher(sampleArn).matches();
  }

  /**
   * Every way these statements could delete a model or config Poolshift did not create: a grant of
   * DeleteModel / DeleteEndpointConfig that could name someone else's without the deployment-tag
   * condition ({@code StringLike aws:ResourceTag/poolshift:deployment = "?*"}). Empty when none.
   */
  static List<String> untaggedDeletes(String function, List<Map<String, Object>> statements) {
    List<String> out = new ArrayList<>();
    DELETE_TARGETS.forEach((action, sample) -> grants(statements, action, sample).stream()
        .filter(st -> !deploymentTagCondition(st.get("Condition"), "aws:ResourceTag/"))
        .forEach(st -> out.add(function + ": " + action + " without the " + DEPLOYMENT_TAG
            + " resource-tag condition: " + st)));
    return out;
  }

  /**
   * Every way these statements could create a model or config without the deployment tag the
   * deletes rely on: a CreateModel / CreateEndpointConfig grant lacking either
   * {@code StringLike aws:RequestTag/poolshift:deployment = "?*"} or
   * {@code ForAnyValue:StringEquals aws:TagKeys = poolshift:deployment}.
   */
  static List<String> untaggedCreates(String function, List<Map<String, Object>> statements) {
    List<String> out = new ArrayList<>();
    CREATE_TARGETS.forEach((action, sample) -> grants(statements, action, sample).stream()
        .filter(st -> !deploymentTagCondition(st.get("Condition"), "aws:RequestTag/")
            || !deploymentTagKeyRequired(st.get("Condition")))
        .forEach(st -> out.add(function + ": " + action + " without requiring the " + DEPLOYMENT_TAG
            + " tag in the request: " + st)));
    return out;
  }

  /**
   * Every grant of sagemaker:AddTags on a model, config or endpoint that is not limited, by
   * {@code StringEquals sagemaker:TaggingAction}, to the tags of a CreateModel or
   * CreateEndpointConfig call: a standalone AddTags could put the deployment tag on anyone's
   * model or config and so open it to the deletes.
   */
  static List<String> unscopedTagging(String function, List<Map<String, Object>> statements) {
    List<String> out = new ArrayList<>();
    for (String sample : List.of(SAMPLE_MODEL_ARN, SAMPLE_CONFIG_ARN, SAMPLE_ENDPOINT_ARN)) {
      grants(statements, "sagemaker:AddTags", sample).stream()
          .filter(st -> !creationTaggingOnly(st.get("Condition")))
          .map(st -> function + ": sagemaker:AddTags beyond tag-on-create on " + sample + ": " + st)
          .filter(line -> !out.contains(line)).forEach(out::add);
    }
    return out;
  }

  /**
   * Every CreateEndpointConfig grant without both instance-type conditions:
   * {@code ForAllValues:StringLike sagemaker:InstanceTypes} (no bare {@code *}) and
   * {@code "Null": {sagemaker:InstanceTypes: "false"}}. ForAllValues alone is true when the key
   * is absent or empty, so without the second a config whose types IAM cannot see passes.
   */
  static List<String> unguardedConfigCreates(String function, List<Map<String, Object>> statements) {
    return grants(statements, "sagemaker:CreateEndpointConfig", SAMPLE_CONFIG_ARN).stream()
        .filter(st -> !instanceTypeGuard(st.get("Condition")))
        .map(st -> function + ": sagemaker:CreateEndpointConfig without the instance-type conditions: " + st)
        .toList();
  }

  /**
   * Every grant of PutMetricAlarm or DeleteAlarms that could name an alarm outside the managed
   * prefix ({@link #SAMPLE_FOREIGN_ALARM_ARN}).
   */
  static List<String> foreignAlarmWrites(String function, List<Map<String, Object>> statements) {
    List<String> out = new ArrayList<>();
    for (String action : List.of("cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms")) {
      grants(statements, action, SAMPLE_FOREIGN_ALARM_ARN).forEach(st -> out.add(function + ": "
          + action + " on alarms outside the managed prefix: " + st));
    }
    return out;
  }

  /** {@code StringLike <keyPrefix>poolshift:deployment = "?*"}: the tag is there, with a value. */
  static boolean deploymentTagCondition(Object condition, String keyPrefix) {
    return "?*".equals(single(operator(condition, "StringLike").get(keyPrefix + DEPLOYMENT_TAG)));
  }

  /** {@code ForAnyValue:StringEquals aws:TagKeys = poolshift:deployment}: the request names the key. */
  static boolean deploymentTagKeyRequired(Object condition) {
    return DEPLOYMENT_TAG.equals(single(operator(condition, "ForAnyValue:StringEquals").get("aws:TagKeys")));
  }

  /** {@code StringEquals sagemaker:TaggingAction} naming only CreateModel / CreateEndpointConfig. */
  static boolean creationTaggingOnly(Object condition) {
    List<String> creates = strings(operator(condition, "StringEquals").get("sagemaker:TaggingAction"));
    return !creates.isEmpty() && TAGGING_CREATES.containsAll(creates);
  }

  /** Both instance-type conditions, and no bare {@code *} among the allowed types. */
  static boolean instanceTypeGuard(Object condition) {
    List<String> allowed = strings(operator(condition, "ForAllValues:StringLike").get("sagemaker:InstanceTypes"));
    Object present = single(operator(condition, "Null").get("sagemaker:InstanceTypes"));
    return !allowed.isEmpty() && !allowed.contains("*")
        && ("false".equals(present) || Boolean.FALSE.equals(present));
  }

  /** One operator's block of a Condition ({@code {}} when absent): keys to values. */
  private static Map<?, ?> operator(Object condition, String operator) {
    return condition instanceof Map<?, ?> c && c.get(operator) instanceof Map<?, ?> block ? block : Map.of();
  }

  /** A condition value that is exactly one value (a scalar or a one-element list), else null. */
  private static Object single(Object value) {
    if (value instanceof List<?> list) {
      return list.size() == 1 ? list.getFirst() : null;
    }
    return value;
  }

  /** Exactly the tag condition, and nothing that would widen it. */
  static boolean managedTagCondition(Object condition) {
    if (!(condition instanceof Map<?, ?> c) || !(c.get("StringEquals") instanceof Map<?, ?> equals)) {
      return false;
    }
    Object value = equals.get("aws:ResourceTag/" + ManagedTag.KEY);
    return ManagedTag.VALUE.equals(value) || List.of(ManagedTag.VALUE).equals(value);
  }

  /** An IAM pattern ({@code *}, {@code ?}) as a regex; actions compare case-insensitively. */
  private static Pattern glob(String pattern, boolean ignoreCase) {
    StringBuilder regex = new StringBuilder();
    for (char ch : pattern.toCharArray()) {
      regex.append(switch (ch) {
        case '*' -> ".*";
        case '?' -> ".";
        default -> Pattern.quote(String.valueOf(ch));
      });
    }
    return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
  }

  private static boolean allows(Map<String, Object> statement, String action) {
    return !"Deny".equals(statement.get("Effect")) && actions(statement).contains(action);
  }

  private static List<String> strings(Object o) {
    if (o == null) {
      return List.of();
    }
    if (o instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(o));
  }

  /** The template's parameter defaults, for resolving {@code ${Parameter}} in resources. */
  private static final class Defaults {
    static final Map<String, String> PARAMETERS = load();

    private static Map<String, String> load() {
      Map<String, String> out = new LinkedHashMap<>();
      map(template().get("Parameters")).forEach((name, spec) -> {
        Object value = map(spec).get("Default");
        if (value != null) {
          out.put(name, String.valueOf(value));
        }
      });
      return out;
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o == null ? Map.of() : (Map<String, Object>) o;
  }

  /** Short-form intrinsics as readable strings: {@code !Ref X} → {@code Ref:X}. */
  private static final class Intrinsics extends SafeConstructor {
    Intrinsics() {
      super(new LoaderOptions());
      for (String tag : new TreeSet<>(List.of("!Ref", "!Sub", "!GetAtt", "!Not", "!Equals", "!If", "!Join",
          "!Select", "!Split", "!FindInMap", "!ImportValue", "!Condition", "!And", "!Or"))) {
        yamlConstructors.put(new Tag(tag), new AbstractConstruct() {
          @Override
          public Object construct(Node node) {
            Object value = switch (node) {
              case ScalarNode s -> s.getValue();
              case SequenceNode s -> constructSequence(s);
              case MappingNode m -> constructMapping(m);
              default -> null;
            };
            return tag.substring(1) + ":" + value;
          }
        });
      }
    }
  }
}
