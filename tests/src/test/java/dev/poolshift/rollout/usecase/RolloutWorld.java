package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.usecase.support.ExecutionRef;
import dev.poolshift.rollout.usecase.support.Failure;
import dev.poolshift.rollout.usecase.support.PlanDocument;
import dev.poolshift.aws.Json;
import dev.poolshift.rollout.usecase.steps.Ports;
import dev.poolshift.rollout.usecase.steps.Settings;
import dev.poolshift.rollout.usecase.steps.StepInputs;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.endpoint.ManagedTag;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.profile.ProfileParser;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.port.VariantMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fraud-scoring endpoint of the examples, in fakes: profile from
 * {@code events/profiles/fraud-scoring.json}, endpoint on {@code ml.g5.2xlarge} running v41,
 * version 42 approved. {@link #call} builds a step input the way the workflow does.
 */
public final class RolloutWorld {
  public static final String ENDPOINT = "fraud-scoring-prod";
  public static final String GROUP = "fraud-scoring";
  public static final String ARN =
      "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/42";
  public static final String OLD_ARN =
      "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/41";
  public static final String BASELINE_CONFIG = "fraud-scoring-prod-cfg-v41";
  public static final String BASELINE_VARIANT = "AllTraffic";
  public static final String CANARY_VARIANT = "canary-v42";
  public static final String PREFIX = "poolshift-";
  public static final String GATE_ALARM = "fraud-scoring-prod-model-latency-p99";
  public static final ExecutionRef EXEC = new ExecutionRef("fraud-scoring-v42-0123456789ab",
      "arn:aws:states:us-east-1:111122223333:execution:poolshift-rollout:"
          + "fraud-scoring-v42-0123456789ab", "2026-06-01T12:00:00Z");
  /** Shaped like real task tokens (long base64): the log scan looks for exactly this shape. */
  public static final TaskToken WAIT_TOKEN = token("W");
  public static final TaskToken BAKE_TOKEN = token("B");
  public static final TaskToken HOLD_TOKEN = token("H");

  public final FakeSageMaker sageMaker = new FakeSageMaker();
  public final InMemoryRolloutStore store = new InMemoryRolloutStore();
  public final FakePorts.Profiles profiles = new FakePorts.Profiles();
  public final FakePorts.FakeAlarms alarms = new FakePorts.FakeAlarms();
  public final FakePorts.FakeMetrics metrics = new FakePorts.FakeMetrics();
  public final FakePorts.RecordingNotifier notifier = new FakePorts.RecordingNotifier();
  public final FakePorts.RecordingCallbacks callbacks = new FakePorts.RecordingCallbacks();
  public final FakePorts.InMemoryLedger ledger = new FakePorts.InMemoryLedger();
  public final FakePorts.FakeExecutions executions = new FakePorts.FakeExecutions();
  public final FakeInferenceComponents components = new FakeInferenceComponents();
  public final RolloutSteps steps;
  public Instant now = Instant.parse("2026-06-01T12:00:05Z");

  public RolloutWorld() {
    this(profile());
  }

  public RolloutWorld(DeploymentProfile profile) {
    profiles.byGroup.put(GROUP, profile);
    sageMaker.packages.put(FakeSageMaker.key(ARN), new ModelPackage(ARN, GROUP, 42, "Completed",
        "Approved", List.of("g6-int8"), Map.of()));
    Map<String, Object> carried = new LinkedHashMap<>();
    carried.put("ContainerStartupHealthCheckTimeoutInSeconds", 600);
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("team", "risk");
    tags.put(EndpointConfigSpec.MODEL_PACKAGE_TAG, OLD_ARN);
    sageMaker.configs.put(BASELINE_CONFIG, new EndpointConfigSpec(BASELINE_CONFIG,
        List.of(new VariantSpec(BASELINE_VARIANT, "fraud-scoring-v41", 2, "ml.g5.2xlarge",
            List.of(), null, 1.0, carried)), tags, Map.of()));
    sageMaker.endpointOn(ENDPOINT, BASELINE_CONFIG);
    // Handed to Poolshift: the plan refuses endpoints without the tag.
    sageMaker.endpointTags.put(ENDPOINT, Map.of(ManagedTag.KEY, ManagedTag.VALUE));
    steps = new RolloutSteps(new Settings(PREFIX,
        "arn:aws:iam::111122223333:role/sagemaker-fraud-scoring-execution", "poolshift-state"),
        new Ports(sageMaker, profiles, sageMaker, sageMaker, store, ledger, alarms,
            metrics, notifier, callbacks, null, null, null, null, null, null, components));
  }

  public static DeploymentProfile profile() {
    try {
      Object json = Json.parse(Files.readString(Path.of("events/profiles/fraud-scoring.json")));
      return ProfileParser.parse(json, "events/profiles/fraud-scoring.json");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TaskToken token(String tag) {
    return new TaskToken("AQCEAAAAKgAAAAMAAAAAAAAAA" + tag + "x9Qm2v7Yp0KjL3sT8wZbN4cR1eU6hGfD"
        + "5aXoIqPzVnWk+Jy/Ht0Bm1Ls2Cd3Ef4Gh5Ij6Kk7Ll8Mm9Nn0Oo1Pp2Qq3Rr4Ss5Tt6Uu7Vv8Ww9Xx0Yy"
        + "1Zz2Aa3Bb4Cc5Dd6Ee7Ff8Gg9Hh0Ii==");
  }

  /** A step input the way the workflow builds it. */
  public Call call(String step) {
    return new Call(step);
  }

  /** A history entry as it is stored: its JSON object, with {@code kind}. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> json(dev.poolshift.rollout.port.HistoryEntry entry) {
    return Json.MAPPER.convertValue(entry, Map.class);
  }

  /** Runs the step and gives its result as the workflow sees it: JSON, as Maps and Lists. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> runAsJson(Call c) {
    try {
      return (Map<String, Object>) Json.parse(Json.write(run(c)));
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the step the way the handler does: the payload as JSON, read as the step's input. */
  public Object run(Call c) {
    return steps.run(c.name(), c.reader());
  }

  public PlanDocument plan() {
    return (PlanDocument) run(call("plan").request(deployRequest()));
  }

  public static Map<String, Object> deployRequest() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("action", "deploy");
    r.put("modelPackageArn", ARN);
    r.put("trigger", Map.of("source", "registry-approval", "eventId", "ev-1",
        "by", "arn:aws:sts::111122223333:assumed-role/ml-ci/pipeline"));
    return r;
  }

  /** Plan, lock, models, canary config, update, and the canary fleet up on its preferred pool. */
  public PlanDocument canaryLive() {
    PlanDocument plan = canaryLiveUpdating();
    sageMaker.completeUpdate(ENDPOINT);
    return plan;
  }

  /** Plan, lock, models, canary config, and the update to it requested (still Updating). */
  public PlanDocument canaryLiveUpdating() {
    PlanDocument plan = plan();
    run(call("lock").plan(plan));
    run(call("createModels").plan(plan));
    run(call("createCanaryConfig").plan(plan));
    run(call("updateEndpoint").plan(plan).endpointConfigName(plan.canaryConfigName()));
    return plan;
  }

  /** {@link #canaryLive()} then step 0's weights applied. */
  public PlanDocument atFirstStep() {
    PlanDocument plan = canaryLive();
    run(call("shiftTraffic").plan(plan).stepIndex(0));
    sageMaker.completeWeights(ENDPOINT);
    return plan;
  }

  public void traffic(long invocations, long errors, Double p99Micros) {
    metrics.next = new VariantMetrics(invocations, errors, p99Micros);
  }

  /** One step invocation under construction. */
  public final class Call {
    private final String step;
    private Instant at;
    private PlanDocument plan;
    private ExecutionRef execution = EXEC;
    private Object request;
    private Integer stepIndex;
    private String phase;
    private TaskToken token;
    private String bakeStartedAt;
    private String endpointConfigName;
    private String reason;
    private Failure failure;
    private String outcome;
    private Object observation;
    private Instant movedAt;

    Call(String step) {
      this.step = step;
    }

    public Call at(Instant t) {
      at = t;
      return this;
    }

    public Call plan(PlanDocument p) {
      plan = p;
      return this;
    }

    public Call execution(ExecutionRef e) {
      execution = e;
      return this;
    }

    public Call request(Object r) {
      request = r;
      return this;
    }

    public Call stepIndex(int i) {
      stepIndex = i;
      return this;
    }

    public Call phase(String p) {
      phase = p;
      return this;
    }

    public Call token(TaskToken t) {
      token = t;
      return this;
    }

    public Call bakeStartedAt(Instant t) {
      bakeStartedAt = t.toString();
      return this;
    }

    public Call endpointConfigName(String n) {
      endpointConfigName = n;
      return this;
    }

    public Call reason(String r) {
      reason = r;
      return this;
    }

    public Call failure(Failure f) {
      failure = f;
      return this;
    }

    public Call outcome(String o) {
      outcome = o;
      return this;
    }

    public Call observation(Object o) {
      observation = o;
      return this;
    }

    public Call movedAt(Instant t) {
      movedAt = t;
      return this;
    }

    /** The step's name, for running this call on other steps (a second wiring under test). */
    public String name() {
      return step;
    }

    /** Reads this call's payload, as JSON, as a step's input: what the handler does. */
    public java.util.function.Function<Class<? extends StepInputs.Input>, StepInputs.Input> reader() {
      byte[] bytes = Json.writeBytes(payload());
      return type -> Json.read(bytes, type);
    }

    /** The payload as the state machine sends it: only the fields this call set. */
    public Map<String, Object> payload() {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("step", step);
      p.put("now", (at == null ? now : at).toString());
      put(p, "plan", plan);
      put(p, "execution", execution);
      put(p, "request", request);
      put(p, "stepIndex", stepIndex);
      put(p, "phase", phase);
      put(p, "taskToken", token == null ? null : token.reveal());
      put(p, "bakeStartedAt", bakeStartedAt);
      put(p, "endpointConfigName", endpointConfigName);
      put(p, "reason", reason);
      put(p, "failure", failure);
      put(p, "outcome", outcome);
      put(p, "observation", observation);
      put(p, "movedAt", movedAt == null ? null : movedAt.toString());
      return p;
    }

    private static void put(Map<String, Object> p, String key, Object value) {
      if (value != null) {
        p.put(key, value);
      }
    }
  }
}
