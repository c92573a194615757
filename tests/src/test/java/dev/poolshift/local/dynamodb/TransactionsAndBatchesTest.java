package dev.poolshift.local.dynamodb;

import static dev.poolshift.local.dynamodb.LocalDynamoDb.n;
import static dev.poolshift.local.dynamodb.LocalDynamoDb.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** TransactWriteItems, TransactGetItems, BatchWriteItem and BatchGetItem. */
class TransactionsAndBatchesTest {
  private final LocalDynamoDb dynamo = new LocalDynamoDb()
      .table("locks", "pk", ScalarAttributeType.S, null, null)
      .table("ledger", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.S);

  @AfterEach
  void close() {
    dynamo.close();
  }

  private static Map<String, AttributeValue> key(String pk) {
    return Map.of("pk", s(pk));
  }

  private static TransactWriteItem putIfAbsent(String pk, String owner) {
    return TransactWriteItem.builder().put(p -> p.tableName("locks").item(Map.of("pk", s(pk), "owner", s(owner)))
        .conditionExpression("attribute_not_exists(pk)")
        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build();
  }

  private static TransactWriteItem ledgerEntry(String sk) {
    return TransactWriteItem.builder().put(p -> p.tableName("ledger").item(Map.of("pk", s("EP"), "sk", s(sk)))).build();
  }

  @Test
  void aTransactionWritesEveryItemAcrossTables() {
    dynamo.client.transactWriteItems(b -> b.transactItems(putIfAbsent("a", "exec-1"), ledgerEntry("1"),
        TransactWriteItem.builder().update(u -> u.tableName("ledger").key(Map.of("pk", s("EP"), "sk", s("2")))
            .updateExpression("SET n = :n").expressionAttributeValues(Map.of(":n", n("1")))).build()));

    assertThat(dynamo.get("locks", key("a")).get("owner").s()).isEqualTo("exec-1");
    assertThat(dynamo.get("ledger", Map.of("pk", s("EP"), "sk", s("1")))).isNotNull();
    assertThat(dynamo.get("ledger", Map.of("pk", s("EP"), "sk", s("2"))).get("n").n()).isEqualTo("1");
  }

  @Test
  void aFailedConditionCancelsEveryWriteAndGivesReasonsInOrder() {
    dynamo.put("locks", Map.of("pk", s("a"), "owner", s("exec-0")));

    assertThatThrownBy(() -> dynamo.client.transactWriteItems(b -> b.transactItems(ledgerEntry("1"),
        putIfAbsent("a", "exec-1"), putIfAbsent("b", "exec-1"))))
        .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Transaction cancelled, please refer cancellation "
              + "reasons for specific reasons [None, ConditionalCheckFailed, None]");
          assertThat(e.cancellationReasons()).extracting(CancellationReason::code)
              .containsExactly("None", "ConditionalCheckFailed", "None");
          CancellationReason failed = e.cancellationReasons().get(1);
          assertThat(failed.message()).isEqualTo("The conditional request failed");
          assertThat(failed.item().get("owner").s()).isEqualTo("exec-0");
          assertThat(e.cancellationReasons().getFirst().message()).isNull();
        });
    assertThat(dynamo.get("ledger", Map.of("pk", s("EP"), "sk", s("1")))).isNull();
    assertThat(dynamo.get("locks", key("b"))).isNull();
  }

  @Test
  void anUpdateThatCannotApplyCancelsWithAValidationErrorReason() {
    dynamo.put("locks", Map.of("pk", s("a"), "owner", s("x")));

    assertThatThrownBy(() -> dynamo.client.transactWriteItems(b -> b.transactItems(ledgerEntry("1"),
        TransactWriteItem.builder().update(u -> u.tableName("locks").key(key("a"))
            .updateExpression("SET c = c + :one").expressionAttributeValues(Map.of(":one", n("1")))).build())))
        .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
          assertThat(e.cancellationReasons()).extracting(CancellationReason::code).containsExactly("None",
              "ValidationError");
          assertThat(e.cancellationReasons().get(1).message())
              .isEqualTo("The provided expression refers to an attribute that does not exist in the item");
        });
  }

  @Test
  void aConditionCheckGuardsTheOtherWrites() {
    assertThatThrownBy(() -> dynamo.client.transactWriteItems(b -> b.transactItems(
        TransactWriteItem.builder().conditionCheck(c -> c.tableName("locks").key(key("a"))
            .conditionExpression("attribute_exists(pk)")).build(), ledgerEntry("1"))))
        .isInstanceOf(TransactionCanceledException.class);
    assertThat(dynamo.get("ledger", Map.of("pk", s("EP"), "sk", s("1")))).isNull();
  }

  @Test
  void twoActionsOnOneItemAreRefused() {
    assertThatThrownBy(() -> dynamo.client.transactWriteItems(b -> b.transactItems(putIfAbsent("a", "1"),
        TransactWriteItem.builder().delete(d -> d.tableName("locks").key(key("a"))).build())))
        .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("Transaction request cannot include multiple operations on one item"));
  }

  @Test
  void aMissingTableFailsTheWholeRequest() {
    assertThatThrownBy(() -> dynamo.client.transactWriteItems(b -> b.transactItems(ledgerEntry("1"),
        TransactWriteItem.builder().put(p -> p.tableName("nope").item(key("a"))).build())))
        .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("Requested resource not found"));
  }

  @Test
  void aRepeatedClientRequestTokenDoesNotWriteTwice() {
    dynamo.client.transactWriteItems(b -> b.clientRequestToken("token-1").transactItems(
        TransactWriteItem.builder().update(u -> u.tableName("locks").key(key("a")).updateExpression("ADD c :one")
            .expressionAttributeValues(Map.of(":one", n("1")))).build()));
    dynamo.client.transactWriteItems(b -> b.clientRequestToken("token-1").transactItems(
        TransactWriteItem.builder().update(u -> u.tableName("locks").key(key("a")).updateExpression("ADD c :one")
            .expressionAttributeValues(Map.of(":one", n("1")))).build()));

    assertThat(dynamo.get("locks", key("a")).get("c").n()).isEqualTo("1");
  }

  @Test
  void transactGetItemsReadsInOrderAndReturnsNothingForMissingItems() {
    dynamo.put("locks", Map.of("pk", s("a"), "owner", s("x")));

    var r = dynamo.client.transactGetItems(b -> b.transactItems(
        t -> t.get(g -> g.tableName("locks").key(key("missing"))),
        t -> t.get(g -> g.tableName("locks").key(key("a")).projectionExpression("pk"))));

    assertThat(r.responses().get(0).hasItem()).isFalse();
    assertThat(r.responses().get(1).item()).containsOnlyKeys("pk");
  }

  @Test
  void transactGetItemsWithABadKeyIsCancelledWithAValidationError() {
    assertThatThrownBy(() -> dynamo.client.transactGetItems(b -> b.transactItems(
        t -> t.get(g -> g.tableName("locks").key(Map.of("nope", s("a")))))))
        .isInstanceOfSatisfying(TransactionCanceledException.class, e -> assertThat(e.cancellationReasons())
            .extracting(CancellationReason::code).containsExactly("ValidationError"));
  }

  // ------------------------------------------------------------------ batches

  @Test
  void batchWriteAndBatchGetHandleSeveralTables() {
    dynamo.put("locks", Map.of("pk", s("gone")));
    dynamo.client.batchWriteItem(b -> b.requestItems(Map.of(
        "locks", List.of(WriteRequest.builder().putRequest(p -> p.item(key("a"))).build(),
            WriteRequest.builder().deleteRequest(d -> d.key(key("gone"))).build()),
        "ledger", List.of(WriteRequest.builder().putRequest(p -> p.item(Map.of("pk", s("EP"), "sk", s("1")))).build()))));

    var r = dynamo.client.batchGetItem(b -> b.requestItems(Map.of(
        "locks", software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
            .keys(key("a"), key("gone")).build())));

    assertThat(r.responses().get("locks")).extracting(i -> i.get("pk").s()).containsExactly("a");
    assertThat(r.unprocessedKeys()).isEmpty();
    assertThat(dynamo.get("ledger", Map.of("pk", s("EP"), "sk", s("1")))).isNotNull();
  }

  @Test
  void batchesRefuseDuplicateKeysAndTooManyRequests() {
    assertThatThrownBy(() -> dynamo.client.batchWriteItem(b -> b.requestItems(Map.of("locks", List.of(
        WriteRequest.builder().putRequest(p -> p.item(key("a"))).build(),
        WriteRequest.builder().deleteRequest(d -> d.key(key("a"))).build())))))
        .hasMessageStartingWith("Provided list of item keys contains duplicates");
    List<WriteRequest> many = new ArrayList<>();
    for (int i = 0; i < 26; i++) {
      String pk = "k" + i;
      many.add(WriteRequest.builder().putRequest(p -> p.item(key(pk))).build());
    }
    assertThatThrownBy(() -> dynamo.client.batchWriteItem(b -> b.requestItems(Map.of("locks", many))))
        .hasMessageContaining("Member must have length less than or equal to 25");
    assertThatThrownBy(() -> dynamo.client.batchGetItem(b -> b.requestItems(Map.of("locks",
        software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(key("a"), key("a")).build()))))
        .hasMessageStartingWith("Provided list of item keys contains duplicates");
  }
}
