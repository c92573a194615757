package dev.poolshift.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** The execution-level part of the context object. */
public record ExecutionInfo(String executionArn, String name, JsonNode input, String roleArn, Instant startTime,
    String stateMachineArn, String stateMachineName) {}
