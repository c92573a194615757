package dev.poolshift.local.dynamodb;

import dev.poolshift.local.dynamodb.AttrValue.B;
import dev.poolshift.local.dynamodb.AttrValue.S;
import java.util.List;
import java.util.Map;

/** Keys and items against a table's schema: key attributes and types, index keys, sizes. */
final class KeyRules {
  /** 400 KB, names and values included. */
  static final long MAX_ITEM_BYTES = 400 * 1024;
  static final String KEY_MISMATCH = "The provided key element does not match the schema";
  private static final int MAX_HASH_KEY_BYTES = 2048;
  private static final int MAX_RANGE_KEY_BYTES = 1024;

  private KeyRules() {}

  /** Checks a {@code Key}: exactly the table's key attributes, of their types, not empty. */
  static Map<String, AttrValue> checkKey(Table t, Map<String, AttrValue> key) {
    if (key.size() != t.keys().size()) {
      throw DynamoDbException.validation(KEY_MISMATCH);
    }
    for (Table.KeyDef k : t.keys()) {
      AttrValue v = key.get(k.name());
      if (v == null || !v.type().equals(k.type())) {
        throw DynamoDbException.validation(KEY_MISMATCH);
      }
    }
    for (Table.KeyDef k : t.keys()) {
      checkNotEmpty(key.get(k.name()), k.name());
    }
    return t.keyOf(key);
  }

  static void checkNotEmpty(AttrValue v, String attribute) {
    if (v instanceof S s && s.value().isEmpty()) {
      throw DynamoDbException.validation("One or more parameter values are not valid. The AttributeValue for a key "
          + "attribute cannot contain an empty string value. Key: " + attribute);
    }
    if (v instanceof B b && b.value().length() == 0) {
      throw DynamoDbException.validation("One or more parameter values are not valid. The AttributeValue for a key "
          + "attribute cannot contain an empty binary value. Key: " + attribute);
    }
  }

  /** Checks a whole item (PutItem, BatchWriteItem, a transaction's Put) against the table. */
  static void checkItem(Table t, Map<String, AttrValue> item) {
    for (Table.KeyDef k : t.keys()) {
      AttrValue v = item.get(k.name());
      if (v == null) {
        throw Requests.invalid("Missing the key " + k.name() + " in the item");
      }
      if (!v.type().equals(k.type())) {
        throw Requests.invalid("Type mismatch for key " + k.name() + " expected: " + k.type() + " actual: " + v.type());
      }
      checkNotEmpty(v, k.name());
    }
    if (keyBytes(item.get(t.hash.name())) > MAX_HASH_KEY_BYTES) {
      throw Requests.invalid("Size of hashkey has exceeded the maximum size limit of" + MAX_HASH_KEY_BYTES + " bytes");
    }
    if (t.range != null && keyBytes(item.get(t.range.name())) > MAX_RANGE_KEY_BYTES) {
      throw Requests.invalid("Aggregated size of all range keys has exceeded the size limit of " + MAX_RANGE_KEY_BYTES
          + " bytes");
    }
    checkIndexKeys(t, item);
  }

  /** Index key attributes an item has must be of the index's types and not empty. */
  static void checkIndexKeys(Table t, Map<String, AttrValue> item) {
    for (Table.Index i : t.indexes) {
      for (Table.KeyDef k : i.range() == null ? List.of(i.hash()) : List.of(i.hash(), i.range())) {
        AttrValue v = item.get(k.name());
        if (v == null) {
          continue;
        }
        if (!v.type().equals(k.type())) {
          throw Requests.invalid("Type mismatch for Index Key " + k.name() + " Expected: " + k.type() + " Actual: " + v.type()
              + " IndexName: " + i.name());
        }
        if ((v instanceof S s && s.value().isEmpty()) || (v instanceof B b && b.value().length() == 0)) {
          throw DynamoDbException.validation("One or more parameter values are not valid. A value specified for a "
              + "secondary index key is not supported. The AttributeValue for a key attribute cannot contain an "
              + "empty " + (v instanceof S ? "string" : "binary") + " value. IndexName: " + i.name() + ", IndexKey: "
              + k.name());
        }
      }
    }
  }

  static long keyBytes(AttrValue v) {
    return AttrValue.size(v);
  }

  static void checkSize(Map<String, AttrValue> item, String message) {
    if (AttrValue.itemSize(item) > MAX_ITEM_BYTES) {
      throw DynamoDbException.validation(message);
    }
  }

}
