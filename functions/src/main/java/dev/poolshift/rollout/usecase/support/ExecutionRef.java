package dev.poolshift.rollout.usecase.support;


/**
 * The execution a step runs in ({@code $execution}: Step Functions' context Execution.Name, Id
 * and StartTime). The name is the rollout's identity: lock owner, deployment id, log key.
 */
public record ExecutionRef(String name, String id, String startTime) {
}
