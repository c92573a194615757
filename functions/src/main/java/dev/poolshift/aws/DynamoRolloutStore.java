package dev.poolshift.aws;

import static dev.poolshift.aws.DynamoValues.of;

import dev.poolshift.rollout.EndpointLockedException;
import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.TransientServiceException;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.AlarmMapping;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.port.Promotion;
import dev.poolshift.rollout.port.RolloutStore;
import dev.poolshift.rollout.port.ScalingTargets.ScalingSetup;
import dev.poolshift.rollout.port.ScalingTargets;
import dev.poolshift.rollout.port.StopRequest;
import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.TokenRegistration;
import dev.poolshift.rollout.port.Waiter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link RolloutStore} on the DynamoDB state table ({@code pk}/{@code sk} strings, TTL attribute
 * {@code expiresAt} in epoch seconds):
 * <pre>
 * ENDPOINT#&lt;ep&gt; / LOCK      owner, executionArn, modelPackageArn, acquiredAt, scaling (JSON)
 * ENDPOINT#&lt;ep&gt; / ROLLOUT   owner, baseline/canary/final names, models, alarms, phase, stop, history
 * ENDPOINT#&lt;ep&gt; / WAIT|BAKE|HOLD   owner, token, phase|stepIndex|reason, registeredAt, expiresAt
 * ENDPOINT#&lt;ep&gt; / WAITER#&lt;owner&gt;   purpose, waitingFor, token, registeredAt, expiresAt
 * ENDPOINT#&lt;ep&gt; / PROMOTE   owner, requestedBy, by, reason, at
 * ENDPOINT#&lt;ep&gt; / SETTLED   settledAt, expiresAt (see {@link DynamoSettleNotes})
 * ALARM#&lt;name&gt; / ALARM     endpointName, owner
 * </pre>
 * Every change to an item owned by a rollout is conditional on the owner, so a late or
 * retried call of one execution never touches another's state. Reads are strongly consistent.
 */
public final class DynamoRolloutStore implements RolloutStore {
  private static final String LOCK = RolloutStoreItems.LOCK;
  private static final String ROLLOUT = RolloutStoreItems.ROLLOUT;
  private static final String WAITER = "WAITER#";
  private static final String PROMOTE = "PROMOTE";
  private static final String OWNED = "#owner = :owner";
  private final DynamoDbClient dynamo;
  private final String table;
  private final DynamoSettleNotes notes;

  public DynamoRolloutStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
    this.notes = new DynamoSettleNotes(dynamo, table);
  }

  static String endpointKey(String endpointName) {
    return "ENDPOINT#" + endpointName;
  }

  // ------------------------------------------------------------------ lock

  @Override
  public void lock(EndpointLock lock, ActiveRollout rollout, List<AlarmMapping> alarms) {
    String ep = lock.endpointName();
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
        .item(RolloutStoreItems.lockItem(lock))
        .conditionExpression("attribute_not_exists(pk) OR " + OWNED)
        .expressionAttributeNames(Map.of("#owner", "owner"))
        .expressionAttributeValues(Map.of(":owner", of(lock.owner())))
        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
        .build()).build());
    // The lock's condition makes the whole transaction exclusive: these follow it or nothing.
    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
        .item(RolloutStoreItems.rolloutItem(rollout)).build()).build());
    for (AlarmMapping a : alarms) {
      writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
          .item(Map.of("pk", of("ALARM#" + a.alarmName()), "sk", of("ALARM"),
              "endpointName", of(a.endpointName()), "owner", of(a.owner())))
          .build()).build());
    }
    try {
      dynamo.transactWriteItems(b -> b.transactItems(writes));
    } catch (TransactionCanceledException e) {
      List<CancellationReason> reasons = e.cancellationReasons();
      if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.getFirst().code())) {
        Map<String, AttributeValue> holder = reasons.getFirst().hasItem()
            ? reasons.getFirst().item() : null;
        String owner = holder != null ? DynamoValues.string(holder, "owner")
            : lockOf(ep).map(EndpointLock::owner).orElse(null);
        throw EndpointLockedException.lockedBy(ep, owner);
      }
      if (reasonCodes(reasons).stream().anyMatch(c -> c != null
          && (c.equals("TransactionConflict") || c.startsWith("Throttling")
              || c.equals("ProvisionedThroughputExceeded")))) {
        // Another write touched these items at the same moment: trying again is the answer.
        throw new TransientServiceException("TransactWriteItems lock " + ep + " cancelled "
            + reasonCodes(reasons), e);
      }
      throw AwsErrors.translate("TransactWriteItems lock " + ep + " " + reasonCodes(reasons), e);
    } catch (SdkException e) {
      throw AwsErrors.translate("TransactWriteItems lock " + ep, e);
    }
  }

  @Override
  public Optional<EndpointLock> lockOf(String endpointName) {
    return get(endpointKey(endpointName), LOCK).map(RolloutStoreItems::lock);
  }

  @Override
  public List<EndpointLock> locks() {
    List<EndpointLock> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page;
      try {
        page = dynamo.scan(b -> b.tableName(table).consistentRead(true)
            .filterExpression("#sk = :lock").expressionAttributeNames(Map.of("#sk", "sk"))
            .expressionAttributeValues(Map.of(":lock", of(LOCK)))
            .exclusiveStartKey(from));
      } catch (SdkException e) {
        throw AwsErrors.translate("Scan " + table + " for locks", e);
      }
      page.items().forEach(item -> out.add(RolloutStoreItems.lock(item)));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
          ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return out;
  }

  @Override
  public boolean keepScaling(String endpointName, String owner, ScalingTargets.ScalingSetup setup) {
    try {
      dynamo.updateItem(b -> b.tableName(table)
          .key(key(endpointName, LOCK))
          .updateExpression("SET #scaling = :scaling").conditionExpression(OWNED)
          .expressionAttributeNames(Map.of("#owner", "owner", "#scaling", "scaling"))
          .expressionAttributeValues(Map.of(":owner", of(owner),
              ":scaling", of(ScalingSetupJson.write(setup)))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw AwsErrors.translate("UpdateItem LOCK of " + endpointName + " (scaling)", e);
    }
  }

  @Override
  public boolean unlock(String endpointName, String owner) {
    return deleteIf(endpointKey(endpointName), LOCK, OWNED, ":owner", owner);
  }

  // ------------------------------------------------------------------ active rollout

  @Override
  public Optional<ActiveRollout> rollout(String endpointName) {
    return get(endpointKey(endpointName), ROLLOUT).map(RolloutStoreItems::rollout);
  }

  @Override
  public boolean setPhase(String endpointName, String owner, RolloutPhase phase,
      Integer stepIndex) {
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    values.put(":owner", of(owner));
    values.put(":phase", of(phase.wire()));
    Map<String, String> names = new LinkedHashMap<>();
    names.put("#phase", "phase");
    String update = "SET #phase = :phase";
    if (stepIndex != null) {
      update += ", #step = :step";
      names.put("#step", "stepIndex");
      values.put(":step", of(stepIndex));
    }
    return updateIf(endpointName, update, values, names);
  }

  @Override
  public boolean appendHistory(String endpointName, String owner, HistoryEntry entry) {
    return updateIf(endpointName,
        "SET #history = list_append(if_not_exists(#history, :empty), :entry)",
        Map.of(":owner", of(owner), ":empty", AttributeValue.fromL(List.of()),
            ":entry", AttributeValue.fromL(List.of(RolloutStoreItems.historyItem(entry)))),
        Map.of("#history", "history"));
  }

  @Override
  public boolean addSageMakerRetries(String endpointName, String owner, int retries) {
    return updateIf(endpointName, "ADD #retries :n",
        Map.of(":owner", of(owner), ":n", of(retries)), Map.of("#retries", "sageMakerRetries"));
  }

  /** The first stop request wins: its cause is what the on-call reads. */
  @Override
  public boolean requestStop(String endpointName, String owner, StopRequest stop) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("error", stop.error());
    s.put("cause", stop.cause());
    s.put("at", stop.at() == null ? null : stop.at().toString());
    return updateIf(endpointName, "SET #stop = if_not_exists(#stop, :stop)",
        Map.of(":owner", of(owner), ":stop", of(s)), Map.of("#stop", "stop"));
  }

  @Override
  public boolean deleteRollout(String endpointName, String owner) {
    return deleteIf(endpointKey(endpointName), ROLLOUT, OWNED, ":owner", owner);
  }

  // ------------------------------------------------------------------ parked tokens

  @Override
  public void register(TokenRegistration r) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", of(endpointKey(r.endpointName())));
    item.put("sk", of(r.kind().name()));
    item.put("owner", of(r.owner()));
    item.put("token", of(r.token().reveal()));
    if (r.phase() != null) {
      item.put("phase", of(r.phase().wire()));
    }
    if (r.stepIndex() != null) {
      item.put("stepIndex", of(r.stepIndex()));
    }
    if (r.reason() != null) {
      item.put("reason", of(r.reason()));
    }
    item.put("registeredAt", of(r.registeredAt().toString()));
    item.put("expiresAt", of(r.expiresAt().getEpochSecond()));
    try {
      dynamo.putItem(b -> b.tableName(table).item(item));
    } catch (SdkException e) {
      throw AwsErrors.translate("PutItem " + r.kind() + " of " + r.endpointName(), e);
    }
  }

  @Override
  public Optional<TokenRegistration> registration(String endpointName, TokenKind kind) {
    return get(endpointKey(endpointName), kind.name()).map(item -> new TokenRegistration(
        endpointName, kind, DynamoValues.string(item, "owner"),
        new TaskToken(DynamoValues.string(item, "token")),
        item.containsKey("phase") ? RolloutPhase.fromWire("phase",
            DynamoValues.string(item, "phase")) : null,
        DynamoValues.integer(item, "stepIndex"), RolloutStoreItems.instant(DynamoValues.string(item, "registeredAt")),
        DynamoValues.string(item, "reason"),
        item.containsKey("expiresAt") ? Instant.ofEpochSecond(
            DynamoValues.number(item, "expiresAt").longValue()) : null));
  }

  @Override
  public boolean deregister(String endpointName, TokenKind kind, TaskToken token) {
    return deleteIf(endpointKey(endpointName), kind.name(), "#token = :token", ":token",
        token.reveal(), Map.of("#token", "token"));
  }

  @Override
  public boolean deregisterOwned(String endpointName, TokenKind kind, String owner) {
    return deleteIf(endpointKey(endpointName), kind.name(), OWNED, ":owner", owner);
  }

  @Override
  public void markSettled(String endpointName, Instant at) {
    notes.mark(endpointName, at);
  }

  @Override
  public Optional<Instant> takeSettled(String endpointName) {
    return notes.take(endpointName);
  }

  @Override
  public boolean firstSighting(String endpointName, String sighting, String eventId, Instant at) {
    return notes.firstSighting(endpointName, sighting, eventId, at);
  }

  // ------------------------------------------------------------------ waiters and promotions

  @Override
  public void registerWaiter(Waiter w) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", of(endpointKey(w.endpointName())));
    item.put("sk", of(WAITER + w.owner()));
    item.put("owner", of(w.owner()));
    item.put("purpose", of(w.purpose()));
    item.put("waitingFor", of(w.waitingFor()));
    item.put("token", of(w.token().reveal()));
    item.put("registeredAt", of(w.registeredAt().toString()));
    item.put("expiresAt", of(w.expiresAt().getEpochSecond()));
    try {
      dynamo.putItem(b -> b.tableName(table).item(item));
    } catch (SdkException e) {
      throw AwsErrors.translate("PutItem waiter " + w.owner() + " of " + w.endpointName(), e);
    }
  }

  @Override
  public List<Waiter> waiters(String endpointName) {
    List<Waiter> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse page;
      try {
        page = dynamo.query(b -> b.tableName(table).consistentRead(true)
            .keyConditionExpression("#pk = :pk AND begins_with(#sk, :waiter)")
            .expressionAttributeNames(Map.of("#pk", "pk", "#sk", "sk"))
            .expressionAttributeValues(Map.of(":pk", of(endpointKey(endpointName)),
                ":waiter", of(WAITER)))
            .exclusiveStartKey(from));
      } catch (SdkException e) {
        throw AwsErrors.translate("Query waiters of " + endpointName, e);
      }
      page.items().forEach(item -> out.add(new Waiter(endpointName,
          DynamoValues.string(item, "owner"), DynamoValues.string(item, "purpose"),
          DynamoValues.string(item, "waitingFor"),
          new TaskToken(DynamoValues.string(item, "token")),
          RolloutStoreItems.instant(DynamoValues.string(item, "registeredAt")),
          item.containsKey("expiresAt") ? Instant.ofEpochSecond(
              DynamoValues.number(item, "expiresAt").longValue()) : null)));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
          ? page.lastEvaluatedKey() : null;
    } while (start != null);
    out.sort(java.util.Comparator.comparing(Waiter::registeredAt,
        java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
    return out;
  }

  @Override
  public boolean deregisterWaiter(String endpointName, String owner) {
    return deleteIf(endpointKey(endpointName), WAITER + owner, OWNED, ":owner", owner);
  }

  /** The first request wins: a second promote of the same rollout changes nothing. */
  @Override
  public void requestPromotion(Promotion p) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", of(endpointKey(p.endpointName())));
    item.put("sk", of(PROMOTE));
    item.put("owner", of(p.owner()));
    item.put("requestedBy", of(p.requestedBy()));
    item.put("by", of(p.by()));
    item.put("reason", of(p.reason()));
    item.put("at", of(p.at().toString()));
    try {
      dynamo.putItem(b -> b.tableName(table).item(item)
          .conditionExpression("attribute_not_exists(pk)"));
    } catch (ConditionalCheckFailedException e) {
      // Already requested: the first one's reason is the one recorded.
    } catch (SdkException e) {
      throw AwsErrors.translate("PutItem PROMOTE of " + p.endpointName(), e);
    }
  }

  @Override
  public Optional<Promotion> promotion(String endpointName) {
    return get(endpointKey(endpointName), PROMOTE).map(item -> new Promotion(endpointName,
        DynamoValues.string(item, "owner"), DynamoValues.string(item, "requestedBy"),
        DynamoValues.string(item, "by"), DynamoValues.string(item, "reason"),
        RolloutStoreItems.instant(DynamoValues.string(item, "at"))));
  }

  @Override
  public boolean deletePromotion(String endpointName, String owner) {
    return deleteIf(endpointKey(endpointName), PROMOTE, OWNED, ":owner", owner);
  }

  // ------------------------------------------------------------------ alarm mappings

  @Override
  public Optional<AlarmMapping> alarmMapping(String alarmName) {
    return get("ALARM#" + alarmName, "ALARM").map(item -> new AlarmMapping(alarmName,
        DynamoValues.string(item, "endpointName"), DynamoValues.string(item, "owner")));
  }

  @Override
  public void deleteAlarmMappings(List<String> alarmNames, String owner) {
    for (String name : alarmNames) {
      deleteIf("ALARM#" + name, "ALARM", OWNED, ":owner", owner);
    }
  }

  // ------------------------------------------------------------------ calls

  private static Map<String, AttributeValue> key(String endpointName, String sk) {
    return Map.of("pk", of(endpointKey(endpointName)), "sk", of(sk));
  }

  private Optional<Map<String, AttributeValue>> get(String pk, String sk) {
    try {
      var r = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
          .key(Map.of("pk", of(pk), "sk", of(sk))));
      return r.hasItem() && !r.item().isEmpty() ? Optional.of(r.item()) : Optional.empty();
    } catch (SdkException e) {
      throw AwsErrors.translate("GetItem " + pk + "/" + sk, e);
    }
  }

  private boolean updateIf(String endpointName, String update,
      Map<String, AttributeValue> values, Map<String, String> extraNames) {
    Map<String, String> names = new LinkedHashMap<>(extraNames);
    names.put("#owner", "owner");
    try {
      dynamo.updateItem(b -> b.tableName(table)
          .key(key(endpointName, ROLLOUT))
          .updateExpression(update).conditionExpression(OWNED)
          .expressionAttributeNames(names).expressionAttributeValues(values));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw AwsErrors.translate("UpdateItem ROLLOUT of " + endpointName, e);
    }
  }

  private boolean deleteIf(String pk, String sk, String condition, String placeholder,
      String value) {
    return deleteIf(pk, sk, condition, placeholder, value, Map.of("#owner", "owner"));
  }

  private boolean deleteIf(String pk, String sk, String condition, String placeholder,
      String value, Map<String, String> names) {
    try {
      dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", of(pk), "sk", of(sk)))
          .conditionExpression(condition).expressionAttributeNames(names)
          .expressionAttributeValues(Map.of(placeholder, of(value))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw AwsErrors.translate("DeleteItem " + pk + "/" + sk, e);
    }
  }

  private static List<String> reasonCodes(List<CancellationReason> reasons) {
    return reasons.stream().map(CancellationReason::code).toList();
  }
}
