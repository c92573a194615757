package dev.poolshift.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A test double that records every call (state, arguments, virtual time) and delegates to another resource. */
final class RecordingResource implements TaskResource {
  record Call(String state, String resource, JsonNode arguments, Instant at, String token) {}

  private final TaskResource delegate;
  private final List<Call> calls = new ArrayList<>();

  RecordingResource(TaskResource delegate) {
    this.delegate = delegate;
  }

  @Override
  public boolean supports(String resourceArn) {
    return delegate.supports(resourceArn);
  }

  @Override
  public JsonNode call(String resourceArn, JsonNode arguments, TaskContext context) throws TaskFailure {
    synchronized (this) {
      calls.add(new Call(context.stateName(), resourceArn, arguments, context.simulation().now(), context.taskToken()));
    }
    return delegate.call(resourceArn, arguments, context);
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  synchronized List<Call> calls(String state) {
    return calls.stream().filter(c -> c.state().equals(state)).toList();
  }

  /** Seconds of virtual time between {@code start} and each call of a state. */
  synchronized List<Double> callSeconds(String state, Instant start) {
    return calls(state).stream().map(c -> Duration.between(start, c.at()).toNanos() / 1e9).toList();
  }

}
