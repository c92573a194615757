package dev.poolshift.aws;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Builds the SDK clients: explicit region, the one light HTTP client (URL connection), the
 * role's credentials from the function's environment. Endpoint overrides are left to the SDK's
 * standard {@code AWS_ENDPOINT_URL[_<SERVICE>]} variables and {@code aws.endpointUrl*}
 * properties, which is how the local runtime points the functions at itself; there is no
 * local-mode code here. Every client applies the {@link ClientTuning}s on the class path first:
 * the deployment package has none; the local runtime's move the retry back-off onto its clock and
 * hand requests to its gateway without a socket.
 *
 * <p>Nothing here calls AWS or reads the clock, so clients may be built during SnapStart's init
 * phase.
 */
public final class AwsClients {
  /**
   * What every client shares. Tests pass a stub HTTP client and static credentials.
   *
   * @param tuning applied to every client's override configuration first: the {@link ClientTuning}s
   *     on the class path (none in the deployment package)
   */
  public record Settings(Region region, SdkHttpClient httpClient,
      AwsCredentialsProvider credentials, List<ClientTuning> tuning) {

    public Settings {
      tuning = List.copyOf(tuning);
    }

    /** The SDK's own client settings, nothing tuned. */
    public Settings(Region region, SdkHttpClient httpClient, AwsCredentialsProvider credentials) {
      this(region, httpClient, credentials, List.of());
    }

    void tune(ClientOverrideConfiguration.Builder overrides) {
      tuning.forEach(t -> t.tune(overrides));
    }

    /**
     * From the Lambda environment: {@code AWS_REGION} (set by Lambda), falling back to
     * {@code AWS_DEFAULT_REGION}; the role's credentials from the same environment, else the
     * default chain (see {@link EnvironmentCredentials}).
     */
    public static Settings fromEnvironment(Map<String, String> env) {
      String region = env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
      if (region == null || region.isBlank()) {
        throw new IllegalStateException("AWS_REGION is not set: clients need an explicit region");
      }
      List<ClientTuning> tuning = ServiceLoader.load(ClientTuning.class, AwsClients.class.getClassLoader()).stream()
          .map(ServiceLoader.Provider::get).toList();
      SdkHttpClient http = UrlConnectionHttpClient.builder().build();
      for (ClientTuning t : tuning) {
        http = t.httpClient(http);
      }
      return new Settings(Region.of(region), http,
          new EnvironmentCredentials(Map.copyOf(env), DefaultCredentialsProvider.builder().build()), tuning);
    }
  }

  private AwsClients() {}

  /**
   * SageMaker, with the wire patch for the fields SDK 2.40.2 lacks (instance pools), and its calls
   * counted ({@link SageMakerCallCount}).
   */
  public static SageMakerClient sageMaker(Settings s) {
    return SageMakerClient.builder()
        .region(s.region())
        .httpClient(s.httpClient())
        .credentialsProvider(s.credentials())
        .overrideConfiguration(c -> {
          s.tune(c);
          c.addExecutionInterceptor(new InstancePoolsWirePatch())
              .addExecutionInterceptor(new SageMakerCallCount());
        })
        .build();
  }

  public static SsmClient ssm(Settings s) {
    return SsmClient.builder()
        .region(s.region())
        .httpClient(s.httpClient())
        .credentialsProvider(s.credentials())
        .overrideConfiguration(s::tune)
        .build();
  }

  public static DynamoDbClient dynamoDb(Settings s) {
    return DynamoDbClient.builder()
        .region(s.region())
        .httpClient(s.httpClient())
        .credentialsProvider(s.credentials())
        .overrideConfiguration(s::tune)
        .build();
  }

  public static CloudWatchClient cloudWatch(Settings s) {
    return CloudWatchClient.builder()
        .region(s.region())
        .httpClient(s.httpClient())
        .credentialsProvider(s.credentials())
        .overrideConfiguration(s::tune)
        .build();
  }

  public static SnsClient sns(Settings s) {
    return SnsClient.builder()
        .region(s.region())
        .httpClient(s.httpClient())
        .credentialsProvider(s.credentials())
        .overrideConfiguration(s::tune)
        .build();
  }

  public static SfnClient sfn(Settings s) {
    return SfnClient.builder()
        .region(s.region())
        .httpClient(s.httpClient())
        .credentialsProvider(s.credentials())
        .overrideConfiguration(s::tune)
        .build();
  }

  public static ApplicationAutoScalingClient applicationAutoScaling(Settings s) {
    return ApplicationAutoScalingClient.builder()
        .region(s.region())
        .httpClient(s.httpClient())
        .credentialsProvider(s.credentials())
        .overrideConfiguration(s::tune)
        .build();
  }

  public static ServiceQuotasClient serviceQuotas(Settings s) {
    return ServiceQuotasClient.builder()
        .region(s.region())
        .httpClient(s.httpClient())
        .credentialsProvider(s.credentials())
        .overrideConfiguration(s::tune)
        .build();
  }
}
