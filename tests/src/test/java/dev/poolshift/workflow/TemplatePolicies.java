package dev.poolshift.workflow;

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
