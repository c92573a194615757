package dev.poolshift.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.local.aws.AwsServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The shared pager: limits, and tokens that hold the last key returned. */
class PagingTest {
  private static final Function<String, String> KEY = s -> s;

  private static Paging.Page<String> page(List<String> items, int size, String token) {
    return Paging.page(items, KEY, size, token, () -> AwsServiceException.client("InvalidNextToken", "bad token"));
  }

  @Test
  void anItemCreatedBetweenPagesNeitherRepeatsNorHidesAnItemAlreadyThere() {
    List<String> items = new ArrayList<>(List.of("b", "d", "f", "h"));
    Paging.Page<String> first = page(items, 2, null);

    items.add("a");
    items.add("e");
    Paging.Page<String> second = page(items, 2, first.nextToken());
    Paging.Page<String> third = page(items, 2, second.nextToken());

    assertThat(first.items()).containsExactly("b", "d");
    assertThat(second.items()).containsExactly("e", "f");
    assertThat(third.items()).containsExactly("h");
    assertThat(third.nextToken()).isNull();
  }

  @Test
  void deletingTheLastItemReturnedDoesNotLoseThePlace() {
    List<String> items = new ArrayList<>(List.of("a", "b", "c", "d"));
    Paging.Page<String> first = page(items, 2, null);

    items.remove("b");

    assertThat(page(items, 2, first.nextToken()).items()).containsExactly("c", "d");
  }

  @Test
  void aDescendingKeyListsNewestFirstAndPagesTheSameWay() {
    List<Long> times = List.of(10L, 30L, 20L);

    Paging.Page<Long> first = Paging.page(times, Paging::descending, 2, null,
        () -> AwsServiceException.client("X", "x"));
    Paging.Page<Long> second = Paging.page(times, Paging::descending, 2, first.nextToken(),
        () -> AwsServiceException.client("X", "x"));

    assertThat(first.items()).containsExactly(30L, 20L);
    assertThat(second.items()).containsExactly(10L);
  }

  @Test
  void aDescendingStringKeyReversesTheOrderIncludingPrefixes() {
    List<String> names = new ArrayList<>(List.of("ab", "abc", "b", "a"));

    names.sort(java.util.Comparator.comparing(Paging::descending));

    assertThat(names).containsExactly("b", "abc", "ab", "a");
  }

  @Test
  void aTokenTheServiceDidNotIssueIsTheServicesError() {
    assertThatThrownBy(() -> page(List.of("a"), 1, "not-a-token"))
        .isInstanceOf(AwsServiceException.class).hasMessage("bad token");
  }

  @Test
  void aLimitOutsideItsRangeIsTheServicesValidationErrorAndAbsentIsTheDefault() {
    assertThat(Paging.limit(null, 50, 1, 100, n -> AwsServiceException.client("V", "v" + n))).isEqualTo(50);
    assertThat(Paging.limit(100, 50, 1, 100, n -> AwsServiceException.client("V", "v" + n))).isEqualTo(100);
    assertThatThrownBy(() -> Paging.limit(101, 50, 1, 100, n -> AwsServiceException.client("V", "too many " + n)))
        .hasMessage("too many 101");
    assertThatThrownBy(() -> Paging.limit(0, 50, 1, 100, n -> AwsServiceException.client("V", "too few " + n)))
        .hasMessage("too few 0");
  }
}
