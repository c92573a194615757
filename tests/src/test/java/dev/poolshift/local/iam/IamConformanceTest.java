package dev.poolshift.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.json.LocalJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The evaluator against the IAM User Guide's own examples ({@code tests/src/test/resources/iam/
 * conformance.json}): each case is a policy and requests with the outcome the guide gives them.
 */
class IamConformanceTest {
  static final Path CASES = Path.of("tests/src/test/resources/iam/conformance.json");

  @TestFactory
  Stream<DynamicTest> theGuidesExamplesEvaluateAsTheGuideSays() {
    JsonNode cases = LocalJson.read(CASES).get("cases");
    assertThat(cases.size()).as("cases in the table").isGreaterThan(20);
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : cases) {
      PolicyDocument policy = PolicyDocument.parse(c.get("name").asText(), c.get("policy"));
      int i = 0;
      for (JsonNode r : c.get("requests")) {
        String name = c.get("name").asText() + " [" + i++ + "] " + r.get("action").asText() + " → "
            + r.get("expect").asText();
        tests.add(DynamicTest.dynamicTest(name, () -> {
          PolicyEvaluator.Decision d = PolicyEvaluator.evaluate(List.of(policy), r.get("action").asText(),
              r.get("resource").asText(), context(r.get("context")));

          assertThat(d.outcome().name()).as("%s (%s)%s", c.get("source").asText(), r.get("context"),
              r.has("why") ? ": " + r.get("why").asText() : "").isEqualTo(r.get("expect").asText());
        }));
      }
    }
    return tests.stream();
  }

  /** A string is a single-valued key, a list a multivalued one. */
  static RequestContext context(JsonNode keys) {
    RequestContext c = new RequestContext();
    keys.fields().forEachRemaining(e -> {
      if (e.getValue().isArray()) {
        List<String> values = new ArrayList<>();
        e.getValue().forEach(v -> values.add(v.asText()));
        c.putAll(e.getKey(), values);
      } else {
        c.put(e.getKey(), e.getValue().asText());
      }
    });
    return c;
  }
}
