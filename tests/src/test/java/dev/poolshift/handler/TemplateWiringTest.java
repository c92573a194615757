package dev.poolshift.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.poolshift.aws.Json;
import dev.poolshift.rollout.usecase.Events;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import software.amazon.event.ruler.Ruler;

/**
 * The functions against {@code template.yaml}: every handler the template names exists, builds
 * its real graph from exactly the environment the template gives it (a variable a function
 * reads but the template does not set fails here, not in production), and every sample event
 * matches the rule it stands for and only that one.
 */
class TemplateWiringTest {
  static final String STATE_MACHINE_ARN =
      "arn:aws:states:us-east-1:111122223333:stateMachine:poolshift-rollout";
  private final Map<String, Object> template = load();

  @Test
  void everyFunctionsHandlerBuildsFromTheEnvironmentTheTemplateGivesIt() throws Exception {
    List<String> built = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> fn : functions().entrySet()) {
      Map<String, Object> props = map(fn.getValue().get("Properties"));
      String handler = ((String) props.get("Handler")).replace("::handleRequest", "");
      Class<?> type = Class.forName(handler);
      // What the Java runtime can call by class name: a stream handler or a typed one.
      assertThat(type).satisfiesAnyOf(
          t -> assertThat(RequestStreamHandler.class).isAssignableFrom(t),
          t -> assertThat(RequestHandler.class).isAssignableFrom(t));
      assertThat(type.getConstructor()).isNotNull();
      Map<String, String> env = environment(props);
      type.getConstructor(Map.class).newInstance(env);
      built.add(type.getSimpleName());
    }
    assertThat(built).containsExactlyInAnyOrder("ApprovalIntakeHandler", "RolloutStepsHandler",
        "EndpointEventsHandler", "AlarmEventsHandler", "ReconcilerHandler");
  }

  @Test
  void anApprovalMatchesTheApprovalRuleAndAMetadataReEmitMatchesNothing() throws Exception {
    assertThat(matching("model-package/approved.json")).containsExactly("PackageApproved");
    assertThat(matching("model-package/approved-metadata-reemit.json")).isEmpty();
    assertThat(matching("model-package/rejected.json")).containsExactly("PackageRejected");
  }

  @Test
  void endpointAlarmAndExecutionSamplesReachTheirFunctions() throws Exception {
    assertThat(matching("endpoint/in-service.json")).containsExactly("EndpointStateChanged", "EndpointSettled");
    assertThat(matching("endpoint/failed.json")).containsExactly("EndpointStateChanged", "EndpointSettled");
    assertThat(matching("alarm/canary-5xx-rate-alarm.json")).containsExactly("CanaryAlarm");
    assertThat(matching("execution/aborted.json")).containsExactly("ExecutionEnded");
  }

  @Test
  void theSweepsSampleIsWhatTheScheduleSends() throws Exception {
    Map<String, Object> sweep = map(map(map(functions().get("ReconcilerFunction")
        .get("Properties")).get("Events")).get("Sweep"));
    String input = resolve(map(sweep.get("Properties")).get("Input")).toString()
        .replace("<aws.scheduler.execution-id>", "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
        .replace("<aws.scheduler.scheduled-time>", "2026-06-01T12:30:00Z")
        .replace("<aws.scheduler.schedule-arn>",
            "arn:aws:scheduler:us-east-1:111122223333:schedule/default/poolshift-ReconcilerFunctionSweep");

    assertThat(Json.parse(input)).isEqualTo(Events.json("scheduler/reconciler-sweep.json"));
  }

  // ------------------------------------------------------------------ template

  /** The names of the EventBridge rules whose pattern matches the sample. */
  private List<String> matching(String sample) throws Exception {
    String event = Json.write(Events.json(sample));
    List<String> names = new ArrayList<>();
    for (Map<String, Object> fn : functions().values()) {
      Map<String, Object> events = map(map(fn.get("Properties")).get("Events"));
      if (events == null) {
        continue;
      }
      for (Map.Entry<String, Object> e : events.entrySet()) {
        Map<String, Object> ev = map(e.getValue());
        if (!"EventBridgeRule".equals(ev.get("Type"))) {
          continue;
        }
        String pattern = Json.write(resolve(map(ev.get("Properties")).get("Pattern")));
        if (Ruler.matchesRule(event, pattern)) {
          names.add(e.getKey());
        }
      }
    }
    return names;
  }

  private Map<String, String> environment(Map<String, Object> props) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", "us-east-1");
    Map<String, Object> globals = map(map(map(map(template.get("Globals")).get("Function"))
        .get("Environment")).get("Variables"));
    globals.forEach((k, v) -> env.put(k, String.valueOf(resolve(v))));
    Map<String, Object> own = map(props.get("Environment"));
    if (own != null) {
      map(own.get("Variables")).forEach((k, v) -> env.put(k, String.valueOf(resolve(v))));
    }
    return env;
  }

  /** {@code !Ref} to a parameter's default or a resource's stand-in; {@code !Sub} for the account. */
  private Object resolve(Object value) {
    if (value instanceof Tagged t) {
      return switch (t.tag()) {
        case "!Ref" -> ref((String) t.value());
        case "!Sub" -> ((String) t.value()).replace("${AWS::AccountId}", "111122223333")
            .replace("${AWS::Region}", "us-east-1").replace("${AWS::Partition}", "aws");
        case "!GetAtt" -> "arn:aws:stand-in:" + t.value();
        default -> t.value();
      };
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), resolve(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      return l.stream().map(this::resolve).toList();
    }
    return value;
  }

  private Object ref(String name) {
    if ("RolloutStateMachine".equals(name)) {
      return STATE_MACHINE_ARN;
    }
    Map<String, Object> parameter = map(map(template.get("Parameters")).get(name));
    if (parameter != null && parameter.get("Default") != null) {
      return String.valueOf(parameter.get("Default"));
    }
    if (parameter != null) {
      return "arn:aws:iam::111122223333:role/stand-in-" + name;
    }
    return "stand-in-" + name;
  }

  private Map<String, Map<String, Object>> functions() {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    map(template.get("Resources")).forEach((name, r) -> {
      if ("AWS::Serverless::Function".equals(map(r).get("Type"))) {
        out.put(name, map(r));
      }
    });
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  /** A CloudFormation short-form tag and what it was applied to. */
  record Tagged(String tag, Object value) {
  }

  private static Map<String, Object> load() {
    try {
      Yaml yaml = new Yaml(new CloudFormationConstructor());
      return yaml.load(Files.readString(Path.of("template.yaml")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Keeps {@code !Ref}, {@code !Sub}, {@code !GetAtt}, ... as {@link Tagged} values. */
  private static final class CloudFormationConstructor extends SafeConstructor {
    CloudFormationConstructor() {
      super(new LoaderOptions());
      for (String tag : List.of("!Ref", "!Sub", "!GetAtt", "!Not", "!Equals", "!If", "!Join",
          "!Select", "!Split", "!FindInMap", "!ImportValue", "!Condition", "!And", "!Or")) {
        yamlConstructors.put(new org.yaml.snakeyaml.nodes.Tag(tag), new AbstractConstruct() {
          @Override
          public Object construct(Node node) {
            Object value = switch (node) {
              case ScalarNode s -> s.getValue();
              case SequenceNode s -> constructSequence(s);
              case MappingNode m -> constructMapping(m);
              default -> null;
            };
            return new Tagged(tag, value);
          }
        });
      }
    }
  }
}
