package dev.poolshift.local.dynamodb;

import static dev.poolshift.local.dynamodb.LocalDynamoDb.n;
import static dev.poolshift.local.dynamodb.LocalDynamoDb.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.template.SamTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The key condition and filter examples of the Developer Guide's "Query operations" page (its
 * Thread and Reply tables), paging, Select, the template's secondary indexes, and Scan.
 */
class QueryAndScanConformanceTest {
  private static final SamTemplate TEMPLATE = SamTemplate.load(Path.of("tests/src/test/resources/template/app.yaml"));
  private static final String ROLLOUTS = "poolshift-RolloutsTable";

  private final LocalDynamoDb dynamo = new LocalDynamoDb()
      .table("Thread", "ForumName", ScalarAttributeType.S, "Subject", ScalarAttributeType.S)
      .table("Reply", "Id", ScalarAttributeType.S, "ReplyDateTime", ScalarAttributeType.S)
      .table("Readings", "Sensor", ScalarAttributeType.S, "Seq", ScalarAttributeType.N);

  @AfterEach
  void close() {
    dynamo.close();
  }

  private void putThreads() {
    for (int i = 1; i <= 5; i++) {
      dynamo.put("Thread", Map.of("ForumName", s("Amazon DynamoDB"), "Subject", s("DynamoDB Thread " + i),
          "Views", n(String.valueOf(i))));
    }
    dynamo.put("Thread", Map.of("ForumName", s("Amazon S3"), "Subject", s("S3 Thread 1"), "Views", n("9")));
  }

  private QueryResponse threads(java.util.function.Consumer<QueryRequest.Builder> more) {
    return dynamo.client.query(b -> {
      b.tableName("Thread").keyConditionExpression("ForumName = :name")
          .expressionAttributeValues(Map.of(":name", s("Amazon DynamoDB")));
      more.accept(b);
    });
  }

  private static List<String> subjects(List<Map<String, AttributeValue>> items) {
    return items.stream().map(i -> i.get("Subject").s()).toList();
  }

  @Test
  void aPartitionKeyConditionReturnsThePartitionInSortKeyOrder() {
    putThreads();

    QueryResponse r = threads(b -> { });

    assertThat(subjects(r.items())).containsExactly("DynamoDB Thread 1", "DynamoDB Thread 2", "DynamoDB Thread 3",
        "DynamoDB Thread 4", "DynamoDB Thread 5");
    assertThat(r.hasLastEvaluatedKey()).isFalse();
  }

  @Test
  void aSortKeyEqualityReturnsOneItem() {
    putThreads();

    QueryResponse r = dynamo.client.query(b -> b.tableName("Thread")
        .keyConditionExpression("ForumName = :name and Subject = :sub")
        .expressionAttributeValues(Map.of(":name", s("Amazon DynamoDB"), ":sub", s("DynamoDB Thread 1"))));

    assertThat(subjects(r.items())).containsExactly("DynamoDB Thread 1");
  }

  @Test
  void beginsWithSelectsSortKeysByPrefix() {
    String id = "Amazon DynamoDB#DynamoDB Thread 1";
    for (String at : List.of("2015-08-30T10:00:00Z", "2015-09-01T10:00:00Z", "2015-09-15T10:00:00Z")) {
      dynamo.put("Reply", Map.of("Id", s(id), "ReplyDateTime", s(at)));
    }

    QueryResponse r = dynamo.client.query(b -> b.tableName("Reply")
        .keyConditionExpression("Id = :id and begins_with(ReplyDateTime, :dt)")
        .expressionAttributeValues(Map.of(":id", s(id), ":dt", s("2015-09"))));

    assertThat(r.items()).extracting(i -> i.get("ReplyDateTime").s())
        .containsExactly("2015-09-01T10:00:00Z", "2015-09-15T10:00:00Z");
  }

  @Test
  void aFilterDiscardsItemsAfterTheyAreReadSoScannedCountIsLarger() {
    putThreads();

    QueryResponse r = threads(b -> b.filterExpression("#v >= :num").expressionAttributeNames(Map.of("#v", "Views"))
        .expressionAttributeValues(Map.of(":name", s("Amazon DynamoDB"), ":num", n("3"))));

    assertThat(subjects(r.items())).containsExactly("DynamoDB Thread 3", "DynamoDB Thread 4", "DynamoDB Thread 5");
    assertThat(r.count()).isEqualTo(3);
    assertThat(r.scannedCount()).isEqualTo(5);
  }

  @Test
  void limitCountsItemsReadBeforeTheFilter() {
    putThreads();

    QueryResponse r = threads(b -> b.limit(2).filterExpression("#v >= :num")
        .expressionAttributeNames(Map.of("#v", "Views"))
        .expressionAttributeValues(Map.of(":name", s("Amazon DynamoDB"), ":num", n("2"))));

    assertThat(subjects(r.items())).containsExactly("DynamoDB Thread 2");
    assertThat(r.scannedCount()).isEqualTo(2);
    assertThat(r.lastEvaluatedKey()).containsEntry("Subject", s("DynamoDB Thread 2"));
  }

  @Test
  void scanIndexForwardFalseReturnsTheSortKeysDescending() {
    putThreads();

    assertThat(subjects(threads(b -> b.scanIndexForward(false)).items())).first().isEqualTo("DynamoDB Thread 5");
  }

  @Test
  void pagesWithLastEvaluatedKeyReturnEveryItemOnce() {
    putThreads();
    List<String> seen = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    int pages = 0;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse page = threads(b -> b.limit(2).exclusiveStartKey(from));
      seen.addAll(subjects(page.items()));
      start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
      pages++;
    } while (start != null);

    assertThat(seen).containsExactly("DynamoDB Thread 1", "DynamoDB Thread 2", "DynamoDB Thread 3",
        "DynamoDB Thread 4", "DynamoDB Thread 5");
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void aPageThatFillsItsLimitExactlyStillCarriesALastEvaluatedKey() {
    putThreads();

    QueryResponse full = threads(b -> b.limit(5));

    assertThat(full.lastEvaluatedKey()).containsEntry("Subject", s("DynamoDB Thread 5"));
    assertThat(threads(b -> b.limit(5).exclusiveStartKey(full.lastEvaluatedKey())).items()).isEmpty();
  }

  @Test
  void selectCountReturnsCountsWithoutItems() {
    putThreads();

    QueryResponse r = threads(b -> b.select(Select.COUNT));

    assertThat(r.count()).isEqualTo(5);
    assertThat(r.hasItems()).isFalse();
  }

  @Test
  void numericSortKeysOrderAsNumbersAndBetweenIsInclusive() {
    for (String seq : List.of("9", "10", "100", "-1", "2.5")) {
      dynamo.put("Readings", Map.of("Sensor", s("a"), "Seq", n(seq)));
    }

    QueryResponse all = dynamo.client.query(b -> b.tableName("Readings").keyConditionExpression("Sensor = :s")
        .expressionAttributeValues(Map.of(":s", s("a"))));
    QueryResponse between = dynamo.client.query(b -> b.tableName("Readings")
        .keyConditionExpression("Sensor = :s AND Seq BETWEEN :lo AND :hi")
        .expressionAttributeValues(Map.of(":s", s("a"), ":lo", n("2.5"), ":hi", n("10"))));

    assertThat(all.items()).extracting(i -> i.get("Seq").n()).containsExactly("-1", "2.5", "9", "10", "100");
    assertThat(between.items()).extracting(i -> i.get("Seq").n()).containsExactly("2.5", "9", "10");
  }

  // ------------------------------------------------------------------ refused key conditions

  private void assertValidation(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(DynamoDbException.class, e -> {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
      assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
    });
  }

  @Test
  void aKeyConditionWithoutThePartitionKeyIsRefused() {
    assertValidation(() -> dynamo.client.query(b -> b.tableName("Thread").keyConditionExpression("Subject = :v")
        .expressionAttributeValues(Map.of(":v", s("x")))),
        "Query condition missed key schema element: ForumName");
  }

  @Test
  void keyConditionsTakeNeitherOrNorNotEqual() {
    assertValidation(() -> dynamo.client.query(b -> b.tableName("Thread")
        .keyConditionExpression("ForumName = :v OR Subject = :v").expressionAttributeValues(Map.of(":v", s("x")))),
        "Invalid operator used in KeyConditionExpression: OR");
    assertValidation(() -> dynamo.client.query(b -> b.tableName("Thread")
        .keyConditionExpression("ForumName = :v AND Subject <> :v").expressionAttributeValues(Map.of(":v", s("x")))),
        "Invalid operator used in KeyConditionExpression: <>");
  }

  @Test
  void aFilterMayNotTestKeyAttributes() {
    assertValidation(() -> threads(b -> b.filterExpression("Subject = :sub")
        .expressionAttributeValues(Map.of(":name", s("Amazon DynamoDB"), ":sub", s("x")))),
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: Subject");
  }

  @Test
  void aKeyValueOfTheWrongTypeIsRefused() {
    assertValidation(() -> dynamo.client.query(b -> b.tableName("Thread").keyConditionExpression("ForumName = :v")
        .expressionAttributeValues(Map.of(":v", n("1")))),
        "One or more parameter values were invalid: Condition parameter type does not match schema type");
  }

  @Test
  void limitMustBePositive() {
    assertValidation(() -> threads(b -> b.limit(0)),
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater "
            + "than or equal to 1");
  }

  // ------------------------------------------------------------------ the template's indexes

  private void putRollouts() {
    dynamo.service.createTables(TEMPLATE.tables().values());
    dynamo.put(ROLLOUTS, Map.of("pk", s("EP#a"), "sk", s("R1"), "status", s("RUNNING"), "createdAt", s("2026-01-03"),
        "detail", s("one")));
    dynamo.put(ROLLOUTS, Map.of("pk", s("EP#a"), "sk", s("R2"), "status", s("DONE"), "createdAt", s("2026-01-01"),
        "detail", s("two")));
    dynamo.put(ROLLOUTS, Map.of("pk", s("EP#b"), "sk", s("R3"), "status", s("RUNNING"), "createdAt", s("2026-01-02"),
        "detail", s("three")));
    dynamo.put(ROLLOUTS, Map.of("pk", s("EP#b"), "sk", s("R4"), "detail", s("no status: not in ByStatus")));
  }

  private QueryResponse byStatus(java.util.function.Consumer<QueryRequest.Builder> more) {
    return dynamo.client.query(b -> {
      b.tableName(ROLLOUTS).indexName("ByStatus").keyConditionExpression("#st = :st")
          .expressionAttributeNames(Map.of("#st", "status")).expressionAttributeValues(Map.of(":st", s("RUNNING")));
      more.accept(b);
    });
  }

  @Test
  void aKeysOnlyGlobalIndexReturnsTheKeysOfTheItemsThatHaveItsKey() {
    putRollouts();

    QueryResponse r = byStatus(b -> { });

    assertThat(r.items()).extracting(i -> i.get("sk").s()).containsExactlyInAnyOrder("R1", "R3");
    assertThat(r.items()).allSatisfy(i -> assertThat(i).containsOnlyKeys("pk", "sk", "status"));
  }

  @Test
  void aGlobalIndexPagesWithItsOwnAndTheTablesKeys() {
    putRollouts();

    QueryResponse first = byStatus(b -> b.limit(1));
    QueryResponse second = byStatus(b -> b.limit(1).exclusiveStartKey(first.lastEvaluatedKey()));

    assertThat(first.lastEvaluatedKey()).containsOnlyKeys("status", "pk", "sk");
    assertThat(List.of(first.items().getFirst().get("sk").s(), second.items().getFirst().get("sk").s()))
        .containsExactlyInAnyOrder("R1", "R3");
  }

  @Test
  void aGlobalIndexRefusesConsistentReadsAndAttributesItDoesNotProject() {
    putRollouts();

    assertValidation(() -> byStatus(b -> b.consistentRead(true)),
        "Consistent reads are not supported on global secondary indexes");
    assertValidation(() -> byStatus(b -> b.select(Select.ALL_ATTRIBUTES)),
        "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary "
            + "index ByStatus because its projection type is not ALL");
  }

  @Test
  void aLocalIndexOrdersByItsSortKeyAndFetchesUnprojectedAttributesFromTheTable() {
    putRollouts();

    QueryResponse r = dynamo.client.query(b -> b.tableName(ROLLOUTS).indexName("ByCreated")
        .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s("EP#a")))
        .projectionExpression("sk, detail"));
    QueryResponse projected = dynamo.client.query(b -> b.tableName(ROLLOUTS).indexName("ByCreated")
        .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s("EP#a"))));

    assertThat(r.items()).extracting(i -> i.get("sk").s() + ":" + i.get("detail").s()).containsExactly("R2:two", "R1:one");
    assertThat(projected.items().getFirst()).containsOnlyKeys("pk", "sk", "createdAt", "status");
  }

  @Test
  void anUnknownIndexIsRefused() {
    putRollouts();

    assertValidation(() -> dynamo.client.query(b -> b.tableName(ROLLOUTS).indexName("Nope")
        .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s("EP#a")))),
        "The table does not have the specified index: Nope");
  }

  // ------------------------------------------------------------------ Scan

  @Test
  void aScanPagesThroughEveryItemAndFilters() {
    putThreads();
    List<String> seen = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page = dynamo.client.scan(b -> b.tableName("Thread").limit(2).exclusiveStartKey(from)
          .filterExpression("#v > :one").expressionAttributeNames(Map.of("#v", "Views"))
          .expressionAttributeValues(Map.of(":one", n("1"))));
      seen.addAll(subjects(page.items()));
      start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
    } while (start != null);

    assertThat(seen).containsExactlyInAnyOrder("DynamoDB Thread 2", "DynamoDB Thread 3", "DynamoDB Thread 4",
        "DynamoDB Thread 5", "S3 Thread 1");
  }

  @Test
  void parallelScanSegmentsTogetherHoldEveryItemOnce() {
    for (int i = 0; i < 40; i++) {
      dynamo.put("Reply", Map.of("Id", s("thread-" + i), "ReplyDateTime", s("t")));
    }
    List<String> seen = new ArrayList<>();

    for (int segment = 0; segment < 4; segment++) {
      int current = segment;
      seen.addAll(dynamo.client.scan(b -> b.tableName("Reply").segment(current).totalSegments(4)).items().stream()
          .map(i -> i.get("Id").s()).toList());
    }

    assertThat(seen).hasSize(40).doesNotHaveDuplicates();
  }

  @Test
  void aScanStopsAfterOneMegabyteAndSaysWhereToGoOn() {
    for (int i = 0; i < 30; i++) {
      dynamo.put("Reply", Map.of("Id", s("big-" + i), "ReplyDateTime", s("t"), "Body", s("x".repeat(100_000))));
    }

    List<Integer> counts = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page = dynamo.client.scan(b -> b.tableName("Reply").projectionExpression("Id").exclusiveStartKey(from));
      counts.add(page.count());
      start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
    } while (start != null);

    // Eleven items of about 100 KB take a page past 1 MB; the twelfth waits for the next page.
    assertThat(counts).containsExactly(11, 11, 8);
  }

  @Test
  void aScanReturnsPartitionsInHashOrderNotInsertOrder() {
    List<String> inserted = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      inserted.add("thread-" + i);
      dynamo.put("Reply", Map.of("Id", s("thread-" + i), "ReplyDateTime", s("t")));
    }

    List<String> scanned = dynamo.client.scan(b -> b.tableName("Reply")).items().stream()
        .map(i -> i.get("Id").s()).toList();

    assertThat(scanned).containsExactlyInAnyOrderElementsOf(inserted).isNotEqualTo(inserted);
  }

  @Test
  void segmentWithoutTotalSegmentsIsRefused() {
    assertValidation(() -> dynamo.client.scan(b -> b.tableName("Thread").segment(0)),
        "The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
    assertValidation(() -> dynamo.client.scan(b -> b.tableName("Thread").segment(4).totalSegments(4)),
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less "
            + "than TotalSegments: 4");
  }
}
