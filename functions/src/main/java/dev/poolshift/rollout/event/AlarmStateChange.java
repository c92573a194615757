package dev.poolshift.rollout.event;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.JsonFields;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** "CloudWatch Alarm State Change": which alarm, its new state and CloudWatch's reason. */
public record AlarmStateChange(EventEnvelope envelope, String alarmName, String state,
    String reason, String previousState, Instant firstEvaluatedAt) {
  public static final String DETAIL_TYPE = "CloudWatch Alarm State Change";

  public static AlarmStateChange parse(EventEnvelope envelope) {
    envelope.requireType(DETAIL_TYPE);
    FieldErrors errors = new FieldErrors();
    JsonFields d = envelope.detailFields(errors);
    String name = d.string("alarmName", true);
    JsonFields state = d.object("state", true);
    String value = state == null ? null : state.string("value", true);
    String reason = state == null ? null : state.string("reason", false);
    String reasonData = state == null ? null : state.string("reasonData", false);
    JsonFields previous = d.object("previousState", false);
    String previousValue = previous == null ? null : previous.string("value", false);
    errors.throwIfAny("alarm event " + envelope.id());
    return new AlarmStateChange(envelope, name, value, reason, previousValue,
        firstEvaluated(reasonData));
  }

  /** {@code "timestamp": "2026-06-01T12:10:00.000+0000"} or an ISO instant. */
  private static final Pattern TIMESTAMP = Pattern.compile(
      "\"(?:timestamp|startDate)\"\\s*:\\s*\"([^\"]+)\"");
  private static final DateTimeFormatter OFFSET_NO_COLON =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

  /**
   * The start of the earliest period the alarm evaluated when it changed state, from the
   * event's {@code reasonData} ({@code evaluatedDatapoints[].timestamp}, {@code startDate}):
   * the earliest moment the errors that fired it can have begun. The event does not say which
   * of the evaluated datapoints breached (an M-of-N alarm may include good ones), so the earliest
   * evaluated period is taken: the harsher reading, a longer first-error-to-baseline time. Null
   * when the event has no such data (it is optional, and a math alarm may have none).
   */
  static Instant firstEvaluated(String reasonData) {
    if (reasonData == null) {
      return null;
    }
    Instant first = null;
    Matcher m = TIMESTAMP.matcher(reasonData);
    while (m.find()) {
      Instant t = instant(m.group(1));
      if (t != null && (first == null || t.isBefore(first))) {
        first = t;
      }
    }
    return first;
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text, OFFSET_NO_COLON).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
