package dev.poolshift.rollout.port;

import java.util.List;

/** Every rollout's record (the {@code LEDGER_TABLE}). */
public interface Ledger {
  /** Writes the record; writing the same rollout again replaces it. */
  void put(LedgerRecord record);

  /** The endpoint's most recent records, newest first. */
  List<LedgerRecord> latest(String endpointName, int limit);
}
