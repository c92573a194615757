package dev.poolshift.local.sagemaker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import dev.poolshift.local.http.Paging;

/**
 * The List* conventions shared by SageMaker's list calls: {@code NameContains}, creation-time
 * windows, {@code SortBy}/{@code SortOrder}, {@code MaxResults} (1–100) and an opaque
 * {@code NextToken}. The default page size is 10, the smallest SageMaker uses, so a caller that
 * forgets to page is caught locally rather than on an account with many resources.
 */
final class Listing {
  static final int DEFAULT_PAGE = 10;

  private Listing() {}

  record Page<T>(List<T> items, String nextToken) {}

  /** Keeps items whose name contains {@code NameContains} (case-insensitive, as SageMaker does). */
  static <T> List<T> filterName(List<T> items, ObjectNode req, Function<T, String> name) {
    String contains = Wire.text(req, "NameContains", "");
    if (contains == null) {
      return items;
    }
    String needle = Wire.lower(contains);
    return items.stream().filter(i -> Wire.lower(name.apply(i)).contains(needle)).toList();
  }

  /** Applies {@code <prefix>After}/{@code <prefix>Before} windows (exclusive) on a time. */
  static <T> List<T> filterTime(List<T> items, ObjectNode req, String prefix, Function<T, Instant> time) {
    Instant after = Wire.timestamp(req, prefix + "After", "");
    Instant before = Wire.timestamp(req, prefix + "Before", "");
    return items.stream()
        .filter(i -> after == null || time.apply(i).isAfter(after))
        .filter(i -> before == null || time.apply(i).isBefore(before))
        .toList();
  }

  /** Items in listing order, with the paging key that sorts them so. */
  record Sorted<T>(List<T> items, Function<T, String> key) {}

  /**
   * Sorts by the {@code SortBy} key (one of {@code keys}, each a string that sorts as the
   * attribute does), {@code SortOrder} ascending or descending; ties keep creation order (the
   * {@code sequence}) so equal virtual timestamps still sort deterministically. The same key is
   * the page token's, so a page resumes after the last item returned whatever was added since.
   */
  static <T> Sorted<T> sort(List<T> items, ObjectNode req, Map<String, Function<T, String>> keys, String defaultKey,
      String defaultOrder, ToLongFunction<T> sequence) {
    String by = Wire.oneOf(req, "SortBy", "", keys.keySet().toArray(String[]::new));
    String order = Wire.oneOf(req, "SortOrder", "", "Ascending", "Descending");
    Function<T, String> attribute = keys.get(by == null ? defaultKey : by);
    Function<T, String> ascending = i -> attribute.apply(i) + '\u0000' + Paging.ascending(sequence.applyAsLong(i));
    Function<T, String> key = "Descending".equals(order == null ? defaultOrder : order)
        ? i -> Paging.descending(ascending.apply(i)) : ascending;
    List<T> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparing(key));
    return new Sorted<>(sorted, key);
  }

  /** The key of a creation time, for {@link #sort}. */
  static String time(Instant t) {
    return Paging.ascending(t.toEpochMilli());
  }

  static <T> Page<T> page(Sorted<T> sorted, ObjectNode req) {
    Integer max = Wire.integerInRange(req, "MaxResults", "", 1, 100);
    int size = max == null ? DEFAULT_PAGE : max;
    String token = Wire.text(req, "NextToken", "");
    Paging.Page<T> page = Paging.page(sorted.items(), sorted.key(), size, token,
        () -> Errors.validation("Invalid pagination token: " + token));
    return new Page<>(page.items(), page.nextToken());
  }

  /** Pages a list without a SortBy (tags), keyed by {@code key}. */
  static <T> Page<T> page(List<T> items, ObjectNode req, Function<T, String> key) {
    return page(new Sorted<>(items, key), req);
  }

}
