package dev.poolshift.aws;

import dev.poolshift.rollout.profile.ProfileDefaults;
import dev.poolshift.rollout.port.Alarms;
import dev.poolshift.rollout.port.Dashboards;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.InferenceComponents;
import dev.poolshift.rollout.port.ExecutionStarter;
import dev.poolshift.rollout.port.ExecutionStatus;
import dev.poolshift.rollout.port.InstanceQuotas;
import dev.poolshift.rollout.port.InstanceUsage;
import dev.poolshift.rollout.port.Ledger;
import dev.poolshift.rollout.port.Metrics;
import dev.poolshift.rollout.port.ModelRegistry;
import dev.poolshift.rollout.port.Notifier;
import dev.poolshift.rollout.port.ProfileStore;
import dev.poolshift.rollout.port.RolloutMetrics;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.ScalingTargets;
import dev.poolshift.rollout.port.TaskCallbacks;
import dev.poolshift.rollout.port.TrafficShifter;
import java.util.Map;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The real adapters, built from the environment. A handler's environment constructor does
 * {@code AwsAdapters.fromEnvironment(env)} and passes the ports it needs to its other
 * constructor. Each client is built on first use and then shared, so a function pays only for
 * the clients it uses, once per container; nothing here calls AWS or reads the clock.
 *
 * <p>Environment: {@code AWS_REGION} (required); {@code PROFILE_PARAMETER_PREFIX} (default
 * {@code /poolshift/profiles/}; the template's value has no trailing slash, one is added);
 * {@code DEFAULT_BAKE_SECONDS}, {@code DEFAULT_5XX_RATE_THRESHOLD}; and, required by the ports
 * that use them, {@code STATE_TABLE}, {@code LEDGER_TABLE}, {@code NOTIFICATION_TOPIC_ARN},
 * {@code STATE_MACHINE_ARN}.
 */
public final class AwsAdapters {
  public static final String PROFILE_PREFIX_VARIABLE = "PROFILE_PARAMETER_PREFIX";

  private final AwsClients.Settings settings;
  private final String profilePrefix;
  private final Map<String, String> env;
  private SageMakerClient sageMaker;
  private SsmClient ssm;
  private DynamoDbClient dynamoDb;
  private CloudWatchClient cloudWatch;
  private SnsClient sns;
  private SfnClient sfn;
  private ApplicationAutoScalingClient autoScaling;
  private ServiceQuotasClient serviceQuotas;
  private SageMakerEndpoints endpoints;

  public AwsAdapters(AwsClients.Settings settings, String profilePrefix) {
    this(settings, profilePrefix, Map.of());
  }

  private AwsAdapters(AwsClients.Settings settings, String profilePrefix,
      Map<String, String> env) {
    this.settings = settings;
    this.profilePrefix = profilePrefix.endsWith("/") ? profilePrefix : profilePrefix + "/";
    this.env = Map.copyOf(env);
  }

  public static AwsAdapters fromEnvironment(Map<String, String> env) {
    return new AwsAdapters(AwsClients.Settings.fromEnvironment(env),
        env.getOrDefault(PROFILE_PREFIX_VARIABLE, SsmProfileStore.DEFAULT_PREFIX), env);
  }

  public ModelRegistry modelRegistry() {
    return new SageMakerModelRegistry(sageMaker());
  }

  public synchronized Endpoints endpoints() {
    if (endpoints == null) {
      endpoints = new SageMakerEndpoints(sageMaker());
    }
    return endpoints;
  }

  public InferenceComponents inferenceComponents() {
    return new SageMakerInferenceComponents(sageMaker());
  }

  public TrafficShifter trafficShifter() {
    return new SageMakerTrafficShifter(sageMaker());
  }

  public ProfileStore profileStore() {
    return new SsmProfileStore(ssm(), profilePrefix, ProfileDefaults.fromEnvironment(env));
  }

  public RolloutStore rolloutStore() {
    return new DynamoRolloutStore(dynamoDb(), required("STATE_TABLE"));
  }

  public Ledger ledger() {
    return new DynamoLedger(dynamoDb(), required("LEDGER_TABLE"));
  }

  public Alarms alarms() {
    return new CloudWatchAlarms(cloudWatch());
  }

  public Metrics metrics() {
    return new CloudWatchMetrics(cloudWatch());
  }

  /** Poolshift's own metrics: EMF lines on stdout, which CloudWatch Logs extracts. */
  public RolloutMetrics rolloutMetrics() {
    return new PowertoolsRolloutMetrics();
  }

  /**
   * The per-endpoint dashboards. The partition and account for the alarm widgets' ARNs are read
   * from the notification topic's ARN when the function has it.
   */
  public Dashboards dashboards() {
    return new CloudWatchDashboards(cloudWatch(), settings.region().id(),
        optional("NOTIFICATION_TOPIC_ARN"));
  }

  public Notifier notifier() {
    return new SnsNotifier(sns(), required("NOTIFICATION_TOPIC_ARN"));
  }

  public ScalingTargets scalingTargets() {
    return new ApplicationAutoScalingTargets(autoScaling());
  }

  public InstanceQuotas instanceQuotas() {
    return new ServiceQuotasLimits(serviceQuotas());
  }

  public InstanceUsage instanceUsage() {
    return new SageMakerInstanceUsage(sageMaker(), endpoints());
  }

  public TaskCallbacks taskCallbacks() {
    return new StepFunctionsCallbacks(sfn());
  }

  public ExecutionStarter executionStarter() {
    return new StepFunctionsExecutions(sfn(), required("STATE_MACHINE_ARN"));
  }

  public ExecutionStatus executionStatus() {
    return new StepFunctionsExecutions(sfn(), required("STATE_MACHINE_ARN"));
  }

  /** A required variable of the function's environment; missing is a deployment error. */
  public String required(String variable) {
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(variable + " is not set in the function's environment");
    }
    return value;
  }

  public String optional(String variable) {
    String value = env.get(variable);
    return value == null || value.isBlank() ? null : value;
  }

  private synchronized SageMakerClient sageMaker() {
    if (sageMaker == null) {
      sageMaker = AwsClients.sageMaker(settings);
    }
    return sageMaker;
  }

  private synchronized SsmClient ssm() {
    if (ssm == null) {
      ssm = AwsClients.ssm(settings);
    }
    return ssm;
  }

  private synchronized DynamoDbClient dynamoDb() {
    if (dynamoDb == null) {
      dynamoDb = AwsClients.dynamoDb(settings);
    }
    return dynamoDb;
  }

  private synchronized CloudWatchClient cloudWatch() {
    if (cloudWatch == null) {
      cloudWatch = AwsClients.cloudWatch(settings);
    }
    return cloudWatch;
  }

  private synchronized SnsClient sns() {
    if (sns == null) {
      sns = AwsClients.sns(settings);
    }
    return sns;
  }

  private synchronized ApplicationAutoScalingClient autoScaling() {
    if (autoScaling == null) {
      autoScaling = AwsClients.applicationAutoScaling(settings);
    }
    return autoScaling;
  }

  private synchronized ServiceQuotasClient serviceQuotas() {
    if (serviceQuotas == null) {
      serviceQuotas = AwsClients.serviceQuotas(settings);
    }
    return serviceQuotas;
  }

  private synchronized SfnClient sfn() {
    if (sfn == null) {
      sfn = AwsClients.sfn(settings);
    }
    return sfn;
  }
}
