package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

class AwsAdaptersTest {
  @Test
  void buildsEveryAdapterFromTheEnvironmentWithoutCallingAws() {
    AwsAdapters adapters = AwsAdapters.fromEnvironment(Map.of("AWS_REGION", "eu-west-1"));

    assertThat(adapters.modelRegistry()).isInstanceOf(SageMakerModelRegistry.class);
    assertThat(adapters.endpoints()).isInstanceOf(SageMakerEndpoints.class);
    assertThat(adapters.trafficShifter()).isInstanceOf(SageMakerTrafficShifter.class);
    assertThat(adapters.profileStore()).isInstanceOf(SsmProfileStore.class);
  }

  @Test
  void theRegionComesFromTheEnvironmentAndTheHttpClientIsUrlConnection() {
    AwsClients.Settings s = AwsClients.Settings.fromEnvironment(Map.of("AWS_DEFAULT_REGION", "ap-southeast-2"));

    assertThat(s.region()).isEqualTo(Region.AP_SOUTHEAST_2);
    // On this class path the local runtime's in-process transport wraps it (and names the wire
    // client it falls back to); the deployment package declares no tuning and keeps it bare.
    assertThat(s.httpClient().clientName()).isEqualTo(UrlConnectionHttpClient.create().clientName());
  }

  @Test
  void withoutARegionTheFactoryRefusesToGuess() {
    assertThatThrownBy(() -> AwsAdapters.fromEnvironment(Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AWS_REGION");
  }

  @Test
  void theProfilePrefixCanBeChanged() {
    AwsAdapters adapters = AwsAdapters.fromEnvironment(Map.of("AWS_REGION", "us-east-1",
        AwsAdapters.PROFILE_PREFIX_VARIABLE, "/staging/profiles/"));

    assertThat(((SsmProfileStore) adapters.profileStore()).parameterName("churn"))
        .isEqualTo("/staging/profiles/churn");
  }

  @Test
  void theTemplatesPrefixWithoutATrailingSlashStillNamesTheGroupsParameter() {
    AwsAdapters adapters = AwsAdapters.fromEnvironment(Map.of("AWS_REGION", "us-east-1",
        AwsAdapters.PROFILE_PREFIX_VARIABLE, "/poolshift/profiles"));

    assertThat(((SsmProfileStore) adapters.profileStore()).parameterName("fraud-scoring"))
        .isEqualTo("/poolshift/profiles/fraud-scoring");
  }

  @Test
  void theCoordinationAdaptersComeFromTheirVariablesAndAMissingOneIsNamed() {
    AwsAdapters adapters = AwsAdapters.fromEnvironment(Map.of("AWS_REGION", "us-east-1",
        "STATE_TABLE", "s", "LEDGER_TABLE", "l", "NOTIFICATION_TOPIC_ARN", "t",
        "STATE_MACHINE_ARN", "m"));

    assertThat(adapters.rolloutStore()).isInstanceOf(DynamoRolloutStore.class);
    assertThat(adapters.ledger()).isInstanceOf(DynamoLedger.class);
    assertThat(adapters.alarms()).isInstanceOf(CloudWatchAlarms.class);
    assertThat(adapters.metrics()).isInstanceOf(CloudWatchMetrics.class);
    assertThat(adapters.notifier()).isInstanceOf(SnsNotifier.class);
    assertThat(adapters.taskCallbacks()).isInstanceOf(StepFunctionsCallbacks.class);
    assertThat(adapters.executionStarter()).isInstanceOf(StepFunctionsExecutions.class);
    assertThatThrownBy(() -> AwsAdapters.fromEnvironment(Map.of("AWS_REGION", "us-east-1"))
        .rolloutStore()).isInstanceOf(IllegalStateException.class)
        .hasMessage("STATE_TABLE is not set in the function's environment");
  }
}
