package dev.poolshift.local.template;

import java.util.List;
import java.util.Map;

/**
 * An {@code AWS::DynamoDB::Table} or {@code AWS::Serverless::SimpleTable}.
 *
 * @param attributeDefinitions attribute name to type ({@code S}, {@code N}, {@code B})
 * @param billingMode {@code PAY_PER_REQUEST} or {@code PROVISIONED}
 * @param provisionedThroughput null for on-demand tables
 * @param ttlAttribute the enabled {@code TimeToLiveSpecification} attribute, or null
 * @param streamViewType the {@code StreamSpecification} view type, or null
 */
public record TableDef(
    String logicalId,
    String name,
    String arn,
    List<KeyElement> keySchema,
    Map<String, String> attributeDefinitions,
    String billingMode,
    Throughput provisionedThroughput,
    List<IndexDef> globalSecondaryIndexes,
    List<IndexDef> localSecondaryIndexes,
    String ttlAttribute,
    String streamViewType,
    boolean deletionProtection) {

  public TableDef {
    keySchema = List.copyOf(keySchema);
    attributeDefinitions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributeDefinitions));
    globalSecondaryIndexes = List.copyOf(globalSecondaryIndexes);
    localSecondaryIndexes = List.copyOf(localSecondaryIndexes);
  }

  /** {@code keyType} is {@code HASH} or {@code RANGE}. */
  public record KeyElement(String attributeName, String keyType) {}

  public record Throughput(long readCapacityUnits, long writeCapacityUnits) {}

  /**
   * A secondary index; {@code projectionType} is {@code ALL}, {@code KEYS_ONLY} or {@code INCLUDE}.
   * {@code throughput} is null for on-demand tables and local indexes.
   */
  public record IndexDef(String name, List<KeyElement> keySchema, String projectionType, List<String> nonKeyAttributes,
      Throughput throughput) {
    public IndexDef {
      keySchema = List.copyOf(keySchema);
      nonKeyAttributes = List.copyOf(nonKeyAttributes);
    }
  }
}
