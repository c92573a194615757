package dev.poolshift.local.iam;

import java.util.List;

/**
 * Step Functions' request contexts (JSON 1.0, camelCase members; Service Authorization
 * Reference, "AWS Step Functions"): state-machine actions on the state machine's ARN, execution
 * actions on the execution's ARN.
 *
 * <p>{@code SendTaskSuccess}, {@code SendTaskFailure} and {@code SendTaskHeartbeat} list no
 * resource type there, which means no resource-level permissions: they are authorized against
 * {@code *}. AWS's own answers have been seen to name the state machine as the resource, and SAM's
 * {@code StepFunctionsCallbackPolicy} scopes them to it; the reference is the documented reading
 * and the harsher one (a grant on the state machine's ARN alone is denied), so the rehearsal
 * takes it.
 */
final class StepFunctionsRequests implements ServiceRequests {
  @Override
  public String signingName() {
    return "states";
  }

  @Override
  public List<Authorization> authorizations(WireRequest r) {
    String op = r.operation();
    return switch (op) {
      case "StartExecution", "StartSyncExecution", "DescribeStateMachine", "ListExecutions" ->
          List.of(Authorization.of("states:" + op, r.required("stateMachineArn")));
      case "DescribeExecution", "StopExecution", "GetExecutionHistory", "DescribeStateMachineForExecution" ->
          List.of(Authorization.of("states:" + op, r.required("executionArn")));
      case "ListTagsForResource" -> List.of(Authorization.of("states:" + op, r.required("resourceArn")));
      case "SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat", "ListStateMachines", "ListActivities" ->
          List.of(Authorization.of("states:" + op, "*"));
      default -> throw new UnmappedOperationException("states", op);
    };
  }
}
