package dev.poolshift.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.http.NodeParams;
import dev.poolshift.local.json.LocalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every AWS operation the functions' adapters call has an IAM request context: read from the
 * adapters' source (each SDK client field and the calls made on it), so a new call without one
 * fails here, not in a rehearsal that happens not to reach it. (The rehearsals check the other
 * half: every call they make is evaluated, see WorkflowInvariants.)
 */
class IamCoverageTest {
  static final Path ADAPTERS = Path.of("functions/src/main/java/dev/poolshift/aws");
  private static final Pattern FIELD = Pattern.compile("private final (\\w+Client) (\\w+);");
  private static final Map<String, String> SIGNING_NAMES = Map.of(
      "SageMakerClient", "sagemaker", "CloudWatchClient", "monitoring", "DynamoDbClient", "dynamodb",
      "SfnClient", "states", "SnsClient", "sns", "SsmClient", "ssm",
      "ApplicationAutoScalingClient", "application-autoscaling", "ServiceQuotasClient", "servicequotas");

  private static final AwsContext AWS = AwsContext.DEFAULT;
  private static final Map<String, ServiceRequests> DESCRIBED = Map.of(
      "sagemaker", new SageMakerRequests(AWS, arn -> Map.of()),
      "monitoring", new CloudWatchRequests(AWS, name -> Optional.empty()),
      "dynamodb", new DynamoDbRequests(AWS, table -> "pk"),
      "states", new StepFunctionsRequests(),
      "sns", new SnsRequests(AWS),
      "ssm", new SsmRequests(AWS),
      "application-autoscaling", new ApplicationAutoScalingRequests((ns, id, dim) -> "arn"),
      "servicequotas", new ServiceQuotasRequests(AWS));

  /** "sagemaker CreateModel" for every SDK call of every adapter. */
  static List<String> adapterCalls() throws IOException {
    List<String> calls = new ArrayList<>();
    try (Stream<Path> files = Files.list(ADAPTERS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String source = Files.readString(f);
        Matcher fields = FIELD.matcher(source);
        while (fields.find()) {
          String service = SIGNING_NAMES.get(fields.group(1));
          assertThat(service).as(f.getFileName() + ": a client of an unknown service " + fields.group(1)).isNotNull();
          Matcher call = Pattern.compile("\\b" + fields.group(2) + "\\.(\\w+)\\(").matcher(source);
          while (call.find()) {
            String method = call.group(1).replaceFirst("Paginator$", "");
            if (!method.equals("close") && !method.equals("serviceName")) {
              calls.add(service + " " + Character.toUpperCase(method.charAt(0)) + method.substring(1));
            }
          }
        }
      }
    }
    return List.copyOf(new TreeSet<>(calls));
  }

  @Test
  void everyOperationTheFunctionsCallHasAnIamRequestContext() throws IOException {
    List<String> calls = adapterCalls();
    assertThat(calls).as("SDK calls found in the adapters").hasSizeGreaterThan(30)
        .contains("sagemaker CreateModel", "dynamodb TransactWriteItems", "states SendTaskSuccess");

    List<String> unmapped = new ArrayList<>();
    for (String call : calls) {
      String[] parts = call.split(" ");
      ObjectNode empty = LocalJson.object();
      try {
        DESCRIBED.get(parts[0]).authorizations(new WireRequest(WireRequest.Protocol.JSON, parts[1],
            NodeParams.of(empty), empty, "application/x-amz-json-1.1"));
      } catch (UnmappedOperationException e) {
        unmapped.add(call);
      } catch (ServiceRequests.MissingMemberException needsInput) {
        // Described: it names its resource from a member this empty request lacks.
      }
    }
    assertThat(unmapped).as("operations the functions call that IAM cannot evaluate").isEmpty();
  }

  @Test
  void anOperationNobodyDescribedIsUnmapped() {
    ObjectNode empty = LocalJson.object();

    assertThat(catchThrowable(() -> DESCRIBED.get("sagemaker").authorizations(
        new WireRequest(WireRequest.Protocol.JSON, "CreateTrainingJob", NodeParams.of(empty), empty, "x"))))
        .isInstanceOf(UnmappedOperationException.class);
  }
}
