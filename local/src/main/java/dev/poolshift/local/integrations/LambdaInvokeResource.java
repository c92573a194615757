package dev.poolshift.local.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.poolshift.local.asl.ResourceNaming;
import dev.poolshift.local.asl.TaskContext;
import dev.poolshift.local.asl.TaskFailure;
import dev.poolshift.local.asl.TaskResource;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.lambda.InvokeRequest;
import dev.poolshift.local.lambda.InvokeResult;
import dev.poolshift.local.lambda.LambdaService;
import dev.poolshift.local.lambda.LambdaServiceException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code arn:aws:states:::lambda:invoke} (optimized integration) and the legacy direct function ARN,
 * on the in-process {@link LambdaService}, with the result and error shapes Step Functions gives
 * (as its Developer Guide documents them): the optimized form wraps the payload in
 * {@code {ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode}}; a
 * function error fails the task with the runtime's {@code errorType} and the Lambda error object
 * as compact JSON text; a Lambda service error becomes {@code Lambda.<Code>}.
 */
public final class LambdaInvokeResource implements TaskResource {
  static final String INVOKE = ":states:::lambda:invoke";
  /** Members of the Lambda Invoke API that the integration accepts in Arguments. */
  private static final Set<String> ARGUMENTS = Set.of("FunctionName", "Payload", "InvocationType", "Qualifier", "LogType", "ClientContext");

  /**
   * Whether the state machine's role may invoke a function ({@code lambda:InvokeFunction}): the
   * AccessDenied message when it may not.
   */
  @FunctionalInterface
  public interface InvokePermission {
    InvokePermission ANY = (executionArn, functionArn) -> Optional.empty();

    Optional<String> refusal(String executionArn, String functionArn);
  }

  private final LambdaService lambda;
  private final InvokePermission permission;

  public LambdaInvokeResource(LambdaService lambda) {
    this(lambda, InvokePermission.ANY);
  }

  public LambdaInvokeResource(LambdaService lambda, InvokePermission permission) {
    this.lambda = lambda;
    this.permission = permission;
  }

  @Override
  public boolean supports(String resourceArn) {
    return (resourceArn.startsWith("arn:") && resourceArn.endsWith(INVOKE) && resourceArn.indexOf(INVOKE) == resourceArn.lastIndexOf(INVOKE))
        || ResourceNaming.isFunctionArn(resourceArn);
  }

  @Override
  public JsonNode call(String resourceArn, JsonNode arguments, TaskContext context) throws TaskFailure {
    boolean direct = ResourceNaming.isFunctionArn(resourceArn);
    String functionName;
    JsonNode payload;
    String qualifier = null;
    boolean tail = false;
    String invocationType = "RequestResponse";
    if (direct) {
      functionName = resourceArn;
      payload = arguments;
    } else {
      if (!(arguments instanceof ObjectNode args)) {
        throw new TaskFailure("States.Runtime", "lambda:invoke needs an object of Invoke API members as Arguments");
      }
      for (Iterator<String> it = args.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!ARGUMENTS.contains(field)) {
          // AWS validates the integration's parameters against the Invoke API; the harsher
          // reading is to fail rather than to ignore an unknown member.
          throw new TaskFailure("States.Runtime", "The field '" + field + "' is not supported by Step Functions for lambda:invoke");
        }
      }
      JsonNode fn = args.get("FunctionName");
      if (fn == null || !fn.isTextual() || fn.asText().isBlank()) {
        throw new TaskFailure("States.Runtime", "lambda:invoke requires the field 'FunctionName'");
      }
      functionName = fn.asText();
      payload = args.has("Payload") ? args.get("Payload") : LocalJson.object();
      qualifier = args.hasNonNull("Qualifier") ? args.get("Qualifier").asText() : null;
      tail = "Tail".equals(args.path("LogType").asText(null));
      invocationType = args.path("InvocationType").asText("RequestResponse");
    }
    byte[] body = (payload.isTextual() ? payload.asText() : LocalJson.write(payload)).getBytes(StandardCharsets.UTF_8);
    InvokeRequest request = new InvokeRequest(functionName, qualifier, body, context.executionArn(), tail);
    Optional<String> refused = permission.refusal(context.executionArn(),
        functionArn(functionName, qualifier));
    if (refused.isPresent()) {
      // Lambda models no AccessDeniedException, so Step Functions reports it as the generic one.
      throw new TaskFailure("Lambda.AWSLambdaException", refused.get() + " (Service: AWSLambda; Status Code: 403;"
          + " Error Code: AccessDeniedException; Request ID: " + java.util.UUID.randomUUID() + "; Proxy: null)");
    }
    try {
      if ("Event".equals(invocationType)) {
        String requestId = lambda.invokeAsync(request);
        return wrap(202, "", "$LATEST", requestId, null);
      }
      if (!"RequestResponse".equals(invocationType)) {
        throw new TaskFailure("Lambda.InvalidParameterValueException", "InvocationType " + invocationType + " is not supported locally");
      }
      InvokeResult result = lambda.invoke(request);
      if (result.failed()) {
        throw functionError(result);
      }
      if (direct) {
        return parsePayload(result.payloadText());
      }
      return wrap(result.statusCode(), result.payloadText(), result.executedVersion(), result.requestId(), result.logResult());
    } catch (LambdaServiceException e) {
      throw new TaskFailure("Lambda." + e.code(), e.getMessage() + " (Service: AWSLambda; Status Code: " + e.status()
          + "; Error Code: " + e.code() + "; Request ID: " + java.util.UUID.randomUUID() + "; Proxy: null)");
    }
  }

  /**
   * The ARN IAM authorizes an invocation against: the function's ARN with the qualifier it was
   * called with (a name, partial ARN or ARN as the Invoke API takes it). A function that does not
   * exist keeps the name it was called by; the invocation fails on its own afterwards.
   */
  private String functionArn(String functionName, String qualifier) {
    String arn = functionName;
    if (!arn.startsWith("arn:")) {
      String[] parts = arn.split(":");
      boolean partial = parts.length >= 3 && parts[1].equals("function");
      String name = partial ? parts[2] : parts[0];
      String inlineQualifier = partial ? (parts.length == 4 ? parts[3] : null) : (parts.length == 2 ? parts[1] : null);
      if (!lambda.exists(name)) {
        return functionName;
      }
      arn = lambda.function(name).definition().arn() + (inlineQualifier == null ? "" : ":" + inlineQualifier);
    }
    return qualifier != null && arn.split(":").length == 7 ? arn + ":" + qualifier : arn;
  }

  /** The task fails with the runtime's errorType; the cause is the error object, members in AWS's order. */
  private static TaskFailure functionError(InvokeResult result) {
    JsonNode error;
    try {
      error = LocalJson.parse(result.payloadText());
    } catch (IllegalArgumentException e) {
      return new TaskFailure("Lambda.Unknown", result.payloadText());
    }
    String type = error.path("errorType").asText(null);
    Map<String, Object> ordered = new LinkedHashMap<>();
    if (error.has("errorMessage")) {
      ordered.put("errorMessage", error.get("errorMessage"));
    }
    if (type != null) {
      ordered.put("errorType", type);
    }
    ordered.put("requestId", result.requestId());
    if (error.has("stackTrace")) {
      ordered.put("stackTrace", error.get("stackTrace"));
    }
    if (error.has("cause")) {
      ordered.put("cause", error.get("cause"));
    }
    return new TaskFailure(type == null ? "Lambda.Unknown" : type, LocalJson.write(ordered));
  }

  private static JsonNode parsePayload(String text) {
    if (text.isEmpty()) {
      return LocalJson.NODES.nullNode();
    }
    try {
      return LocalJson.parse(text);
    } catch (IllegalArgumentException notJson) {
      return TextNode.valueOf(text);
    }
  }

  private static ObjectNode wrap(int status, String payload, String version, String requestId, String logResult) {
    ObjectNode out = LocalJson.object();
    out.put("ExecutedVersion", version);
    out.set("Payload", parsePayload(payload));
    ObjectNode http = out.putObject("SdkHttpMetadata");
    ObjectNode all = http.putObject("AllHttpHeaders");
    ObjectNode headers = http.putObject("HttpHeaders");
    for (var h : Map.of("X-Amz-Executed-Version", version, "x-amzn-Remapped-Content-Length", "0",
        "Connection", "keep-alive", "x-amzn-RequestId", requestId, "Content-Type", "application/json").entrySet()) {
      all.putArray(h.getKey()).add(h.getValue());
      headers.put(h.getKey(), h.getValue());
    }
    http.put("HttpStatusCode", status);
    out.putObject("SdkResponseMetadata").put("RequestId", requestId);
    out.put("StatusCode", status);
    if (logResult != null) {
      out.put("LogResult", logResult);
    }
    return out;
  }
}
