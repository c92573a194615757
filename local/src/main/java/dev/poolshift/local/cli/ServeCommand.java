package dev.poolshift.local.cli;

import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.scenario.Scenario;
import dev.poolshift.local.scenario.ScenarioException;
import dev.poolshift.local.scenario.ScenarioRunner;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve [--port N] [--speed X] [SCENARIO.json]}: keeps the local services up on loopback so
 * the AWS CLI or any SDK ({@code --endpoint-url http://127.0.0.1:4566}, any credentials) can drive
 * SageMaker, Step Functions, DynamoDB, SSM and EventBridge, with virtual time running X times
 * faster than wall time. With a scenario, its world is loaded and its timeline plays.
 */
final class ServeCommand {
  static final String USAGE = "usage: serve [--port N] [--speed X] [--template FILE] [SCENARIO.json]";

  private ServeCommand() {}

  /**
   * Starts the runtime {@code serve} keeps up: the template's services on 127.0.0.1:{@code port},
   * virtual time {@code speed} times wall time, and the scenario's world and timeline if one is given.
   */
  static LocalRuntime start(int port, double speed, Path template, Path scenarioFile) {
    if (scenarioFile != null) {
      if (!Files.isRegularFile(scenarioFile)) {
        throw new IllegalArgumentException("no such scenario file: " + scenarioFile);
      }
      Scenario scenario = Scenario.load(scenarioFile);
      LocalRuntime runtime = ScenarioRunner.start(scenario,
          LocalRuntime.Options.of(scenario.template()).withPort(port).withRealTime(speed));
      ScenarioRunner.play(scenario, runtime);
      runtime.startClock();
      return runtime;
    }
    if (!Files.isRegularFile(template)) {
      throw new IllegalArgumentException("no template at " + template.toAbsolutePath()
          + " (run from the repository root or pass --template)");
    }
    LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Options.of(template).withPort(port).withRealTime(speed)
        .withParameters(java.util.Map.of("SageMakerExecutionRoleArn",
            "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution")));
    runtime.startClock();
    return runtime;
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    int port = 4566;
    double speed = 1.0;
    Path scenarioFile = null;
    Path template = Path.of("template.yaml");
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--port" -> port = Integer.parseInt(args[++i]);
          case "--speed" -> speed = Double.parseDouble(args[++i]);
          case "--template" -> template = Path.of(args[++i]);
          default -> {
            if (args[i].startsWith("--") || scenarioFile != null) {
              err.println("serve: unexpected argument " + args[i] + "\n" + USAGE);
              return 2;
            }
            scenarioFile = Path.of(args[i]);
          }
        }
      }
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      err.println("serve: " + e.getMessage() + "\n" + USAGE);
      return 2;
    }
    if (port < 0 || port > 65535 || !(speed > 0)) {
      err.println("serve: --port must be 0–65535 and --speed > 0\n" + USAGE);
      return 2;
    }
    LocalRuntime runtime;
    try {
      runtime = start(port, speed, template, scenarioFile);
    } catch (ScenarioException e) {
      err.println("serve: invalid scenario " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("serve: " + e.getMessage());
      return 2;
    } catch (IllegalStateException e) {
      err.println("serve: " + e.getMessage());
      return 1;
    }
    CountDownLatch stop = new CountDownLatch(1);
    LocalRuntime running = runtime;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      stop.countDown();
    }));
    out.printf("Poolshift local AWS ready on %s (virtual time x%s, starting %s)%n", runtime.gateway().endpoint(),
        speed, runtime.simulation().start());
    out.printf("  aws --endpoint-url %s --region us-east-1 sagemaker list-endpoints%n", runtime.gateway().endpoint());
    out.printf("  state machine: %s%n", runtime.template().stateMachines().values().iterator().next().arn());
    out.println("Ctrl-C to stop.");
    out.flush();
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
