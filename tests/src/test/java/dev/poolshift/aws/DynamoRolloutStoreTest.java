package dev.poolshift.aws;

import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.Trigger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.aws.StubHttp.Reply;
import dev.poolshift.rollout.EndpointLockedException;
import dev.poolshift.rollout.plan.ExecutionRequest;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.TransientServiceException;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.AlarmMapping;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.port.ScalingTargets;
import dev.poolshift.rollout.port.StopRequest;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.TokenRegistration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class DynamoRolloutStoreTest {
  private static final Instant T = Instant.parse("2026-06-01T12:00:05Z");
  private static final TaskToken TOKEN = new TaskToken("AQCEAAAAKgAAAAMAAAAAAAAAAbake-token-value");
  private final StubHttp http = new StubHttp();
  private final DynamoRolloutStore store =
      new DynamoRolloutStore(AwsClients.dynamoDb(http.settings()), "poolshift-state");

  @Test
  void theLockTheRolloutAndItsAlarmMappingsAreOneConditionalTransaction() {
    http.then(Reply.ok("{}"));

    store.lock(lock("run-42"), rollout("run-42"), List.of(
        new AlarmMapping("poolshift-ep-canary-v42-5xx-rate", "ep", "run-42")));

    Map<String, Object> body = http.only("TransactWriteItems").json();
    List<?> items = (List<?>) body.get("TransactItems");
    assertThat(items).hasSize(3);
    assertThat(put(items, 0)).containsEntry("TableName", "poolshift-state")
        .containsEntry("ConditionExpression", "attribute_not_exists(pk) OR #owner = :owner")
        .containsEntry("ExpressionAttributeNames", Map.of("#owner", "owner"))
        .containsEntry("ExpressionAttributeValues", Map.of(":owner", Map.of("S", "run-42")))
        .containsEntry("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
    assertThat(item(items, 0)).containsEntry("pk", Map.of("S", "ENDPOINT#ep"))
        .containsEntry("sk", Map.of("S", "LOCK")).containsEntry("owner", Map.of("S", "run-42"));
    assertThat(item(items, 1)).containsEntry("sk", Map.of("S", "ROLLOUT"))
        .containsEntry("phase", Map.of("S", "locked"))
        .containsEntry("baselineWeight", Map.of("N", "1.0"));
    assertThat(item(items, 2))
        .containsEntry("pk", Map.of("S", "ALARM#poolshift-ep-canary-v42-5xx-rate"))
        .containsEntry("endpointName", Map.of("S", "ep"));
  }

  @Test
  void aSightingIsOneConditionalWriteThatACopyFailsAndARetryOfTheSameEventPasses() {
    http.then(Reply.ok("{}"), Reply.error(400, "ConditionalCheckFailedException", "The conditional request failed"));

    assertThat(store.firstSighting("ep", "IN_SERVICE@1780315877100@ep-config", "event-1", T)).isTrue();
    assertThat(store.firstSighting("ep", "IN_SERVICE@1780315877100@ep-config", "event-2", T)).isFalse();

    Map<String, Object> update = http.sent().get(0).json();
    assertThat(update).containsEntry("Key", Map.of("pk", Map.of("S", "ENDPOINT#ep"),
        "sk", Map.of("S", "SEEN#IN_SERVICE@1780315877100@ep-config")));
    assertThat(update.get("ConditionExpression")).isEqualTo("attribute_not_exists(pk) OR eventId = :id");
    assertThat(update.get("ExpressionAttributeValues")).isEqualTo(Map.of(
        ":id", Map.of("S", "event-1"), ":exp", Map.of("N", String.valueOf(T.getEpochSecond() + 3600))));
  }

  @Test
  void aSettleNoteIsOneItemWithAnExpiryAndIsTakenByOneDeleteThatReturnsIt() {
    http.then(Reply.ok("{}"), Reply.ok("""
        {"Attributes": {"pk": {"S": "ENDPOINT#ep"}, "sk": {"S": "SETTLED"},
          "settledAt": {"S": "2026-06-01T12:00:05Z"}, "expiresAt": {"N": "1780318805"}}}
        """), Reply.ok("{}"));

    store.markSettled("ep", T);
    assertThat(store.takeSettled("ep")).contains(T);
    assertThat(store.takeSettled("ep")).isEmpty();

    Map<String, Object> update = http.sent().get(0).json();
    assertThat(update).containsEntry("Key", Map.of("pk", Map.of("S", "ENDPOINT#ep"),
        "sk", Map.of("S", "SETTLED")));
    assertThat(update.get("UpdateExpression")).isEqualTo("SET settledAt = :at, expiresAt = :exp");
    assertThat(update.get("ExpressionAttributeValues")).isEqualTo(Map.of(
        ":at", Map.of("S", T.toString()), ":exp", Map.of("N", String.valueOf(T.getEpochSecond() + 3600))));
    assertThat(http.sent().get(1).json()).containsEntry("ReturnValues", "ALL_OLD");
  }

  @Test
  void theKeptAutoScalingSetupIsOneJsonStringOnTheOwnersLockAndReadsBackExactly() {
    ScalingTargets.ScalingSetup setup = new ScalingTargets.ScalingSetup("ep", "AllTraffic", 2, 6,
        Map.of("ScheduledScalingSuspended", true), List.of(new ScalingTargets.ScalingPolicySetup("p",
            "TargetTrackingScaling", Map.of("TargetTrackingScalingPolicyConfiguration",
                Map.of("TargetValue", 0.7, "ScaleInCooldown", 300, "DisableScaleIn", false)))));
    http.then(Reply.ok("{}"));

    assertThat(store.keepScaling("ep", "run-42", setup)).isTrue();

    Map<String, Object> update = http.only("UpdateItem").json();
    assertThat(update).containsEntry("Key", Map.of("pk", Map.of("S", "ENDPOINT#ep"), "sk", Map.of("S", "LOCK")))
        .containsEntry("ConditionExpression", "#owner = :owner");
    @SuppressWarnings("unchecked")
    String json = ((Map<String, Map<String, String>>) update.get("ExpressionAttributeValues")).get(":scaling").get("S");
    http.then(Reply.ok("{\"Item\": {\"pk\": {\"S\": \"ENDPOINT#ep\"}, \"sk\": {\"S\": \"LOCK\"},"
        + " \"owner\": {\"S\": \"run-42\"}, \"executionArn\": {\"S\": \"arn:x\"},"
        + " \"modelPackageArn\": {\"S\": \"arn:p\"}, \"acquiredAt\": {\"S\": \"2026-06-01T11:00:00Z\"},"
        + " \"scaling\": {\"S\": " + dev.poolshift.aws.Json.MAPPER.valueToTree(json) + "}}}"));
    assertThat(store.lockOf("ep").orElseThrow().scaling()).isEqualTo(setup);
  }

  @Test
  void aKeptSetupWithScheduledActionsReadsBackExactlyAndOneKeptBeforeThemStillLoads() {
    ScalingTargets.ScalingSetup setup = new ScalingTargets.ScalingSetup("ep", "AllTraffic", 2, 6, Map.of(),
        List.of(), List.of(new ScalingTargets.ScheduledActionSetup("morning-peak", Map.of(
            "Schedule", "cron(0 8 * * ? *)", "Timezone", "Europe/Berlin", "StartTime", "2026-01-01T00:00:00Z",
            "EndTime", "2027-01-01T00:00:00.250Z", "ScalableTargetAction", Map.of("MinCapacity", 4, "MaxCapacity", 8)))));

    assertThat(ScalingSetupJson.read(ScalingSetupJson.write(setup))).isEqualTo(setup);
    ScalingTargets.ScalingSetup old = ScalingSetupJson.read("{\"endpointName\":\"ep\",\"variantName\":\"AllTraffic\","
        + "\"minCapacity\":2,\"maxCapacity\":6,\"suspendedState\":{},\"policies\":[]}");
    assertThat(old.scheduledActions()).isEmpty();
    assertThat(old.minCapacity()).isEqualTo(2);
  }

  @Test
  void anotherExecutionsLockKeepsNoAutoScalingSetup() {
    http.then(Reply.error(400, "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
        "The conditional request failed"));

    assertThat(store.keepScaling("ep", "run-42", new ScalingTargets.ScalingSetup("ep", "AllTraffic", 1, 2,
        Map.of(), List.of()))).isFalse();
  }

  @Test
  void aFailedLockConditionIsEndpointLockedNamingTheHolder() {
    http.then(new Reply(400, """
        {"__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
         "message": "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]",
         "CancellationReasons": [
           {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed",
            "Item": {"pk": {"S": "ENDPOINT#ep"}, "sk": {"S": "LOCK"}, "owner": {"S": "run-41"}}},
           {"Code": "None"}]}
        """, false));

    assertThatThrownBy(() -> store.lock(lock("run-42"), rollout("run-42"), List.of()))
        .isInstanceOf(EndpointLockedException.class)
        .hasMessage("endpoint ep locked by execution run-41")
        .satisfies(e -> assertThat(((EndpointLockedException) e).holder()).isEqualTo("run-41"));
  }

  @Test
  void withoutTheOldItemInTheAnswerTheHolderIsReadBack() {
    http.then(new Reply(400, """
        {"__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
         "message": "Transaction cancelled",
         "CancellationReasons": [{"Code": "ConditionalCheckFailed"}, {"Code": "None"}]}
        """, false), Reply.ok("""
        {"Item": {"pk": {"S": "ENDPOINT#ep"}, "sk": {"S": "LOCK"}, "owner": {"S": "run-41"},
                  "executionArn": {"S": "arn:x"}, "modelPackageArn": {"S": "arn:p"},
                  "acquiredAt": {"S": "2026-06-01T11:00:00Z"}}}
        """));

    assertThatThrownBy(() -> store.lock(lock("run-42"), rollout("run-42"), List.of()))
        .isInstanceOf(EndpointLockedException.class)
        .hasMessage("endpoint ep locked by execution run-41");
    assertThat(http.only("GetItem").json()).containsEntry("ConsistentRead", true);
  }

  @Test
  void aTransactionConflictIsTransient() {
    http.then(new Reply(400, """
        {"__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
         "message": "Transaction cancelled",
         "CancellationReasons": [{"Code": "TransactionConflict"}, {"Code": "None"}]}
        """, false));

    assertThatThrownBy(() -> store.lock(lock("run-42"), rollout("run-42"), List.of()))
        .isInstanceOf(TransientServiceException.class)
        .hasMessageContaining("TransactionConflict");
  }

  @Test
  void aTokenIsDeletedOnlyWhileItIsStillTheOneParked() {
    http.then(Reply.ok("{}"), Reply.error(400,
        "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
        "The conditional request failed"));

    boolean first = store.deregister("ep", TokenKind.BAKE, TOKEN);
    boolean second = store.deregister("ep", TokenKind.BAKE, TOKEN);

    assertThat(first).isTrue();
    assertThat(second).isFalse();
    assertThat(http.sent().getFirst().json()).containsEntry("ConditionExpression", "#token = :token")
        .containsEntry("Key", Map.of("pk", Map.of("S", "ENDPOINT#ep"), "sk", Map.of("S", "BAKE")));
  }

  @Test
  void aParkedTokenRoundTripsAndNeverShowsInItsToString() {
    TokenRegistration r = new TokenRegistration("ep", TokenKind.WAIT, "run-42", TOKEN,
        RolloutPhase.CANARY_FLEET, null, T, null, T.plusSeconds(90_000));
    http.then(Reply.ok("{}"));
    store.register(r);
    @SuppressWarnings("unchecked")
    Map<String, Object> item = (Map<String, Object>) http.only("PutItem").json().get("Item");
    http.then(Reply.ok(Json.write(Map.of("Item", item))));

    TokenRegistration back = store.registration("ep", TokenKind.WAIT).orElseThrow();

    assertThat(item).containsEntry("expiresAt", Map.of("N", String.valueOf(T.getEpochSecond() + 90_000)));
    assertThat(back).isEqualTo(r);
    assertThat(back.toString()).doesNotContain(TOKEN.reveal()).contains("TaskToken[redacted]");
  }

  @Test
  void theActiveRolloutRoundTripsWithItsStopRequestAndHistory() {
    ActiveRollout r = new ActiveRollout("ep", "run-42", "arn:exec", "arn:pkg", "cfg-41",
        "AllTraffic", 1.0, "cfg-canary", "canary-v42", "cfg-final", List.of("m1", "m2"),
        List.of("a1", "gate"), List.of("a1"), new Trigger("console", "alice", null),
        T, RolloutPhase.CANARY_WEIGHTS, 1,
        new StopRequest("dev.poolshift.rollout.CanaryAlarmException", "alarm a1", T),
        List.of(new HistoryEntry.Shifted(T, 0, 10, Map.of("AllTraffic", 0.9))));
    http.then(Reply.ok("{}"));
    store.lock(lock("run-42"), r, List.of());
    Map<String, Object> body = http.only("TransactWriteItems").json();
    Map<?, ?> item = (Map<?, ?>) put((List<?>) body.get("TransactItems"), 1).get("Item");
    java.util.LinkedHashMap<Object, Object> withStop = new java.util.LinkedHashMap<>(item);
    withStop.put("stop", Map.of("M", Map.of("error", Map.of("S", r.stop().error()),
        "cause", Map.of("S", "alarm a1"), "at", Map.of("S", T.toString()))));
    http.then(Reply.ok(Json.write(Map.of("Item", withStop))));

    ActiveRollout back = store.rollout("ep").orElseThrow();

    assertThat(back).isEqualTo(r);
  }

  @Test
  void phasesHistoryAndStopsAreOwnerConditionalUpdates() {
    http.then(Reply.ok("{}"), Reply.ok("{}"), Reply.error(400,
        "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", "failed"));

    store.setPhase("ep", "run-42", RolloutPhase.CANARY_WEIGHTS, 2);
    store.appendHistory("ep", "run-42", new HistoryEntry.Shifted(T, 1, 50, Map.of()));
    boolean stopped = store.requestStop("ep", "someone-else", new StopRequest("e", "c", T));

    assertThat(http.sent().get(0).json()).containsEntry("UpdateExpression",
        "SET #phase = :phase, #step = :step").containsEntry("ConditionExpression",
        "#owner = :owner");
    assertThat(http.sent().get(1).json()).containsEntry("UpdateExpression",
        "SET #history = list_append(if_not_exists(#history, :empty), :entry)");
    assertThat(http.sent().get(2).json()).containsEntry("UpdateExpression",
        "SET #stop = if_not_exists(#stop, :stop)");
    assertThat(stopped).isFalse();
  }

  @Test
  void sageMakerRetriesAreAddedAtomicallyByTheOwnerAndReadBackWithTheRollout() {
    http.then(Reply.ok("{}"), Reply.error(400,
        "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", "failed"));

    boolean added = store.addSageMakerRetries("ep", "run-42", 3);
    boolean notOwner = store.addSageMakerRetries("ep", "someone-else", 2);

    assertThat(added).isTrue();
    assertThat(notOwner).isFalse();
    assertThat(http.sent().get(0).json()).containsEntry("UpdateExpression", "ADD #retries :n")
        .containsEntry("ConditionExpression", "#owner = :owner")
        .containsEntry("ExpressionAttributeValues", Map.of(":owner", Map.of("S", "run-42"), ":n", Map.of("N", "3")));

    http.then(Reply.ok("{}"));
    store.lock(lock("run-42"), rollout("run-42"), List.of());
    Map<?, ?> item = (Map<?, ?>) put((List<?>) http.sent().get(2).json().get("TransactItems"), 1).get("Item");
    java.util.LinkedHashMap<Object, Object> counted = new java.util.LinkedHashMap<>(item);
    counted.put("sageMakerRetries", Map.of("N", "7"));
    http.then(Reply.ok(Json.write(Map.of("Item", counted))));

    assertThat(store.rollout("ep").orElseThrow().sageMakerRetries()).isEqualTo(7);
  }

  @Test
  void throttlingThatOutlastsTheSdksRetriesIsTransient() {
    http.route(s -> Reply.error(400,
        "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", "slow down"));
    // The SDK's own back-off would make this test slow; what matters is what comes after it.
    DynamoRolloutStore noRetries = new DynamoRolloutStore(DynamoDbClient.builder()
        .region(Region.US_EAST_1).httpClient(http).credentialsProvider(StubHttp.credentials())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build(),
        "poolshift-state");

    assertThatThrownBy(() -> noRetries.lockOf("ep")).isInstanceOf(TransientServiceException.class)
        .hasMessageContaining("ProvisionedThroughputExceededException");
  }

  @Test
  void theSweepScansForLocksAcrossPages() {
    http.then(Reply.ok("""
        {"Items": [{"pk": {"S": "ENDPOINT#a"}, "sk": {"S": "LOCK"}, "owner": {"S": "r1"},
                    "executionArn": {"S": "x1"}, "acquiredAt": {"S": "2026-06-01T11:00:00Z"}}],
         "LastEvaluatedKey": {"pk": {"S": "ENDPOINT#a"}, "sk": {"S": "LOCK"}}}
        """), Reply.ok("""
        {"Items": [{"pk": {"S": "ENDPOINT#b"}, "sk": {"S": "LOCK"}, "owner": {"S": "r2"},
                    "executionArn": {"S": "x2"}, "acquiredAt": {"S": "2026-06-01T11:00:00Z"}}]}
        """));

    List<EndpointLock> locks = store.locks();

    assertThat(locks).extracting(EndpointLock::endpointName).containsExactly("a", "b");
    assertThat(http.sent().get(0).json()).containsEntry("FilterExpression", "#sk = :lock");
    assertThat(http.sent().get(1).json()).containsKey("ExclusiveStartKey");
  }

  private static EndpointLock lock(String owner) {
    return new EndpointLock("ep", owner, "arn:exec", "arn:pkg", T);
  }

  private static ActiveRollout rollout(String owner) {
    return new ActiveRollout("ep", owner, "arn:exec", "arn:pkg", "cfg-41", "AllTraffic", 1.0,
        "cfg-canary", "canary-v42", "cfg-final", List.of("m1"), List.of("a1"), List.of("a1"),
        null, T, RolloutPhase.LOCKED, null, null, List.of());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> item(List<?> items, int i) {
    return (Map<String, Object>) put(items, i).get("Item");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> put(List<?> items, int i) {
    return (Map<String, Object>) ((Map<String, Object>) items.get(i)).get("Put");
  }
}
