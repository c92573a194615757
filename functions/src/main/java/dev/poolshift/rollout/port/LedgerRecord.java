package dev.poolshift.rollout.port;

import dev.poolshift.rollout.Outcome;
import java.time.Instant;
import java.util.Map;

/**
 * One rollout's record in the ledger ({@code ENDPOINT#<ep>} /
 * {@code <startedAt ISO>#<executionName>}), kept beyond Step Functions' 90-day history.
 *
 * @param outcome how it ended
 * @param configBefore the endpoint config before the rollout (what a rollback restores)
 * @param configAfter the endpoint config the rollout left the endpoint on
 * @param details trigger, steps with weights and verdicts, alarms, pool mix, failure, timings
 */
public record LedgerRecord(
    String endpointName,
    Instant startedAt,
    String executionName,
    String executionArn,
    Outcome outcome,
    String modelPackageArn,
    String configBefore,
    String configAfter,
    Instant endedAt,
    Map<String, Object> details) {

  public LedgerRecord {
    details = details == null ? Map.of() : dev.poolshift.rollout.JsonValues.frozenMap(details);
  }
}
