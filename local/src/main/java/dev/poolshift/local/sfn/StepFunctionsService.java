package dev.poolshift.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.asl.HistoryEvent;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.http.JsonProtocolService;
import dev.poolshift.local.json.LocalJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The Step Functions API on the AWS JSON 1.0 wire ({@code X-Amz-Target: AWSStepFunctions.<Op>},
 * signing name {@code states}) for SDK clients: StartExecution, DescribeExecution, StopExecution,
 * SendTaskSuccess/Failure/Heartbeat, GetExecutionHistory, ListExecutions, DescribeStateMachine and
 * ListStateMachines. Members are camelCase, timestamps epoch seconds, errors {@code __type} codes.
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
    if (request.path("reverseOrder").asBoolean(false)) {
      java.util.Collections.reverse(events);
    }
    boolean includeData = !request.has("includeExecutionData") || request.get("includeExecutionData").asBoolean(true);
    Page page = page(request, events.size());
    ArrayNode out = LocalJson.MAPPER.createArrayNode();
    for (HistoryEvent e : events.subList(page.from(), page.to())) {
      out.add(render(e, includeData));
    }
    ObjectNode r = LocalJson.object();
    r.set("events", out);
    if (page.next() != null) {
      r.put("nextToken", page.next());
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
    Page page = page(request, all.size());
    ArrayNode out = LocalJson.MAPPER.createArrayNode();
    for (Execution.Snapshot s : all.subList(page.from(), page.to())) {
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
    if (page.next() != null) {
      r.put("nextToken", page.next());
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
    Page page = page(request, all.size());
    ArrayNode out = LocalJson.MAPPER.createArrayNode();
    for (StateMachine m : all.subList(page.from(), page.to())) {
      ObjectNode item = out.addObject();
      item.put("stateMachineArn", m.arn());
      item.put("name", m.name());
      item.put("type", "STANDARD");
      item.set("creationDate", epochSeconds(m.creationDate()));
    }
    ObjectNode r = LocalJson.object();
    r.set("stateMachines", out);
    if (page.next() != null) {
      r.put("nextToken", page.next());
    }
    return r;
  }

  private record Page(int from, int to, String next) {}

  /** maxResults (default 100, at most 1000) and an opaque nextToken holding the offset. */
  private static Page page(ObjectNode request, int size) {
    int max = request.path("maxResults").asInt(0);
    if (max < 0 || max > 1000) {
      throw AwsServiceException.client("ValidationException", "1 validation error detected: Value '" + max
          + "' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000");
    }
    if (max == 0) {
      max = 100;
    }
    int from = 0;
    String token = optional(request, "nextToken");
    if (token != null) {
      try {
        String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        if (!decoded.startsWith("offset:")) {
          throw new IllegalArgumentException(decoded);
        }
        from = Integer.parseInt(decoded.substring("offset:".length()));
      } catch (IllegalArgumentException e) {
        throw AwsServiceException.client("InvalidToken", "Invalid Token: 'Invalid nextToken'");
      }
      if (from < 0 || from > size) {
        throw AwsServiceException.client("InvalidToken", "Invalid Token: 'Invalid nextToken'");
      }
    }
    int to = Math.min(size, from + max);
    String next = to < size
        ? Base64.getUrlEncoder().withoutPadding().encodeToString(("offset:" + to).getBytes(StandardCharsets.UTF_8))
        : null;
    return new Page(from, to, next);
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
