package dev.poolshift.local.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An operation's output as the service model describes it, before a protocol renders it: a
 * structure of named members whose values are strings, numbers, booleans, {@link java.time.Instant}s,
 * lists, maps or nested structures. Null members are left out, as every AWS protocol leaves them.
 * One document renders as Query XML, AWS JSON or CBOR, so an operation is written once.
 */
public final class Doc {
  private Doc() {}

  /** A structure: members in model order. */
  public static final class Struct {
    private final Map<String, Object> members = new LinkedHashMap<>();

    /** Sets {@code name} (ignored when {@code value} is null); returns this structure. */
    public Struct put(String name, Object value) {
      if (value != null) {
        members.put(name, value);
      }
      return this;
    }

    /** A nested structure under {@code name}. */
    public Struct struct(String name) {
      Struct s = new Struct();
      members.put(name, s);
      return s;
    }

    /** A list under {@code name} (present even when empty, as AWS sends an empty list). */
    public ListValue list(String name) {
      ListValue l = new ListValue();
      members.put(name, l);
      return l;
    }

    public Map<String, Object> members() {
      return members;
    }
  }

  /** A list: elements are scalars or structures. */
  public static final class ListValue {
    private final List<Object> items = new ArrayList<>();

    public ListValue add(Object value) {
      items.add(value);
      return this;
    }

    /** Appends a new structure and returns it. */
    public Struct addStruct() {
      Struct s = new Struct();
      items.add(s);
      return s;
    }

    public List<Object> items() {
      return items;
    }
  }

  /** A map with string keys (Query XML renders it as {@code entry/key/value}). */
  public static final class MapValue {
    private final Map<String, Object> entries = new LinkedHashMap<>();

    public MapValue put(String key, Object value) {
      entries.put(key, value);
      return this;
    }

    public Map<String, Object> entries() {
      return entries;
    }
  }

  public static Struct struct() {
    return new Struct();
  }
}
