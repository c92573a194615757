package dev.poolshift.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.poolshift.aws.StubHttp.Reply;
import dev.poolshift.rollout.port.LedgerRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DynamoLedgerTest {
  private final StubHttp http = new StubHttp();
  private final DynamoLedger ledger = new DynamoLedger(AwsClients.dynamoDb(http.settings()),
      "poolshift-ledger");

  @Test
  void theSortKeyIsFixedWidthSoRecordsOrderByTimeEvenWithinASecond() {
    http.route(s -> Reply.ok("{}"));

    ledger.put(record(Instant.parse("2026-06-01T12:00:00Z")));
    ledger.put(record(Instant.parse("2026-06-01T12:00:00.500Z")));

    String first = sk(0);
    String second = sk(1);
    assertThat(first).isEqualTo("2026-06-01T12:00:00.000Z#run-42");
    assertThat(first).isLessThan(second);
  }

  @Test
  void aRecordKeepsItsDetailsAsAMapAndReadsBackNewestFirst() {
    http.route(s -> Reply.ok("{}"));
    LedgerRecord r = record(Instant.parse("2026-06-01T12:00:00Z"));
    ledger.put(r);
    @SuppressWarnings("unchecked")
    Map<String, Object> item = (Map<String, Object>) http.sent().getFirst().json().get("Item");
    http.route(s -> Reply.ok(Json.write(Map.of("Items", List.of(item)))));

    List<LedgerRecord> latest = ledger.latest("ep", 5);

    assertThat(latest).containsExactly(r);
    Map<String, Object> query = http.sent().getLast().json();
    assertThat(query).containsEntry("ScanIndexForward", false).containsEntry("Limit", 5)
        .containsEntry("KeyConditionExpression", "#pk = :pk");
  }

  private static LedgerRecord record(Instant started) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("trigger", Map.of("source", "registry-approval"));
    details.put("history", List.of(Map.of("kind", "shift", "percent", 10L)));
    details.put("failure", null);
    details.put("durationSeconds", 1800L);
    return new LedgerRecord("ep", started, "run-42", "arn:exec", dev.poolshift.rollout.Outcome.PROMOTED, "arn:pkg",
        "cfg-41", "cfg-final", started.plusSeconds(1800), details);
  }

  @SuppressWarnings("unchecked")
  private String sk(int i) {
    return ((Map<String, String>) ((Map<String, Object>) http.sent().get(i).json().get("Item"))
        .get("sk")).get("S");
  }
}
