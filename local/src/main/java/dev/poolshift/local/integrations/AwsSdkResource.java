package dev.poolshift.local.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.asl.TaskContext;
import dev.poolshift.local.asl.TaskFailure;
import dev.poolshift.local.asl.TaskResource;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.http.AwsService;
import dev.poolshift.local.http.HttpCall;
import dev.poolshift.local.http.HttpReply;
import dev.poolshift.local.json.LocalJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code arn:aws:states:::aws-sdk:<service>:<apiAction>} for the local services on an AWS JSON
 * protocol (SageMaker, DynamoDB, Step Functions, SSM, EventBridge): the Arguments become the
 * request body, the response the result, as Step Functions' SDK integrations do —
 * members in PascalCase both ways, errors named {@code <Prefix>.<Name>Exception}, unmodelled ones
 * {@code <Prefix>.<Prefix>Exception}. Services on the Query protocol (CloudWatch, SNS) are not
 * offered: a definition using them is rejected when it is loaded rather than half-working.
 */
public final class AwsSdkResource implements TaskResource {
  private static final Pattern ARN = Pattern.compile("arn:[^:]+:states:::aws-sdk:([a-z0-9]+):([a-z][A-Za-z0-9]*)");
  private static final DateTimeFormatter SIGV4_DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  /**
   * One JSON-protocol service as the SDK integration sees it.
   *
   * @param target the {@code X-Amz-Target} prefix
   * @param prefix the error-name prefix (the SDK client name)
   * @param camelCaseWire whether the wire uses camelCase members (Step Functions) while the
   *     integration speaks PascalCase
   * @param modelledErrors error codes the service models; anything else is {@code <prefix>Exception}
   */
  public record Service(String signingName, String target, String prefix, boolean camelCaseWire, Set<String> modelledErrors) {}

  /** The services this resource offers, by the service name in the ARN. */
  public static final Map<String, Service> SERVICES = Map.of(
      "sagemaker", new Service("sagemaker", "SageMaker", "SageMaker", false,
          Set.of("ResourceLimitExceeded", "ResourceNotFound", "ConflictException", "ResourceInUse")),
      "dynamodb", new Service("dynamodb", "DynamoDB_20120810", "DynamoDb", false,
          Set.of("ConditionalCheckFailedException", "ResourceNotFoundException", "ProvisionedThroughputExceededException",
              "TransactionCanceledException", "ItemCollectionSizeLimitExceededException", "RequestLimitExceeded",
              "ResourceInUseException", "LimitExceededException", "TransactionConflictException")),
      "sfn", new Service("states", "AWSStepFunctions", "Sfn", true,
          Set.of("ExecutionAlreadyExists", "ExecutionDoesNotExist", "ExecutionLimitExceeded", "InvalidArn",
              "InvalidExecutionInput", "InvalidName", "InvalidOutput", "InvalidToken", "StateMachineDoesNotExist",
              "TaskDoesNotExist", "TaskTimedOut", "ValidationException")),
      "ssm", new Service("ssm", "AmazonSSM", "Ssm", false,
          Set.of("ParameterNotFound", "ParameterAlreadyExists", "ParameterLimitExceeded", "InvalidKeyId")),
      "eventbridge", new Service("events", "AWSEvents", "EventBridge", false,
          Set.of("ResourceNotFoundException", "InternalException")));

  private final Function<String, AwsService> services;
  private final AwsContext aws;
  private final Function<String, String> accessKeyIds;

  /**
   * @param services finds the local service by signing name (the gateway's registry)
   * @param accessKeyId the identity the state machine's role calls with
   */
  public AwsSdkResource(Function<String, AwsService> services, AwsContext aws, String accessKeyId) {
    this(services, aws, executionArn -> accessKeyId);
  }

  /**
   * @param accessKeyIds the access key id of the role of the state machine an execution (by ARN)
   *     belongs to: each state machine calls as its own role
   */
  public AwsSdkResource(Function<String, AwsService> services, AwsContext aws, Function<String, String> accessKeyIds) {
    this.services = services;
    this.aws = aws;
    this.accessKeyIds = accessKeyIds;
  }

  @Override
  public boolean supports(String resourceArn) {
    Matcher m = ARN.matcher(resourceArn);
    return m.matches() && SERVICES.containsKey(m.group(1));
  }

  @Override
  public JsonNode call(String resourceArn, JsonNode arguments, TaskContext context) throws TaskFailure {
    Matcher m = ARN.matcher(resourceArn);
    if (!m.matches()) {
      throw new TaskFailure("States.Runtime", "not an aws-sdk resource: " + resourceArn);
    }
    Service service = SERVICES.get(m.group(1));
    AwsService local = service == null ? null : services.apply(service.signingName());
    if (local == null) {
      throw new TaskFailure("States.Runtime", "service " + m.group(1) + " is not running locally");
    }
    String operation = Character.toUpperCase(m.group(2).charAt(0)) + m.group(2).substring(1);
    JsonNode body = arguments == null || arguments.isNull() ? LocalJson.object() : arguments;
    if (service.camelCaseWire()) {
      body = recase(body, false);
    }
    String date = SIGV4_DATE.format(context.simulation().now());
    HttpCall call = new HttpCall("POST", "/", null, Map.of(
        "x-amz-target", List.of(service.target() + "." + operation),
        "content-type", List.of("application/x-amz-json-1.0"),
        "authorization", List.of("AWS4-HMAC-SHA256 Credential=" + accessKeyIds.apply(context.executionArn()) + "/"
            + date + "/" + aws.region() + "/"
            + service.signingName() + "/aws4_request, SignedHeaders=host;x-amz-target, Signature=local")),
        LocalJson.write(body).getBytes(StandardCharsets.UTF_8));
    HttpReply reply;
    try {
      reply = local.handle(call);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (dev.poolshift.local.aws.AwsServiceException e) {
      reply = HttpReply.of(e.status(), "application/json", LocalJson.write(LocalJson.object().put("__type", e.code()).put("message", e.getMessage())));
    }
    String text = new String(reply.body(), StandardCharsets.UTF_8);
    if (reply.status() / 100 == 2) {
      JsonNode result = text.isBlank() ? LocalJson.object() : LocalJson.parse(text);
      return service.camelCaseWire() ? recase(result, true) : result;
    }
    JsonNode error = text.isBlank() ? LocalJson.object() : LocalJson.parse(text);
    String code = error.path("__type").asText("UnknownError");
    code = code.substring(code.lastIndexOf('#') + 1);
    if (code.contains(":")) {
      code = code.substring(0, code.indexOf(':'));
    }
    String message = error.has("message") ? error.get("message").asText() : error.path("Message").asText("");
    String name = service.modelledErrors().contains(code)
        ? service.prefix() + "." + (code.endsWith("Exception") ? code : code + "Exception")
        : service.prefix() + "." + service.prefix() + "Exception";
    String requestId = reply.headers().getOrDefault("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    throw new TaskFailure(name, message + " (Service: " + service.prefix() + ", Status Code: " + reply.status()
        + ", Request ID: " + requestId + ")");
  }

  /** Changes the first letter of every member name (upper for results, lower for requests). */
  private static JsonNode recase(JsonNode node, boolean upper) {
    if (node instanceof ObjectNode object) {
      ObjectNode out = LocalJson.object();
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String k = e.getKey();
        String key = k.isEmpty() ? k : (upper ? k.substring(0, 1).toUpperCase(Locale.ROOT) : k.substring(0, 1).toLowerCase(Locale.ROOT)) + k.substring(1);
        out.set(key, recase(e.getValue(), upper));
      }
      return out;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode out = LocalJson.MAPPER.createArrayNode();
      array.forEach(n -> out.add(recase(n, upper)));
      return out;
    }
    return node;
  }
}
