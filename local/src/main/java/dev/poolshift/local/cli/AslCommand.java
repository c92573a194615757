package dev.poolshift.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.poolshift.local.asl.Diagnostic;
import dev.poolshift.local.asl.InvalidDefinitionException;
import dev.poolshift.local.asl.MockTaskResource;
import dev.poolshift.local.asl.TaskResources;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.aws.AwsServiceException;
import dev.poolshift.local.aws.EventPublisher;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sfn.Execution;
import dev.poolshift.local.sfn.SfnExecutionStatus;
import dev.poolshift.local.sfn.StateMachine;
import dev.poolshift.local.sfn.StepFunctions;
import dev.poolshift.local.sim.Simulation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code poolshift asl --definition FILE --input FILE [--mocks FILE] [--json]}: runs one execution
 * of a definition on a fresh discrete simulation (a one-hour Wait costs no wall time).
 *
 * <p>Exit codes: 0 succeeded (prints the output JSON); 1 the execution did not succeed (prints
 * {@code {"status","error","cause"}}); 2 bad arguments or an invalid definition (prints every
 * validation problem). With {@code --json} the result is always an object with {@code status},
 * {@code output} or {@code error}/{@code cause}, {@code stateTransitions} and {@code
 * virtualSeconds}. Task resources come from {@code --mocks} (see {@link MockTaskResource}); without
 * it, a definition with Task states is invalid.
 */
public final class AslCommand {
  static final String USAGE = "usage: poolshift asl --definition FILE --input FILE [--mocks FILE] [--json]";
  private static final String MACHINE = "asl";
  private static final String EXECUTION = "local";
  /** Longer than any Standard execution may run (one year). */
  private static final Duration LIMIT = Duration.ofDays(400);

  private AslCommand() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Path definitionFile = null;
    Path inputFile = null;
    Path mocksFile = null;
    boolean json = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--definition", "--input", "--mocks" -> {
          if (i + 1 >= args.length) {
            err.println("asl: " + args[i] + " needs a file\n" + USAGE);
            return 2;
          }
          Path p = Path.of(args[++i]);
          switch (args[i - 1]) {
            case "--definition" -> definitionFile = p;
            case "--input" -> inputFile = p;
            default -> mocksFile = p;
          }
        }
        case "--json" -> json = true;
        default -> {
          err.println("asl: unknown argument '" + args[i] + "'\n" + USAGE);
          return 2;
        }
      }
    }
    if (definitionFile == null || inputFile == null) {
      err.println("asl: --definition and --input are required\n" + USAGE);
      return 2;
    }
    String definition;
    String input;
    TaskResources resources;
    try {
      definition = Files.readString(definitionFile);
      input = Files.readString(inputFile);
      try {
        LocalJson.parse(input);
      } catch (IllegalArgumentException e) {
        err.println("asl: --input " + inputFile + ": " + e.getMessage());
        return 2;
      }
      if (mocksFile == null) {
        resources = TaskResources.of();
      } else {
        try {
          resources = TaskResources.of(MockTaskResource.parse(LocalJson.read(mocksFile)));
        } catch (IllegalArgumentException e) {
          err.println("asl: --mocks " + mocksFile + ": " + e.getMessage());
          return 2;
        }
      }
    } catch (IOException e) {
      err.println("asl: cannot read " + e.getMessage());
      return 2;
    }
    try (Simulation sim = Simulation.discrete(Simulation.DEFAULT_EPOCH)) {
      AwsContext aws = AwsContext.DEFAULT;
      StepFunctions sfn = new StepFunctions(sim, resources, EventPublisher.NONE, aws);
      StateMachine machine;
      try {
        machine = sfn.registerStateMachine(MACHINE, definition,
            "arn:" + aws.partition() + ":iam::" + aws.accountId() + ":role/poolshift-asl");
      } catch (InvalidDefinitionException e) {
        err.println("asl: " + definitionFile + " is not a valid state machine definition:");
        for (Diagnostic d : e.diagnostics()) {
          err.println("  " + d);
        }
        return 2;
      }
      String executionArn;
      try {
        executionArn = sfn.startExecution(machine.arn(), EXECUTION, input).executionArn();
      } catch (AwsServiceException e) {
        err.println("asl: " + e.code() + ": " + e.getMessage());
        return 2;
      }
      Instant start = sim.now();
      try {
        sim.runUntil(sfn::allExecutionsEnded, start.plus(LIMIT));
      } catch (IllegalStateException e) {
        err.println("asl: internal error: " + e.getCause());
      }
      Execution execution = sfn.execution(executionArn);
      Execution.Snapshot s = execution.snapshot();
      if (s.status() == SfnExecutionStatus.RUNNING) {
        err.println("asl: the execution is still waiting with nothing left to happen (a callback that never comes?): "
            + sfn.tokens().outstandingTasks());
        sfn.stopExecution(executionArn, "States.Runtime", "nothing left to happen");
        s = execution.snapshot();
      }
      double seconds = Duration.between(s.startDate(), s.stopDate()).toNanos() / 1e9;
      if (json) {
        ObjectNode result = LocalJson.object().put("status", s.status().name());
        if (s.status() == SfnExecutionStatus.SUCCEEDED) {
          result.set("output", LocalJson.parse(s.output()));
        } else {
          putNullable(result, "error", s.error());
          putNullable(result, "cause", s.cause());
        }
        result.put("stateTransitions", s.stateTransitions());
        result.set("virtualSeconds", number(seconds));
        out.println(LocalJson.write(result));
      } else if (s.status() == SfnExecutionStatus.SUCCEEDED) {
        out.println(s.output());
      } else {
        ObjectNode result = LocalJson.object().put("status", s.status().name());
        putNullable(result, "error", s.error());
        putNullable(result, "cause", s.cause());
        out.println(LocalJson.write(result));
      }
      return s.status() == SfnExecutionStatus.SUCCEEDED ? 0 : 1;
    }
  }

  private static JsonNode number(double seconds) {
    return seconds == Math.rint(seconds) ? LocalJson.NODES.numberNode((long) seconds) : LocalJson.NODES.numberNode(seconds);
  }

  private static void putNullable(ObjectNode node, String field, String value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }
}
