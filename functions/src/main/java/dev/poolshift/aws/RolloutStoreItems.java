package dev.poolshift.aws;

import static dev.poolshift.aws.DynamoValues.of;

import dev.poolshift.rollout.RolloutPhase;
import dev.poolshift.rollout.Trigger;
import dev.poolshift.rollout.port.ActiveRollout;
import dev.poolshift.rollout.port.EndpointLock;
import dev.poolshift.rollout.port.HistoryEntry;
import dev.poolshift.rollout.port.StopRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The lock and active-rollout items of {@link DynamoRolloutStore}, to and from DynamoDB. */
final class RolloutStoreItems {
  static final String LOCK = "LOCK";
  static final String ROLLOUT = "ROLLOUT";

  private RolloutStoreItems() {}

  static Map<String, AttributeValue> lockItem(EndpointLock l) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", of(DynamoRolloutStore.endpointKey(l.endpointName())));
    item.put("sk", of(LOCK));
    item.put("endpointName", of(l.endpointName()));
    item.put("owner", of(l.owner()));
    item.put("executionArn", of(l.executionArn()));
    item.put("modelPackageArn", of(l.modelPackageArn()));
    item.put("acquiredAt", of(l.acquiredAt().toString()));
    return item;
  }

  static EndpointLock lock(Map<String, AttributeValue> item) {
    String pk = DynamoValues.string(item, "pk");
    return new EndpointLock(pk.substring("ENDPOINT#".length()),
        DynamoValues.string(item, "owner"), DynamoValues.string(item, "executionArn"),
        DynamoValues.string(item, "modelPackageArn"),
        instant(DynamoValues.string(item, "acquiredAt")),
        item.containsKey("scaling") ? ScalingSetupJson.read(DynamoValues.string(item, "scaling")) : null);
  }

  static Map<String, AttributeValue> rolloutItem(ActiveRollout r) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", of(DynamoRolloutStore.endpointKey(r.endpointName())));
    item.put("sk", of(ROLLOUT));
    item.put("owner", of(r.executionName()));
    item.put("executionArn", of(r.executionArn()));
    item.put("modelPackageArn", of(r.modelPackageArn()));
    item.put("baselineConfigName", of(r.baselineConfigName()));
    item.put("baselineVariantName", of(r.baselineVariantName()));
    item.put("baselineWeight", of(r.baselineWeight()));
    item.put("canaryConfigName", of(r.canaryConfigName()));
    item.put("canaryVariantName", of(r.canaryVariantName()));
    item.put("finalConfigName", of(r.finalConfigName()));
    item.put("models", of(r.models()));
    item.put("alarmNames", of(r.alarmNames()));
    item.put("managedAlarmNames", of(r.managedAlarmNames()));
    if (r.trigger() != null) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("source", r.trigger().source());
      t.put("by", r.trigger().by());
      t.put("eventId", r.trigger().eventId());
      item.put("trigger", of(t));
    }
    if (r.startedAt() != null) {
      item.put("startedAt", of(r.startedAt().toString()));
    }
    item.put("phase", of(r.phase().wire()));
    if (r.stepIndex() != null) {
      item.put("stepIndex", of(r.stepIndex()));
    }
    item.put("history", AttributeValue.fromL(r.history().stream()
        .map(RolloutStoreItems::historyItem).toList()));
    return item;
  }

  static ActiveRollout rollout(Map<String, AttributeValue> item) {
    String pk = DynamoValues.string(item, "pk");
    Map<String, Object> t = DynamoValues.map(item, "trigger");
    Map<String, Object> s = DynamoValues.map(item, "stop");
    return new ActiveRollout(pk.substring("ENDPOINT#".length()),
        DynamoValues.string(item, "owner"), DynamoValues.string(item, "executionArn"),
        DynamoValues.string(item, "modelPackageArn"),
        DynamoValues.string(item, "baselineConfigName"),
        DynamoValues.string(item, "baselineVariantName"),
        DynamoValues.number(item, "baselineWeight"),
        DynamoValues.string(item, "canaryConfigName"),
        DynamoValues.string(item, "canaryVariantName"),
        DynamoValues.string(item, "finalConfigName"),
        DynamoValues.strings(item, "models"), DynamoValues.strings(item, "alarmNames"),
        DynamoValues.strings(item, "managedAlarmNames"),
        t == null ? null : new Trigger((String) t.get("source"),
            (String) t.get("by"), (String) t.get("eventId")),
        instant(DynamoValues.string(item, "startedAt")),
        RolloutPhase.fromWire("phase", DynamoValues.string(item, "phase")),
        DynamoValues.integer(item, "stepIndex"),
        s == null ? null : new StopRequest((String) s.get("error"), (String) s.get("cause"),
            instant((String) s.get("at"))),
        DynamoValues.maps(item, "history").stream().map(RolloutStoreItems::historyEntry)
            .toList(),
        java.util.Objects.requireNonNullElse(DynamoValues.integer(item, "sageMakerRetries"), 0));
  }

  /** A history entry as DynamoDB keeps it: its JSON object, {@code kind} naming the record. */
  static AttributeValue historyItem(HistoryEntry entry) {
    return of(Json.MAPPER.convertValue(entry, Map.class));
  }

  static HistoryEntry historyEntry(Map<String, Object> stored) {
    return Json.MAPPER.convertValue(stored, HistoryEntry.class);
  }

  static Instant instant(String iso) {
    return iso == null ? null : Instant.parse(iso);
  }
}
