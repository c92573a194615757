package dev.poolshift.local.sfn;

import dev.poolshift.local.asl.Definition;
import java.time.Instant;

/** A registered Standard state machine. */
public record StateMachine(String name, String arn, String roleArn, Definition definition, Instant creationDate) {}
