package dev.poolshift.rollout.port;

/** Which endpoint's rollout an alarm guards ({@code ALARM#<alarmName>} / {@code ALARM}). */
public record AlarmMapping(String alarmName, String endpointName, String owner) {
}
