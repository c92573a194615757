package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.LocalClients;
import dev.poolshift.rollout.EndpointLockedException;
import dev.poolshift.rollout.ProfileNotFoundException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.canary.AlarmState;
import dev.poolshift.rollout.plan.CanaryAlarms;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.AlarmMapping;
import dev.poolshift.rollout.port.AlarmStatus;
import dev.poolshift.rollout.port.CallbackResult;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.port.Notification;
import dev.poolshift.rollout.usecase.RolloutWorld;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The adapters against a real AWS-compatible endpoint rather than a stub: {@code
 * POOLSHIFT_AWS_ENDPOINT=http://localhost:4566} aims them at LocalStack (its free tier serves
 * every service here) or at {@code ./poolshift serve}; without the variable the class is skipped.
 * Each test makes what it needs under a fresh name and removes it, so a shared endpoint is fine.
 *
 * <p>The set is the adapters whose contract is the service's behaviour, not just its wire shape:
 * the store's conditional transaction, the profile store's not-found, Publish, callbacks with a
 * token no task holds, alarms put, read and deleted. SageMaker is left out: LocalStack serves it
 * only in its paid tier.
 */
@EnabledIfEnvironmentVariable(named = ExternalEndpointContractTest.VARIABLE, matches = "https?://.+")
class ExternalEndpointContractTest {
  static final String VARIABLE = "POOLSHIFT_AWS_ENDPOINT";
  private static final Instant T = Instant.parse("2026-06-01T12:00:05Z");

  private final URI endpoint = URI.create(System.getenv(VARIABLE));
  private final String run = "poolshift-contract-" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void theRolloutStoreLocksOnceAndRefusesASecondOwner() {
    try (DynamoDbClient dynamo = LocalClients.against(DynamoDbClient.builder(), endpoint)) {
      dynamo.createTable(b -> b.tableName(run).billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
              a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
          .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
      try {
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(run));
        DynamoRolloutStore store = new DynamoRolloutStore(dynamo, run);

        store.lock(lock("run-1"), rollout("run-1"), List.of(new AlarmMapping(run + "-5xx", "ep", "run-1")));

        assertThat(store.lockOf("ep")).get().extracting(EndpointLock::owner).isEqualTo("run-1");
        assertThat(store.alarmMapping(run + "-5xx")).isPresent();
        assertThatThrownBy(() -> store.lock(lock("run-2"), rollout("run-2"), List.of()))
            .isInstanceOf(EndpointLockedException.class);
        assertThat(store.unlock("ep", "run-2")).isFalse();
        assertThat(store.unlock("ep", "run-1")).isTrue();
      } finally {
        dynamo.deleteTable(b -> b.tableName(run));
      }
    }
  }

  @Test
  void theProfileStoreReadsAProfileAndTellsAMissingOne() throws Exception {
    try (SsmClient ssm = LocalClients.against(SsmClient.builder(), endpoint)) {
      String prefix = "/" + run + "/profiles/";
      String profile = Files.readString(Path.of("events/profiles/fraud-scoring.json"));
      ssm.putParameter(b -> b.name(prefix + "fraud-scoring").type(ParameterType.STRING).value(profile));
      try {
        SsmProfileStore store = new SsmProfileStore(ssm, prefix);

        assertThat(store.load("fraud-scoring").endpointName()).isEqualTo("fraud-scoring-prod");
        assertThatThrownBy(() -> store.load("churn")).isInstanceOf(ProfileNotFoundException.class);
      } finally {
        ssm.deleteParameter(b -> b.name(prefix + "fraud-scoring"));
      }
    }
  }

  @Test
  void theNotifierPublishesOnATopic() {
    try (SnsClient sns = LocalClients.against(SnsClient.builder(), endpoint)) {
      String topic = sns.createTopic(b -> b.name(run)).topicArn();
      try {
        new SnsNotifier(sns, topic).publish(new Notification("Poolshift: ep promoted", "line 1\nline 2"));
      } finally {
        sns.deleteTopic(b -> b.topicArn(topic));
      }
    }
  }

  @Test
  void aCallbackWithATokenNoTaskHoldsIsAnAnswerNotAnError() {
    try (SfnClient sfn = LocalClients.against(SfnClient.builder(), endpoint)) {
      StepFunctionsCallbacks callbacks = new StepFunctionsCallbacks(sfn);
      TaskToken nobodys = new TaskToken("AQCEAAAAKgAAAAMAAAAAAAAAA" + run);

      assertThat(callbacks.succeed(nobodys, Map.of("ok", true)))
          .isIn(CallbackResult.INVALID_TOKEN, CallbackResult.TASK_DOES_NOT_EXIST);
      assertThat(callbacks.fail(nobodys, "Poolshift.Test", "contract"))
          .isIn(CallbackResult.INVALID_TOKEN, CallbackResult.TASK_DOES_NOT_EXIST);
    }
  }

  @Test
  void canaryAlarmsArePutReadAndDeleted() {
    try (CloudWatchClient cloudWatch = LocalClients.against(CloudWatchClient.builder(), endpoint)) {
      CloudWatchAlarms alarms = new CloudWatchAlarms(cloudWatch);
      List<AlarmSpec> specs = CanaryAlarms.forRollout(run + "-", new RolloutWorld().plan().rollout());
      List<String> names = specs.stream().map(AlarmSpec::name).toList();
      specs.forEach(alarms::put);
      try {
        Map<String, AlarmStatus> states = alarms.describe(names);

        assertThat(states).containsOnlyKeys(names);
        assertThat(states.values()).extracting(AlarmStatus::state).doesNotContainNull()
            .allMatch(s -> s == AlarmState.INSUFFICIENT_DATA || s == AlarmState.OK || s == AlarmState.ALARM);
      } finally {
        alarms.delete(names);
      }
      assertThat(alarms.describe(names)).isEmpty();
    }
  }

  private static EndpointLock lock(String owner) {
    return new EndpointLock("ep", owner, "arn:exec", "arn:pkg", T);
  }

  private static ActiveRollout rollout(String owner) {
    return new ActiveRollout("ep", owner, "arn:exec", "arn:pkg", "cfg-41", "AllTraffic", 1.0, "cfg-canary",
        "canary-v42", "cfg-final", List.of("m1"), List.of("a1"), List.of("a1"), null, T, RolloutPhase.LOCKED, null,
        null, List.of());
  }
}
