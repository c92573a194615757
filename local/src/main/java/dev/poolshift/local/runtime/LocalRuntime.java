package dev.poolshift.local.runtime;

import dev.poolshift.local.asl.InvalidDefinitionException;
import dev.poolshift.local.asl.TaskResources;
import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.cloudwatch.AlarmSnapshot;
import dev.poolshift.local.cloudwatch.CloudWatch;
import dev.poolshift.local.cloudwatch.CloudWatchService;
import dev.poolshift.local.cloudwatch.EmbeddedMetrics;
import dev.poolshift.local.cloudwatch.TrafficModel;
import dev.poolshift.local.cloudwatch.TrafficScenario;
import dev.poolshift.local.dynamodb.DynamoDbService;
import dev.poolshift.local.events.EventBus;
import dev.poolshift.local.events.EventBusSettings;
import dev.poolshift.local.events.EventsService;
import dev.poolshift.local.http.Gateway;
import dev.poolshift.local.http.InProcessTransport;
import dev.poolshift.local.iam.Iam;
import dev.poolshift.local.iam.Identities;
import dev.poolshift.local.iam.Principal;
import dev.poolshift.local.integrations.AwsSdkResource;
import dev.poolshift.local.integrations.LambdaInvokeResource;
import dev.poolshift.local.lambda.LambdaService;
import dev.poolshift.local.lambda.LambdaSettings;
import dev.poolshift.local.lambda.VirtualClockRetries;
import dev.poolshift.local.logs.CloudWatchLogs;
import dev.poolshift.local.logs.CloudWatchLogsService;
import dev.poolshift.local.observe.RuntimeEvent;
import dev.poolshift.local.observe.RuntimeEvents;
import dev.poolshift.local.sagemaker.SageMakerService;
import dev.poolshift.local.sagemaker.SageMakerWorld;
import dev.poolshift.local.sfn.StepFunctions;
import dev.poolshift.local.sfn.StepFunctionsService;
import dev.poolshift.local.sim.Simulation;
import dev.poolshift.local.sns.SnsService;
import dev.poolshift.local.autoscaling.ApplicationAutoScalingService;
import dev.poolshift.local.servicequotas.ServiceQuotasService;
import dev.poolshift.local.ssm.SsmService;
import dev.poolshift.local.template.StateMachineDef;
import dev.poolshift.local.template.TemplateException;
import dev.poolshift.local.template.SamTemplate;
import dev.poolshift.local.template.TemplateOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The whole local runtime, assembled from the real {@code template.yaml}: one virtual clock, one
 * loopback gateway for every service, and the template's functions, rules, tables and state
 * machines on top. The functions' SDK clients reach the gateway through the SDK's standard
 * endpoint override ({@code aws.endpointUrl}), set here for the JVM: the function code has no
 * local-mode branches.
 *
 * <p>One runtime is active per JVM at a time (the endpoint override and credentials are JVM-wide
 * system properties, as {@code AWS_ENDPOINT_URL} is process-wide on a real machine). Their retry
 * back-off waits on the virtual clock ({@link VirtualClockRetries}).
 */
public final class LocalRuntime implements AutoCloseable {
  /** The fake identity every local call is made with; the gateway does not check signatures. */
  public static final String ACCESS_KEY_ID = "AKIDPOOLSHIFTLOCAL";
  static final String SECRET_ACCESS_KEY = "poolshift-local-secret";

  /** How to start a runtime. */
  public record Options(Path template, Map<String, String> parameters, Instant start, Double realTimeSpeed,
      int port, boolean schedules, LambdaSettings lambda, EventBusSettings events, TrafficScenario traffic,
      boolean concurrentInstants, boolean loopback) {
    public static Options of(Path template) {
      return new Options(template, Map.of(), Simulation.DEFAULT_EPOCH, null, 0, true,
          LambdaSettings.DEFAULT, EventBusSettings.DEFAULT, TrafficScenario.idle(1), false, false);
    }

    /**
     * The functions' SDK calls go over the loopback socket and the HTTP server, as external
     * clients' do, instead of straight to the gateway ({@link InProcessTransport}).
     */
    public Options withLoopback(boolean on) {
      return new Options(template, parameters, start, realTimeSpeed, port, schedules, lambda, events, traffic,
          concurrentInstants, on);
    }

    /** Same-instant work runs in parallel ({@link Simulation#discreteConcurrent}): for benchmarks. */
    public Options withConcurrentInstants(boolean on) {
      return new Options(template, parameters, start, realTimeSpeed, port, schedules, lambda, events, traffic, on, loopback);
    }

    /** The requests the endpoints receive and how each model version answers them. */
    public Options withTraffic(TrafficScenario t) {
      return new Options(template, parameters, start, realTimeSpeed, port, schedules, lambda, events, t, concurrentInstants, loopback);
    }

    public Options withParameters(Map<String, String> p) {
      return new Options(template, p, start, realTimeSpeed, port, schedules, lambda, events, traffic, concurrentInstants, loopback);
    }

    public Options withStart(Instant s) {
      return new Options(template, parameters, s, realTimeSpeed, port, schedules, lambda, events, traffic, concurrentInstants, loopback);
    }

    /** Virtual time runs {@code speed} times faster than wall time (for {@code serve}). */
    public Options withRealTime(double speed) {
      return new Options(template, parameters, start, speed, port, schedules, lambda, events, traffic, concurrentInstants, loopback);
    }

    public Options withPort(int p) {
      return new Options(template, parameters, start, realTimeSpeed, p, schedules, lambda, events, traffic, concurrentInstants, loopback);
    }

    /** Whether scheduled rules (the reconciler's sweep) fire; without them a run can go idle. */
    public Options withSchedules(boolean on) {
      return new Options(template, parameters, start, realTimeSpeed, port, on, lambda, events, traffic, concurrentInstants, loopback);
    }

    public Options withLambda(LambdaSettings s) {
      return new Options(template, parameters, start, realTimeSpeed, port, schedules, s, events, traffic, concurrentInstants, loopback);
    }

    public Options withEvents(EventBusSettings s) {
      return new Options(template, parameters, start, realTimeSpeed, port, schedules, lambda, s, traffic, concurrentInstants, loopback);
    }
  }

  private final Simulation sim;
  private final RuntimeEvents runtimeEvents = new RuntimeEvents();
  private final CloudWatchLogs logs = new CloudWatchLogs();
  private final Gateway gateway;
  private final SamTemplate template;
  private final LambdaService lambda;
  private final EventBus events;
  private final StepFunctions stepFunctions;
  private final DynamoDbService dynamoDb;
  private final SageMakerService sageMaker;
  private final SsmService ssm;
  private final SnsService sns;
  private final CloudWatch cloudWatch;
  private final EmbeddedMetrics embeddedMetrics;
  private final TrafficModel traffic;
  private final ApplicationAutoScalingService autoScaling;
  private final ServiceQuotasService serviceQuotas;
  private final Iam iam;
  private final Map<String, String> previousProperties;
  private final AutoCloseable virtualRetries;
  private final AutoCloseable inProcess;

  private LocalRuntime(Options options) {
    // A real-time clock waits for start(): set-up takes wall seconds that must not become
    // virtual minutes of the scenario.
    sim = options.realTimeSpeed() == null
        ? (options.concurrentInstants() ? Simulation.discreteConcurrent(options.start()) : Simulation.discrete(options.start()))
        : Simulation.realTime(options.start(), options.realTimeSpeed(), true);
    gateway = Gateway.start(options.port());
    previousProperties = pointSdkClientsAt(gateway);
    // The functions' SDK back-off waits on this clock, jittered from the rehearsal's seed.
    virtualRetries = VirtualClockRetries.attach(sim, options.traffic().seed());
    // The functions' requests reach the gateway without a socket unless asked to take the wire.
    inProcess = options.loopback() ? null : InProcessTransport.attach(gateway);
    try {
      template = SamTemplate.load(options.template(), TemplateOptions.defaults().withParameters(options.parameters()));
      AwsContext aws = template.aws();
      // Each function and state machine signs as its own role, so IAM can tell who is calling.
      Identities identities = Identities.fromTemplate(template);
      lambda = LambdaService.fromTemplate(sim, template, options.lambda());
      // Every line a function writes goes to its log group, as Lambda sends it to CloudWatch Logs.
      lambda.addLogListener(line -> runtimeEvents.publish(new RuntimeEvent.LambdaLog(line.time(), line.functionName(),
          "/aws/lambda/" + line.functionName(), line.logStream(), line.requestId(), line.text())));
      runtimeEvents.subscribe(logs::record);
      lambda.useCredentials(f -> lambdaCredentials(identities.principal(f.logicalId()).credentials()));
      List<String> badHandlers = lambda.verifyHandlers();
      if (!badHandlers.isEmpty()) {
        throw new TemplateException("template functions cannot be run: " + String.join("; ", badHandlers));
      }
      AtomicReference<StepFunctions> sfn = new AtomicReference<>();
      AtomicReference<Iam> iamRef = new AtomicReference<>();
      events = EventBus.fromTemplate(sim, template, lambda,
          (arn, input) -> sfn.get().startExecution(arn, null, input).executionArn(), options.events());
      stepFunctions = new StepFunctions(sim,
          TaskResources.of(
              new LambdaInvokeResource(lambda, (execution, function) ->
                  iamRef.get().invokeRefusal(stateMachineOf(execution), function)),
              new AwsSdkResource(gateway::authorizedService, aws, execution ->
                  identities.principal(stateMachineOf(execution)).credentials().accessKeyId())),
          events, aws, runtimeEvents);
      sfn.set(stepFunctions);
      dynamoDb = new DynamoDbService(sim, aws);
      dynamoDb.createTables(template.tables().values());
      sageMaker = SageMakerService.create(sim, aws, events);
      ssm = new SsmService(sim, aws);
      sns = new SnsService(sim, aws, runtimeEvents);
      template.topics().values().forEach(t -> sns.createTopic(t.name()));
      cloudWatch = new CloudWatch(sim, events, aws);
      // CloudWatch Logs extracts the metrics of every EMF line a function writes.
      embeddedMetrics = new EmbeddedMetrics(cloudWatch);
      lambda.addLogListener(line -> embeddedMetrics.accept(line.time(), line.functionName(), line.text()));
      SageMakerWorld world = sageMaker.world();
      // SageMaker's own deployment guardrails read alarm states from the same CloudWatch.
      world.setAlarmStateSource(name -> cloudWatch.alarm(name).map(a -> a.state().name()).orElse(null));
      traffic = new TrafficModel(sim, cloudWatch.metrics(), new SageMakerTrafficSource(world), options.traffic());
      // Only the endpoints the change concerns: re-reading all of them made a fleet O(N²).
      world.onServingChangeOf(changed -> changed.forEach(traffic::servingChanged));
      traffic.start();
      gateway.register(new StepFunctionsService(stepFunctions));
      gateway.register(new EventsService(events));
      gateway.register(dynamoDb);
      gateway.register(sageMaker);
      gateway.register(ssm);
      gateway.register(sns);
      gateway.register(new CloudWatchService(cloudWatch));
      gateway.register(new CloudWatchLogsService(logs, aws));
      // Each side asks the other through one narrow question: SageMaker whether a variant is
      // registered (refusing instance-type changes), Application Auto Scaling whether a variant
      // exists (refusing to register a missing one).
      autoScaling = new ApplicationAutoScalingService(sim, aws, world::hasVariant);
      world.setScalableVariants(autoScaling::isVariantRegistered);
      gateway.register(autoScaling);
      // The quotas SageMaker enforces, as Service Quotas lists them.
      serviceQuotas = new ServiceQuotasService(aws, world);
      gateway.register(serviceQuotas);
      iam = new Iam(identities, sim::now, new Iam.Lookups(world::tagsOf,
          name -> cloudWatch.alarm(name).map(a -> a.definition().tags()),
          table -> template.tables().values().stream().filter(t -> t.name().equals(table)).findFirst()
              .flatMap(t -> t.keySchema().stream().filter(k -> k.keyType().equals("HASH")).findFirst())
              .map(k -> k.attributeName()).orElse(null),
          autoScaling::scalableTargetArn));
      iamRef.set(iam);
      gateway.authorizeWith(iam);
      for (StateMachineDef machine : template.stateMachines().values()) {
        try {
          stepFunctions.registerStateMachine(machine.name(), machine.definition(), machine.roleArn());
        } catch (InvalidDefinitionException e) {
          throw new TemplateException("state machine " + machine.logicalId() + " ("
              + machine.definitionFile() + ") is invalid: " + e.getMessage(), e);
        }
      }
      if (options.schedules()) {
        events.startSchedules();
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Starts virtual time of a real-time runtime (for {@code serve}) once its world is seeded:
   * first every function's container is initialised, as provisioned concurrency would, so a
   * handler's first-call class loading (wall seconds) does not cost virtual minutes at high speed.
   */
  public void startClock() {
    lambda.prewarm();
    sim.startClock();
  }

  /** The state machine an execution belongs to: {@code ...:execution:<machine>:<name>} → {@code ...:stateMachine:<machine>}. */
  private static String stateMachineOf(String executionArn) {
    String[] p = executionArn.split(":");
    return String.join(":", p[0], p[1], p[2], p[3], p[4]) + ":stateMachine:" + p[6];
  }

  private static LambdaSettings.Credentials lambdaCredentials(Principal.Credentials c) {
    return new LambdaSettings.Credentials(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
  }

  /** Starts a runtime for the template in {@code options}. */
  public static LocalRuntime start(Options options) {
    return new LocalRuntime(options);
  }

  /**
   * Points every SDK client built from now on at the gateway, with fixed fake credentials, through
   * the SDK's own system properties. Returns what was there before, for {@link #close()}.
   */
  private static Map<String, String> pointSdkClientsAt(Gateway gateway) {
    Map<String, String> wanted = Map.of(
        "aws.endpointUrl", gateway.endpoint().toString(),
        "aws.region", AwsContext.DEFAULT.region(),
        "aws.accessKeyId", ACCESS_KEY_ID,
        "aws.secretAccessKey", SECRET_ACCESS_KEY);
    Map<String, String> previous = new java.util.HashMap<>();
    wanted.forEach((k, v) -> {
      previous.put(k, System.getProperty(k));
      System.setProperty(k, v);
    });
    return previous;
  }

  public Simulation simulation() {
    return sim;
  }

  public Gateway gateway() {
    return gateway;
  }

  /**
   * What the runtime does as it happens (executions, states, function log lines, SNS messages),
   * for whoever watches: {@code serve} prints it.
   */
  public RuntimeEvents runtimeEvents() {
    return runtimeEvents;
  }

  /** The functions' log groups, as the CloudWatch Logs API serves them. */
  public CloudWatchLogs logs() {
    return logs;
  }

  public SamTemplate template() {
    return template;
  }

  public LambdaService lambda() {
    return lambda;
  }

  public EventBus events() {
    return events;
  }

  public StepFunctions stepFunctions() {
    return stepFunctions;
  }

  public DynamoDbService dynamoDb() {
    return dynamoDb;
  }

  public SageMakerWorld sageMaker() {
    return sageMaker.world();
  }

  /** Application Auto Scaling: register a variant's scalable target to rehearse with one. */
  public ApplicationAutoScalingService autoScaling() {
    return autoScaling;
  }

  /** Service Quotas: the endpoint-usage quotas of {@link #sageMaker()}, and faults to inject. */
  public ServiceQuotasService serviceQuotas() {
    return serviceQuotas;
  }

  public SsmService ssm() {
    return ssm;
  }

  public SnsService sns() {
    return sns;
  }

  public CloudWatch cloudWatch() {
    return cloudWatch;
  }

  /** The metrics CloudWatch Logs extracted from functions' EMF lines, and the lines it refused. */
  public EmbeddedMetrics embeddedMetrics() {
    return embeddedMetrics;
  }

  public TrafficModel traffic() {
    return traffic;
  }

  /**
   * IAM: every request a function or state machine makes is evaluated against its role's
   * policies; declare denials, switch to report-only, read the verdicts here.
   */
  public Iam iam() {
    return iam;
  }

  /** The ARN of the template's state machine with this logical id. */
  public String stateMachineArn(String logicalId) {
    StateMachineDef def = template.stateMachine(logicalId);
    if (def == null) {
      throw new IllegalArgumentException("no state machine " + logicalId + " in the template");
    }
    return def.arn();
  }

  /**
   * Whether nothing is left in motion: no execution running, no event on its way to a target, no
   * asynchronous invocation queued, no function running (a direct Invoke, e.g. an operator's
   * replay, counts too). (Timers such as the reconciler's schedule may remain.)
   */
  public boolean settled() {
    return stepFunctions.allExecutionsEnded() && events.inFlight() == 0
        && lambda.asyncEvents().stream().noneMatch(e -> e.status() == dev.poolshift.local.lambda.AsyncEvent.Status.QUEUED)
        && lambda.functions().stream().allMatch(f -> f.inFlight() == 0);
  }

  /** Runs the simulation until it has {@link #settled()} (or the virtual limit passes). */
  public boolean runUntilSettled(Instant limit) {
    return sim.runUntil(this::settled, limit);
  }

  @Override
  public void close() {
    if (traffic != null) {
      traffic.stop();
    }
    if (cloudWatch != null) {
      cloudWatch.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    sim.close();
    if (inProcess != null) {
      try {
        inProcess.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    if (virtualRetries != null) {
      try {
        virtualRetries.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    if (previousProperties != null) {
      previousProperties.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
    }
  }
}
