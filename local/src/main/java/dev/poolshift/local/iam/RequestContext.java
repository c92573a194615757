package dev.poolshift.local.iam;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The condition keys of one request, as IAM puts them in the request context: key names are
 * case-insensitive, values are strings. A single-valued key has one value; a multivalued key
 * ({@code aws:TagKeys}, {@code sagemaker:InstanceTypes}) has a list, which may be empty. A key
 * that is not in the context is absent, which is not the same as an empty list only for the
 * {@code Null} operator's reading (both count as absent there, see {@link Conditions}).
 */
public final class RequestContext {
  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private final Map<String, String> names = new LinkedHashMap<>();
  private final java.util.Set<String> multivalued = new java.util.HashSet<>();

  public RequestContext() {}

  /** A copy of {@code other} that can be extended without changing it. */
  public RequestContext(RequestContext other) {
    values.putAll(other.values);
    names.putAll(other.names);
    multivalued.addAll(other.multivalued);
  }

  /** Sets a single-valued key; a null value leaves the key absent. */
  public RequestContext put(String key, String value) {
    if (value != null) {
      String k = key.toLowerCase(Locale.ROOT);
      values.put(k, List.of(value));
      names.put(k, key);
      multivalued.remove(k);
    }
    return this;
  }

  /** Sets a multivalued key (the list may be empty: the key is then present with no values). */
  public RequestContext putAll(String key, Collection<String> list) {
    String k = key.toLowerCase(Locale.ROOT);
    values.put(k, List.copyOf(list));
    names.put(k, key);
    multivalued.add(k);
    return this;
  }

  /** Every key of {@code other}, replacing keys of the same name. */
  public RequestContext merge(RequestContext other) {
    other.values.keySet().forEach(multivalued::remove);
    values.putAll(other.values);
    names.putAll(other.names);
    multivalued.addAll(other.multivalued);
    return this;
  }

  /** The values of {@code key}, or null when the key is not in the context. */
  public List<String> values(String key) {
    return values.get(key.toLowerCase(Locale.ROOT));
  }

  /**
   * The value of a single-valued key, or null when it is absent or multivalued: IAM does not
   * substitute a multivalued key as a policy variable.
   */
  public String value(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    List<String> v = values.get(k);
    return v == null || v.isEmpty() || multivalued.contains(k) ? null : v.getFirst();
  }

  /** The keys as they were named when put, with their values, in insertion order. */
  public Map<String, List<String>> asMap() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(names.get(k), v));
    return out;
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}
