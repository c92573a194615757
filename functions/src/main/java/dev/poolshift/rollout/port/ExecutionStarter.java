package dev.poolshift.rollout.port;

import java.util.Map;
import java.util.Optional;

/** Starts rollout executions under deterministic names (the per-approval idempotency key). */
public interface ExecutionStarter {
  /** @param input the execution input, serialised as JSON in a stable key order */
  StartResult start(String executionName, java.util.Map<String, Object> input);

  /** The status of the execution with this name ({@code RUNNING}, {@code SUCCEEDED}, ...), if one exists. */
  java.util.Optional<String> statusOf(String executionName);
}
