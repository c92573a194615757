package dev.poolshift.aws;

import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.ModelRegistry;
import dev.poolshift.rollout.port.ProfileStore;
import dev.poolshift.rollout.port.TrafficShifter;
import java.util.Map;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The real adapters, built from the environment. A handler's no-arg constructor (the one Lambda
 * calls) does {@code AwsAdapters.fromEnvironment(System.getenv())} and passes the ports it needs
 * to its other constructor. Each client is built on first use and then shared, so a function
 * pays only for the clients it uses, once per container.
 *
 * <p>Environment: {@code AWS_REGION} (required), {@code PROFILE_PARAMETER_PREFIX} (default
 * {@code /poolshift/profiles/}).
 */
public final class AwsAdapters {
  public static final String PROFILE_PREFIX_VARIABLE = "PROFILE_PARAMETER_PREFIX";

  private final AwsClients.Settings settings;
  private final String profilePrefix;
  private SageMakerClient sageMaker;
  private SsmClient ssm;
  private SageMakerEndpoints endpoints;

  public AwsAdapters(AwsClients.Settings settings, String profilePrefix) {
    this.settings = settings;
    this.profilePrefix = profilePrefix;
  }

  public static AwsAdapters fromEnvironment(Map<String, String> env) {
    return new AwsAdapters(AwsClients.Settings.fromEnvironment(env),
        env.getOrDefault(PROFILE_PREFIX_VARIABLE, SsmProfileStore.DEFAULT_PREFIX));
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

  public TrafficShifter trafficShifter() {
    return new SageMakerTrafficShifter(sageMaker(), endpoints());
  }

  public ProfileStore profileStore() {
    return new SsmProfileStore(ssm(), profilePrefix);
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
}
