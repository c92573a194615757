package dev.poolshift.local.http;

import dev.poolshift.local.aws.AwsServiceException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Paging for every list operation of the local services: a page holds at most the requested
 * number of items, and the token encodes the <em>key of the last item returned</em>, not an
 * offset, so a resource created or deleted between two calls neither repeats an item nor skips
 * one that was already there (AWS's tokens are opaque; this is the behaviour they promise).
 * Items are ordered by their key; a caller that lists newest first gives a key that sorts so.
 */
public final class Paging {
  private static final String PREFIX = "after:";

  private Paging() {}

  /** One page and the token for the next, null on the last page. */
  public record Page<T>(List<T> items, String nextToken) {}

  /**
   * The page of {@code items} (any order; sorted here by {@code key}) that follows {@code token}.
   *
   * @param size the page size, already validated ({@link #limit})
   * @param badToken the service's error for a token it did not issue
   */
  public static <T> Page<T> page(List<T> items, Function<T, String> key, int size, String token,
      Supplier<AwsServiceException> badToken) {
    String after = token == null ? null : decode(token, badToken);
    List<T> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparing(key));
    List<T> remaining = after == null ? sorted
        : sorted.stream().filter(i -> key.apply(i).compareTo(after) > 0).toList();
    if (remaining.size() <= size) {
      return new Page<>(List.copyOf(remaining), null);
    }
    List<T> page = List.copyOf(remaining.subList(0, size));
    return new Page<>(page, encode(key.apply(page.getLast())));
  }

  /**
   * A requested page size: {@code defaultSize} when absent, else it must lie in {@code [min, max]}
   * or {@code invalid} (the service's own validation error for that value) is thrown.
   */
  public static int limit(Integer requested, int defaultSize, int min, int max,
      IntFunction<AwsServiceException> invalid) {
    if (requested == null) {
      return defaultSize;
    }
    if (requested < min || requested > max) {
      throw invalid.apply(requested);
    }
    return requested;
  }

  /** A key that sorts descending by {@code number} (for lists that show the newest first). */
  public static String descending(long number) {
    return String.format("%019d", Long.MAX_VALUE - number);
  }

  /**
   * A key that sorts in the reverse order of {@code key}: each character inverted, then a
   * terminator that sorts after every inverted one, so a longer key with the same start comes
   * first ("abc" before "ab"), as reversing the order requires.
   */
  public static String descending(String key) {
    StringBuilder b = new StringBuilder(key.length() + 1);
    for (char c : key.toCharArray()) {
      b.append((char) (0xFFFE - c));
    }
    return b.append('\uFFFF').toString();
  }

  /** A key that sorts ascending by a non-negative {@code number}. */
  public static String ascending(long number) {
    return String.format("%019d", number);
  }

  static String encode(String key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + key).getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String token, Supplier<AwsServiceException> badToken) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (text.startsWith(PREFIX)) {
        return text.substring(PREFIX.length());
      }
    } catch (IllegalArgumentException e) {
      // falls through: not a token this service issued
    }
    throw badToken.get();
  }
}
