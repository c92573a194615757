package dev.poolshift.workflow;

import dev.poolshift.rollout.endpoint.ManagedTag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
      if (grants && resources(st).stream().anyMatch(TemplatePolicies::mayNameAnEndpoint)) {
        found.add(st);
      }
    }
    return found;
  }

  private static boolean mayNameAnEndpoint(String resource) {
    if (!resource.startsWith("Sub:") && !resource.startsWith("arn:") && !resource.equals("*")) {
      return true;
    }
    String arn = resource.replaceFirst("^Sub:", "").replace("${AWS::Partition}", "aws")
        .replace("${AWS::Region}", "us-east-1").replace("${AWS::AccountId}", "111122223333");
    return arn.contains("${") || glob(arn, false).matcher(SAMPLE_ENDPOINT_ARN).matches();
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
