package dev.poolshift.rollout.event;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.JsonFields;

/** "CloudWatch Alarm State Change": which alarm, its new state and CloudWatch's reason. */
public record AlarmStateChange(EventEnvelope envelope, String alarmName, String state,
    String reason, String previousState) {
  public static final String DETAIL_TYPE = "CloudWatch Alarm State Change";

  public static AlarmStateChange parse(EventEnvelope envelope) {
    envelope.requireType(DETAIL_TYPE);
    FieldErrors errors = new FieldErrors();
    JsonFields d = envelope.detailFields(errors);
    String name = d.string("alarmName", true);
    JsonFields state = d.object("state", true);
    String value = state == null ? null : state.string("value", true);
    String reason = state == null ? null : state.string("reason", false);
    JsonFields previous = d.object("previousState", false);
    String previousValue = previous == null ? null : previous.string("value", false);
    errors.throwIfAny("alarm event " + envelope.id());
    return new AlarmStateChange(envelope, name, value, reason, previousValue);
  }
}
