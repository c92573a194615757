package dev.poolshift.local.cli;

import dev.poolshift.local.runtime.LocalRuntime;
import dev.poolshift.local.scenario.Scenario;
import dev.poolshift.local.scenario.ScenarioException;
import dev.poolshift.local.scenario.ScenarioRunner;
import dev.poolshift.local.sim.Simulation;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code serve [--port N] [--speed X] [--start ISO|now] [SCENARIO.json]}: keeps the local services
 * up on loopback so the AWS CLI or any SDK ({@code --endpoint-url http://127.0.0.1:4566}, any
 * credentials) can drive SageMaker, Step Functions, DynamoDB, SSM, SNS, EventBridge and
 * CloudWatch, with virtual time running X times faster than wall time. With a scenario, its world
 * is loaded and its timeline plays.
 *
 * <p>Virtual time starts at the wall clock's now (whole seconds), so "3 hours ago" and a metric
 * stamped now mean what the user thinks, unless the scenario sets {@code start} or {@code
 * --start} picks one. The virtual time is printed with the banner and once a minute of wall time.
 *
 * <p>After the banner it prints what happens as it happens ({@link EventPrinter}): executions
 * starting, entering states and ending, every line the functions log, every SNS message. {@code
 * --quiet} keeps only the banner and the clock lines.
 */
final class ServeCommand {
  static final String USAGE = "usage: serve [--port N] [--speed X] [--start ISO-8601|now] [--template FILE] [--quiet] "
      + "[SCENARIO.json]";
  /** How often (wall time) {@code serve} prints the virtual time. */
  static final long REPORT_EVERY_SECONDS = 60;

  private ServeCommand() {}

  /** As {@link #start(int, double, Path, Path, Instant)}, virtual time starting at the default. */
  static LocalRuntime start(int port, double speed, Path template, Path scenarioFile) {
    return start(port, speed, template, scenarioFile, null);
  }

  /**
   * Starts the runtime {@code serve} keeps up: the template's services on 127.0.0.1:{@code port},
   * virtual time {@code speed} times wall time from {@code start} (null: the scenario's own start
   * if it sets one, else the wall clock's now), and the scenario's world and timeline if one is given.
   */
  static LocalRuntime start(int port, double speed, Path template, Path scenarioFile, Instant start) {
    return start(port, speed, template, scenarioFile, start, runtime -> { });
  }

  /**
   * As {@link #start(int, double, Path, Path, Instant)}; {@code beforeClock} sees the runtime once
   * its world is seeded and before virtual time starts, so a watcher misses nothing.
   */
  static LocalRuntime start(int port, double speed, Path template, Path scenarioFile, Instant start,
      Consumer<LocalRuntime> beforeClock) {
    Instant now = Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS);
    if (scenarioFile != null) {
      if (!Files.isRegularFile(scenarioFile)) {
        throw new IllegalArgumentException("no such scenario file: " + scenarioFile);
      }
      Scenario scenario = Scenario.load(scenarioFile);
      if (start != null) {
        scenario = scenario.withStart(start);
      } else if (!Scenario.setsStart(scenarioFile)) {
        scenario = scenario.withStart(now);
      }
      LocalRuntime runtime = ScenarioRunner.start(scenario,
          LocalRuntime.Options.of(scenario.template()).withPort(port).withRealTime(speed));
      try {
        ScenarioRunner.play(scenario, runtime);
        beforeClock.accept(runtime);
        runtime.startClock();
      } catch (RuntimeException e) {
        runtime.close();
        throw e;
      }
      return runtime;
    }
    if (!Files.isRegularFile(template)) {
      throw new IllegalArgumentException("no template at " + template.toAbsolutePath()
          + " (run from the repository root or pass --template)");
    }
    LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Options.of(template).withPort(port).withRealTime(speed)
        .withStart(start != null ? start : now)
        .withParameters(java.util.Map.of("SageMakerExecutionRoleArn",
            "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution")));
    try {
      beforeClock.accept(runtime);
      runtime.startClock();
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
    return runtime;
  }

  /** {@code --start}: an ISO-8601 instant, or {@code now}. */
  static Instant parseStart(String text) {
    if (text.equals("now")) {
      return Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS);
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--start must be an ISO-8601 instant like 2026-06-01T12:00:00Z, or now");
    }
  }

  /** The line {@code serve} prints about its clock. */
  static String clockLine(Simulation sim, double speed) {
    return String.format("virtual time %s (x%s; wall %s)", sim.now().truncatedTo(ChronoUnit.SECONDS), speed,
        Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return serve(args, out, err, new CountDownLatch(1), true);
  }

  /**
   * Serves until {@code stop} counts down; with {@code onCtrlC} a JVM shutdown hook counts it
   * down (the command line's way), else the caller does (a test's). Everything is closed before
   * it returns.
   */
  static int serve(String[] args, PrintStream out, PrintStream err, CountDownLatch stop, boolean onCtrlC) {
    int port = 4566;
    double speed = 1.0;
    Path scenarioFile = null;
    Path template = Path.of("template.yaml");
    Instant start = null;
    boolean quiet = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--port" -> port = Integer.parseInt(args[++i]);
          case "--speed" -> speed = Double.parseDouble(args[++i]);
          case "--template" -> template = Path.of(args[++i]);
          case "--start" -> start = parseStart(args[++i]);
          case "--quiet" -> quiet = true;
          default -> {
            if (args[i].startsWith("--") || scenarioFile != null) {
              err.println("serve: unexpected argument " + args[i] + "\n" + USAGE);
              return 2;
            }
            scenarioFile = Path.of(args[i]);
          }
        }
      }
    } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
      err.println("serve: " + e.getMessage() + "\n" + USAGE);
      return 2;
    }
    if (port < 0 || port > 65535 || !(speed > 0)) {
      err.println("serve: --port must be 0–65535 and --speed > 0\n" + USAGE);
      return 2;
    }
    LocalRuntime runtime;
    EventPrinter[] printer = new EventPrinter[1];
    boolean watch = !quiet;
    try {
      runtime = start(port, speed, template, scenarioFile, start, r -> {
        if (watch) {
          printer[0] = new EventPrinter(r.runtimeEvents(), out);
        }
      });
    } catch (ScenarioException e) {
      err.println("serve: invalid scenario " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException | dev.poolshift.local.template.TemplateException e) {
      err.println("serve: " + e.getMessage());
      return 2;
    } catch (IllegalStateException e) {
      err.println("serve: " + e.getMessage());
      return 1;
    }
    LocalRuntime running = runtime;
    double x = speed;
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "serve-clock");
      t.setDaemon(true);
      return t;
    });
    java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable shutdown = () -> {
      if (closed.compareAndSet(false, true)) {
        reporter.shutdownNow();
        if (printer[0] != null) {
          printer[0].close();
        }
        running.close();
      }
    };
    if (onCtrlC) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        shutdown.run();
        stop.countDown();
      }));
    }
    out.printf("Poolshift local AWS ready on %s (virtual time x%s, starting %s)%n", runtime.gateway().endpoint(),
        speed, runtime.simulation().start());
    out.printf("  %s%n", clockLine(runtime.simulation(), speed));
    out.printf("  aws --endpoint-url %s --region us-east-1 sagemaker list-endpoints%n", runtime.gateway().endpoint());
    out.printf("  state machine: %s%n", runtime.template().stateMachines().values().iterator().next().arn());
    out.println("  CloudWatch takes datapoints stamped up to two weeks before and two hours after the virtual time.");
    out.printf("  aws --endpoint-url %s --region us-east-1 logs tail --follow /aws/lambda/%s%n",
        runtime.gateway().endpoint(), tailExample(runtime));
    out.println("Ctrl-C to stop." + (quiet ? "" : " What happens is printed below (--quiet turns it off)."));
    out.flush();
    if (printer[0] != null) {
      printer[0].start();
    }
    reporter.scheduleAtFixedRate(() -> {
      out.println(clockLine(running.simulation(), x));
      out.flush();
    }, REPORT_EVERY_SECONDS, REPORT_EVERY_SECONDS, TimeUnit.SECONDS);
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    shutdown.run();
    return 0;
  }

  /** The function whose log group the banner suggests tailing: the rollout's steps, if the template has them. */
  private static String tailExample(LocalRuntime runtime) {
    var functions = runtime.template().functions();
    var steps = functions.get("RolloutStepsFunction");
    return (steps != null ? steps : functions.values().iterator().next()).name();
  }
}
