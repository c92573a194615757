package dev.poolshift.rollout.port;

/** A message for the on-call: a subject that fits a phone's lock screen, and plain text. */
public record Notification(String subject, String body) {
}
