package dev.poolshift.rollout;

/** Who or what started a rollout, for the ledger and notifications. */
public record Trigger(String source, String by, String eventId) {
}
