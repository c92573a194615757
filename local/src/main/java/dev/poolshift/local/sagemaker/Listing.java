package dev.poolshift.local.sagemaker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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

  /**
   * Sorts by the {@code SortBy} key (one of {@code keys}), {@code SortOrder} ascending or
   * descending; ties keep creation order (the {@code sequence}) so equal virtual timestamps still
   * sort deterministically.
   */
  static <T> List<T> sort(List<T> items, ObjectNode req, Map<String, Comparator<T>> keys, String defaultKey,
      String defaultOrder, Comparator<T> sequence) {
    String by = Wire.oneOf(req, "SortBy", "", keys.keySet().toArray(String[]::new));
    String order = Wire.oneOf(req, "SortOrder", "", "Ascending", "Descending");
    Comparator<T> c = keys.get(by == null ? defaultKey : by).thenComparing(sequence);
    if ("Descending".equals(order == null ? defaultOrder : order)) {
      c = c.reversed();
    }
    List<T> sorted = new ArrayList<>(items);
    sorted.sort(c);
    return sorted;
  }

  static <T> Page<T> page(List<T> items, ObjectNode req) {
    Integer max = Wire.integerInRange(req, "MaxResults", "", 1, 100);
    int size = max == null ? DEFAULT_PAGE : max;
    String token = Wire.text(req, "NextToken", "");
    int offset = token == null ? 0 : decode(token);
    int end = Math.min(items.size(), offset + size);
    List<T> slice = offset >= items.size() ? List.of() : items.subList(offset, end);
    String next = end < items.size() ? encode(end) : null;
    return new Page<>(List.copyOf(slice), next);
  }

  private static String encode(int offset) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(("poolshift-page:" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int decode(String token) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (s.startsWith("poolshift-page:")) {
        int offset = Integer.parseInt(s.substring("poolshift-page:".length()));
        if (offset >= 0) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below
    }
    throw Errors.validation("Invalid pagination token: " + token);
  }
}
