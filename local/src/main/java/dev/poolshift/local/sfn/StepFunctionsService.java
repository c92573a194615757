package dev.poolshift.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.asl.HistoryEvent;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.http.JsonProtocolService;
import dev.poolshift.local.http.Paging;
import dev.poolshift.local.json.LocalJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The Step Functions API on the AWS JSON 1.0 wire ({@code X-Amz-Target: AWSStepFunctions.<Op>},
 * signing name {@code states}) for SDK clients: StartExecution, DescribeExecution, StopExecution,
 * SendTaskSuccess/Failure/Heartbeat, GetExecutionHistory, ListExecutions, DescribeStateMachine,
 * DescribeStateMachineForExecution, ListStateMachines and ListTagsForResource. Lists page by
 * {@code maxResults} with tokens that hold the last item returned. Members are camelCase, timestamps epoch seconds, errors {@code __type} codes.
 */
public final class StepFunctionsService extends JsonProtocolService {
  private static final Set<String> EXECUTION_DATA = Set.of("input", "output", "parameters", "assignedVariables");
  private final StepFunctions engine;

  public StepFunctionsService(StepFunctions engine) {
    super("1.0");
    this.engine = engine;
  }

  @Override
  public String signingName() {
    return "states";
  }

  @Override
  public String targetPrefix() {
    return "AWSStepFunctions";
  }

  @Override
  protected JsonNode dispatch(String operation, ObjectNode request) {
    engine.faults().take(operation).ifPresent(e -> {
      throw e;
    });
    return switch (operation) {
      case "StartExecution" -> startExecution(request);
      case "DescribeExecution" -> describeExecution(request);
      case "StopExecution" -> stopExecution(request);
      case "SendTaskSuccess" -> {
        engine.sendTaskSuccess(required(request, "taskToken"), required(request, "output"));
        yield LocalJson.object();
      }
      case "SendTaskFailure" -> {
        engine.sendTaskFailure(required(request, "taskToken"), optional(request, "error"), optional(request, "cause"));
        yield LocalJson.object();
      }
      case "SendTaskHeartbeat" -> {
        engine.sendTaskHeartbeat(required(request, "taskToken"));
        yield LocalJson.object();
      }
      case "GetExecutionHistory" -> history(request);
      case "ListExecutions" -> listExecutions(request);
      case "DescribeStateMachine" -> describeStateMachine(request);
      case "ListStateMachines" -> listStateMachines(request);
      case "DescribeStateMachineForExecution" -> describeStateMachineForExecution(request);
      case "ListTagsForResource" -> listTagsForResource(request);
      default -> throw new dev.poolshift.local.http.UnknownOperationException(operation);
    };
  }

  private JsonNode startExecution(ObjectNode request) {
    StepFunctions.Started started = engine.startExecution(required(request, "stateMachineArn"),
        optional(request, "name"), optional(request, "input"));
    ObjectNode response = LocalJson.object().put("executionArn", started.executionArn());
    response.set("startDate", epochSeconds(started.startDate()));
    return response;
  }

  private JsonNode describeExecution(ObjectNode request) {
    Execution.Snapshot s = engine.execution(required(request, "executionArn")).snapshot();
    ObjectNode r = LocalJson.object();
    r.put("executionArn", s.executionArn());
    r.put("stateMachineArn", s.stateMachineArn());
    r.put("name", s.name());
    r.put("status", s.status().name());
    r.set("startDate", epochSeconds(s.startDate()));
    if (s.stopDate() != null) {
      r.set("stopDate", epochSeconds(s.stopDate()));
    }
    r.put("input", s.input());
    r.putObject("inputDetails").put("included", true);
    if (s.output() != null) {
      r.put("output", s.output());
      r.putObject("outputDetails").put("included", true);
    }
    if (s.error() != null) {
      r.put("error", s.error());
    }
    if (s.cause() != null) {
      r.put("cause", s.cause());
    }
    r.put("redriveCount", 0);
    switch (s.status()) {
      case FAILED, TIMED_OUT, ABORTED -> r.put("redriveStatus", "REDRIVABLE");
      default -> {
        r.put("redriveStatus", "NOT_REDRIVABLE");
        r.put("redriveStatusReason", "Execution is " + s.status().name() + " and cannot be redriven");
      }
    }
    return r;
  }

  private JsonNode stopExecution(ObjectNode request) {
    Instant stopped = engine.stopExecution(required(request, "executionArn"), optional(request, "error"),
        optional(request, "cause"));
    ObjectNode r = LocalJson.object();
    r.set("stopDate", epochSeconds(stopped));
    return r;
  }

  private JsonNode history(ObjectNode request) {
    List<HistoryEvent> events = new ArrayList<>(engine.history(required(request, "executionArn")));
    boolean includeData = !request.has("includeExecutionData") || request.get("includeExecutionData").asBoolean(true);
    boolean reverse = request.path("reverseOrder").asBoolean(false);
    Paging.Page<HistoryEvent> page = page(request, events,
        e -> reverse ? Paging.descending(e.id()) : Paging.ascending(e.id()));
    ArrayNode out = LocalJson.MAPPER.createArrayNode();
    for (HistoryEvent e : page.items()) {
      out.add(render(e, includeData));
    }
    ObjectNode r = LocalJson.object();
    r.set("events", out);
    if (page.nextToken() != null) {
      r.put("nextToken", page.nextToken());
    }
    return r;
  }

  static ObjectNode render(HistoryEvent e, boolean includeData) {
    ObjectNode node = LocalJson.object();
    node.set("timestamp", epochSeconds(e.timestamp()));
    node.put("type", e.type());
    node.put("id", e.id());
    node.put("previousEventId", e.previousEventId());
    if (e.details() != null) {
      ObjectNode details = e.details().deepCopy();
      if (!includeData) {
        for (Iterator<String> it = details.fieldNames(); it.hasNext(); ) {
          if (EXECUTION_DATA.contains(it.next())) {
            it.remove();
          }
        }
      }
      node.set(e.detailsMember(), details);
    }
    return node;
  }

  private JsonNode listExecutions(ObjectNode request) {
    String filter = optional(request, "statusFilter");
    SfnExecutionStatus status = null;
    if (filter != null) {
      try {
        status = SfnExecutionStatus.valueOf(filter);
      } catch (IllegalArgumentException e) {
        if (!filter.equals("PENDING_REDRIVE")) {
          throw AwsServiceException.client("ValidationException", "1 validation error detected: Value '" + filter
              + "' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: "
              + "[RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]");
        }
        return LocalJson.object().set("executions", LocalJson.MAPPER.createArrayNode());
      }
    }
    List<Execution.Snapshot> all = engine.listExecutions(required(request, "stateMachineArn"), status);
    // Newest first, as Step Functions lists them.
    Paging.Page<Execution.Snapshot> page = page(request, all,
        e -> Paging.descending(e.startDate().toEpochMilli()) + e.executionArn());
    ArrayNode out = LocalJson.MAPPER.createArrayNode();
    for (Execution.Snapshot s : page.items()) {
      ObjectNode item = out.addObject();
      item.put("executionArn", s.executionArn());
      item.put("stateMachineArn", s.stateMachineArn());
      item.put("name", s.name());
      item.put("status", s.status().name());
      item.set("startDate", epochSeconds(s.startDate()));
      if (s.stopDate() != null) {
        item.set("stopDate", epochSeconds(s.stopDate()));
      }
      item.put("redriveCount", 0);
    }
    ObjectNode r = LocalJson.object();
    r.set("executions", out);
    if (page.nextToken() != null) {
      r.put("nextToken", page.nextToken());
    }
    return r;
  }

  private JsonNode describeStateMachine(ObjectNode request) {
    String arn = required(request, "stateMachineArn");
    StateMachine machine = engine.stateMachine(arn).orElseThrow(() -> AwsServiceException.client(
        "StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'"));
    ObjectNode r = LocalJson.object();
    r.put("stateMachineArn", machine.arn());
    r.put("name", machine.name());
    r.put("status", "ACTIVE");
    r.put("definition", machine.definition().text());
    if (machine.roleArn() != null) {
      r.put("roleArn", machine.roleArn());
    }
    r.put("type", "STANDARD");
    r.set("creationDate", epochSeconds(machine.creationDate()));
    return r;
  }

  private JsonNode listStateMachines(ObjectNode request) {
    List<StateMachine> all = engine.stateMachines();
    Paging.Page<StateMachine> page = page(request, all, StateMachine::arn);
    ArrayNode out = LocalJson.MAPPER.createArrayNode();
    for (StateMachine m : page.items()) {
      ObjectNode item = out.addObject();
      item.put("stateMachineArn", m.arn());
      item.put("name", m.name());
      item.put("type", "STANDARD");
      item.set("creationDate", epochSeconds(m.creationDate()));
    }
    ObjectNode r = LocalJson.object();
    r.set("stateMachines", out);
    if (page.nextToken() != null) {
      r.put("nextToken", page.nextToken());
    }
    return r;
  }

  /** maxResults (0 or absent: 100; at most 1000) and a token holding the last item returned. */
  private static <T> Paging.Page<T> page(ObjectNode request, List<T> items, java.util.function.Function<T, String> key) {
    JsonNode v = request.get("maxResults");
    int max = Paging.limit(v == null || v.isNull() || v.asInt() == 0 ? null : v.asInt(), 100, 1, 1000,
        n -> AwsServiceException.client("ValidationException", "1 validation error detected: Value '" + n
            + "' at 'maxResults' failed to satisfy constraint: Member must have value "
            + (n < 0 ? "greater than or equal to 0" : "less than or equal to 1000")));
    return Paging.page(items, key, max, optional(request, "nextToken"),
        () -> AwsServiceException.client("InvalidToken", "Invalid Token: 'Invalid nextToken'"));
  }

  private JsonNode describeStateMachineForExecution(ObjectNode request) {
    Execution.Snapshot execution = engine.execution(required(request, "executionArn")).snapshot();
    StateMachine machine = engine.stateMachine(execution.stateMachineArn()).orElseThrow(() ->
        AwsServiceException.client("StateMachineDoesNotExist", "State Machine Does Not Exist: '"
            + execution.stateMachineArn() + "'"));
    ObjectNode r = LocalJson.object();
    r.put("stateMachineArn", machine.arn());
    r.put("name", machine.name());
    r.put("definition", machine.definition().text());
    if (machine.roleArn() != null) {
      r.put("roleArn", machine.roleArn());
    }
    r.set("updateDate", epochSeconds(machine.creationDate()));
    r.putObject("loggingConfiguration").put("level", "OFF").put("includeExecutionData", false);
    r.putObject("tracingConfiguration").put("enabled", false);
    return r;
  }

  /**
   * ListTagsForResource for a state machine: the local state machines carry no tags (the template
   * gives none to Step Functions), so a known one lists none; any other ARN is ResourceNotFound.
   */
  private JsonNode listTagsForResource(ObjectNode request) {
    String arn = required(request, "resourceArn");
    if (engine.stateMachine(arn).isEmpty()) {
      throw AwsServiceException.client("ResourceNotFound", "Resource not found: '" + arn + "'");
    }
    ObjectNode r = LocalJson.object();
    r.putArray("tags");
    return r;
  }

  private static JsonNode epochSeconds(Instant instant) {
    return LocalJson.NODES.numberNode(BigDecimal.valueOf(instant.toEpochMilli(), 3));
  }

  private static String required(ObjectNode request, String member) {
    JsonNode v = request.get(member);
    if (v == null || v.isNull()) {
      throw AwsServiceException.client("ValidationException", "1 validation error detected: Value null at '" + member
          + "' failed to satisfy constraint: Member must not be null");
    }
    return v.asText();
  }

  private static String optional(ObjectNode request, String member) {
    JsonNode v = request.get(member);
    return v == null || v.isNull() ? null : v.asText();
  }
}
