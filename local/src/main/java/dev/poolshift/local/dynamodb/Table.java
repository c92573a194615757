package dev.poolshift.local.dynamodb;

import dev.poolshift.local.dynamodb.AttrValue.B;
import dev.poolshift.local.dynamodb.AttrValue.N;
import dev.poolshift.local.dynamodb.AttrValue.S;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One table: its definition and its items, in memory. Callers hold {@link #lock} around every
 * read and write (several runtime threads call at once; transactions lock all their tables).
 *
 * <p>Items are kept in the order a Scan returns them: partitions ordered by a hash of the
 * partition key (DynamoDB's order looks arbitrary to a client, and code must not depend on insert
 * order), items of a partition by sort key.
 */
final class Table {
  /** DynamoDB refreshes ItemCount and TableSizeBytes about every six hours, not on each write. */
  static final Duration STATISTICS_REFRESH = Duration.ofHours(6);

  record KeyDef(String name, String type) {}

  /** A secondary index; {@code range} is null for a GSI without a sort key. */
  record Index(String name, boolean global, KeyDef hash, KeyDef range, String projectionType,
      List<String> nonKeyAttributes, Long readCapacity, Long writeCapacity) {

    /** Whether the index holds {@code item} (a sparse index skips items without its keys). */
    boolean holds(Map<String, AttrValue> item) {
      return item.containsKey(hash.name()) && (range == null || item.containsKey(range.name()));
    }
  }

  final String name;
  final String arn;
  final String id;
  final KeyDef hash;
  final KeyDef range;
  final Map<String, String> attributeDefinitions;
  final List<Index> indexes;
  final String billingMode;
  final Long readCapacity;
  final Long writeCapacity;
  final String streamViewType;
  final boolean deletionProtection;
  final Instant created;
  final ReentrantLock lock = new ReentrantLock();

  private final TreeMap<AttrValue, TreeMap<AttrValue, Map<String, AttrValue>>> partitions =
      new TreeMap<>(this::partitionOrder);
  /**
   * The hash of every partition key compared so far: each step down the partition tree compares
   * two keys, and an MD5 per side made the lookups of a large table slow. Grows with the distinct
   * keys a run uses.
   */
  private final Map<AttrValue, Long> tokens = new java.util.concurrent.ConcurrentHashMap<>();
  private String ttlAttribute;
  private Instant ttlChangedAt;
  private Statistics statistics = new Statistics(0, 0, Map.of());
  private Instant statisticsAt;

  Table(String name, String arn, KeyDef hash, KeyDef range, Map<String, String> attributeDefinitions,
      List<Index> indexes, String billingMode, Long readCapacity, Long writeCapacity, String streamViewType,
      boolean deletionProtection, Instant created) {
    this.name = name;
    this.arn = arn;
    this.id = java.util.UUID.nameUUIDFromBytes((arn + "@" + created).getBytes(StandardCharsets.UTF_8)).toString();
    this.hash = hash;
    this.range = range;
    this.attributeDefinitions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributeDefinitions));
    this.indexes = List.copyOf(indexes);
    this.billingMode = billingMode;
    this.readCapacity = readCapacity;
    this.writeCapacity = writeCapacity;
    this.streamViewType = streamViewType;
    this.deletionProtection = deletionProtection;
    this.created = created;
    this.statisticsAt = created;
  }

  Index index(String indexName) {
    return indexes.stream().filter(i -> i.name().equals(indexName)).findFirst().orElse(null);
  }

  List<KeyDef> keys() {
    return range == null ? List.of(hash) : List.of(hash, range);
  }

  boolean isKey(String attribute) {
    return hash.name().equals(attribute) || (range != null && range.name().equals(attribute));
  }

  /** The primary key attributes of {@code item}. */
  Map<String, AttrValue> keyOf(Map<String, AttrValue> item) {
    Map<String, AttrValue> key = new LinkedHashMap<>();
    keys().forEach(k -> key.put(k.name(), item.get(k.name())));
    return key;
  }

  // ------------------------------------------------------------------ items (caller holds the lock)

  Map<String, AttrValue> get(Map<String, AttrValue> key) {
    TreeMap<AttrValue, Map<String, AttrValue>> p = partitions.get(key.get(hash.name()));
    return p == null ? null : p.get(sortValue(key));
  }

  void put(Map<String, AttrValue> item) {
    partitions.computeIfAbsent(item.get(hash.name()), k -> new TreeMap<>(Table::sortOrder))
        .put(sortValue(item), new StoredItem(item));
  }

  /**
   * A stored item: unmodifiable, in attribute order, and sized once. Every Scan page sizes each
   * item it reads (the 1 MB page limit), and a reconciler scanning the table of a fleet made that
   * the largest cost of a 500-rollout rehearsal.
   */
  static final class StoredItem extends java.util.AbstractMap<String, AttrValue> {
    private final Map<String, AttrValue> attributes;
    final long bytes;

    StoredItem(Map<String, AttrValue> item) {
      this.attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(item));
      this.bytes = AttrValue.itemSize(attributes);
    }

    @Override
    public java.util.Set<Map.Entry<String, AttrValue>> entrySet() {
      return attributes.entrySet();
    }

    @Override
    public java.util.Set<String> keySet() {
      return attributes.keySet();
    }

    @Override
    public java.util.Collection<AttrValue> values() {
      return attributes.values();
    }

    @Override
    public int size() {
      return attributes.size();
    }

    @Override
    public boolean containsKey(Object key) {
      return attributes.containsKey(key);
    }

    @Override
    public AttrValue get(Object key) {
      return attributes.get(key);
    }

    @Override
    public void forEach(java.util.function.BiConsumer<? super String, ? super AttrValue> action) {
      attributes.forEach(action);
    }
  }

  void delete(Map<String, AttrValue> key) {
    AttrValue h = key.get(hash.name());
    TreeMap<AttrValue, Map<String, AttrValue>> p = partitions.get(h);
    if (p != null) {
      p.remove(sortValue(key));
      if (p.isEmpty()) {
        partitions.remove(h);
      }
    }
  }

  /** The items of one partition in sort-key order. */
  List<Map<String, AttrValue>> partition(AttrValue hashValue) {
    TreeMap<AttrValue, Map<String, AttrValue>> p = partitions.get(hashValue);
    return p == null ? new ArrayList<>() : new ArrayList<>(p.values());
  }

  /** Every item, in Scan order. */
  List<Map<String, AttrValue>> all() {
    List<Map<String, AttrValue>> out = new ArrayList<>();
    partitions.values().forEach(p -> out.addAll(p.values()));
    return out;
  }

  /** Every item after {@code key} in Scan order (the key itself need not exist any more). */
  List<Map<String, AttrValue>> after(Map<String, AttrValue> key) {
    List<Map<String, AttrValue>> out = new ArrayList<>();
    AttrValue h = key.get(hash.name());
    TreeMap<AttrValue, Map<String, AttrValue>> first = partitions.get(h);
    if (first != null) {
      out.addAll(first.tailMap(sortValue(key), false).values());
    }
    NavigableMap<AttrValue, TreeMap<AttrValue, Map<String, AttrValue>>> rest = partitions.tailMap(h, false);
    rest.values().forEach(p -> out.addAll(p.values()));
    return out;
  }

  private AttrValue sortValue(Map<String, AttrValue> key) {
    return range == null ? NO_SORT_KEY : key.get(range.name());
  }

  private static final AttrValue NO_SORT_KEY = new AttrValue.Null();

  // ------------------------------------------------------------------ ordering

  /** Partitions in the order of a hash of their key, then by key: stable, and not insert order. */
  int partitionOrder(AttrValue a, AttrValue b) {
    int c = Long.compareUnsigned(tokens.computeIfAbsent(a, Table::token), tokens.computeIfAbsent(b, Table::token));
    return c != 0 ? c : AttrValue.compare(a, b);
  }

  private static int sortOrder(AttrValue a, AttrValue b) {
    return a == NO_SORT_KEY || b == NO_SORT_KEY ? 0 : AttrValue.compare(a, b);
  }

  /**
   * The segment of a parallel Scan that holds a partition: the hash range is cut into
   * {@code total} equal slices, so each segment is a contiguous run of the Scan order.
   */
  static int segment(AttrValue partitionKey, int total) {
    return (int) (((token(partitionKey) >>> 32) * total) >>> 32);
  }

  private static long token(AttrValue keyValue) {
    byte[] bytes = switch (keyValue) {
      case S s -> ("S" + s.value()).getBytes(StandardCharsets.UTF_8);
      case N n -> ("N" + n.text()).getBytes(StandardCharsets.UTF_8);
      case B b -> b.value().data();
      default -> throw new IllegalArgumentException("not a key value: " + keyValue.type());
    };
    try {
      return ByteBuffer.wrap(MessageDigest.getInstance("MD5").digest(bytes)).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The order of an index's entries: index partition (hashed), index sort key, then the table's
   * key, so pages over an index resume exactly where they stopped.
   */
  Comparator<Map<String, AttrValue>> indexOrder(Index index) {
    Comparator<Map<String, AttrValue>> order =
        (x, y) -> partitionOrder(x.get(index.hash().name()), y.get(index.hash().name()));
    if (index.range() != null) {
      order = order.thenComparing((x, y) -> AttrValue.compare(x.get(index.range().name()), y.get(index.range().name())));
    }
    return order.thenComparing(tableOrder());
  }

  /** Scan order of the table's own keys. */
  Comparator<Map<String, AttrValue>> tableOrder() {
    Comparator<Map<String, AttrValue>> order = (x, y) -> partitionOrder(x.get(hash.name()), y.get(hash.name()));
    if (range != null) {
      order = order.thenComparing((x, y) -> AttrValue.compare(x.get(range.name()), y.get(range.name())));
    }
    return order;
  }

  // ------------------------------------------------------------------ time to live and statistics

  String ttlAttribute() {
    return ttlAttribute;
  }

  Instant ttlChangedAt() {
    return ttlChangedAt;
  }

  void ttl(String attribute, Instant at) {
    ttlAttribute = attribute;
    ttlChangedAt = at;
  }

  /** Item count and size in bytes of the table, and of each index by name. */
  record Statistics(long itemCount, long sizeBytes, Map<String, long[]> indexes) {}

  /**
   * ItemCount and TableSizeBytes as DynamoDB reports them: as of the last refresh, which happens
   * about every six hours; a new table reports zero until then.
   */
  Statistics statistics(Instant now) {
    if (!now.isBefore(statisticsAt.plus(STATISTICS_REFRESH))) {
      long count = 0;
      long size = 0;
      Map<String, long[]> perIndex = new LinkedHashMap<>();
      indexes.forEach(i -> perIndex.put(i.name(), new long[2]));
      for (Map<String, AttrValue> item : all()) {
        long itemSize = AttrValue.itemSize(item);
        count++;
        size += itemSize;
        for (Index i : indexes) {
          if (i.holds(item)) {
            perIndex.get(i.name())[0]++;
            perIndex.get(i.name())[1] += itemSize;
          }
        }
      }
      statistics = new Statistics(count, size, perIndex);
      statisticsAt = now;
    }
    return statistics;
  }
}
