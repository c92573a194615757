package dev.poolshift.local.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleExpressionTest {
  // A Monday.
  private final Instant start = Instant.parse("2026-06-01T12:00:00Z");

  private Instant next(String expression, String after) {
    return ScheduleExpression.parse(expression, null).nextAfter(start, Instant.parse(after));
  }

  @Test
  void rateFiresOnePeriodAfterTheStartThenEveryPeriod() {
    ScheduleExpression rate = ScheduleExpression.parse("rate(5 minutes)", null);

    assertThat(rate.nextAfter(start, start)).isEqualTo(Instant.parse("2026-06-01T12:05:00Z"));
    assertThat(rate.nextAfter(start, Instant.parse("2026-06-01T12:05:00Z"))).isEqualTo(Instant.parse("2026-06-01T12:10:00Z"));
    assertThat(rate.nextAfter(start, Instant.parse("2026-06-01T12:07:30Z"))).isEqualTo(Instant.parse("2026-06-01T12:10:00Z"));
    assertThat(ScheduleExpression.parse("rate(1 day)", null).nextAfter(start, start))
        .isEqualTo(Instant.parse("2026-06-02T12:00:00Z"));
  }

  @Test
  void rateUnitsMustAgreeWithTheValue() {
    assertThatThrownBy(() -> ScheduleExpression.parse("rate(1 minutes)", null)).hasMessageContaining("singular");
    assertThatThrownBy(() -> ScheduleExpression.parse("rate(5 minute)", null)).hasMessageContaining("plural");
    assertThatThrownBy(() -> ScheduleExpression.parse("rate(0 minutes)", null)).hasMessageContaining("positive");
  }

  @Test
  void cronMatchesMinutesHoursAndWeekdayRanges() {
    assertThat(next("cron(0 3 * * ? *)", "2026-06-01T12:00:00Z")).isEqualTo(Instant.parse("2026-06-02T03:00:00Z"));
    assertThat(next("cron(0/15 * * * ? *)", "2026-06-01T12:00:00Z")).isEqualTo(Instant.parse("2026-06-01T12:15:00Z"));
    // 2026-06-05 is a Friday, so the next weekday run after Friday noon is Monday.
    assertThat(next("cron(0 9 ? * MON-FRI *)", "2026-06-05T12:00:00Z")).isEqualTo(Instant.parse("2026-06-08T09:00:00Z"));
    assertThat(next("cron(30 8 ? * 1 *)", "2026-06-01T12:00:00Z")).as("1 is Sunday")
        .isEqualTo(Instant.parse("2026-06-07T08:30:00Z"));
  }

  @Test
  void cronSupportsLastWeekdayAndNthDayForms() {
    assertThat(next("cron(0 0 L * ? *)", "2026-06-01T12:00:00Z")).isEqualTo(Instant.parse("2026-06-30T00:00:00Z"));
    assertThat(next("cron(0 0 ? * 6L *)", "2026-06-01T12:00:00Z")).as("last Friday")
        .isEqualTo(Instant.parse("2026-06-26T00:00:00Z"));
    assertThat(next("cron(0 0 ? * 3#2 *)", "2026-06-01T12:00:00Z")).as("second Tuesday")
        .isEqualTo(Instant.parse("2026-06-09T00:00:00Z"));
    // 2026-08-15 is a Saturday: the nearest weekday is Friday the 14th.
    assertThat(next("cron(0 0 15W * ? *)", "2026-08-01T00:00:00Z")).isEqualTo(Instant.parse("2026-08-14T00:00:00Z"));
    assertThat(next("cron(0 0 1 JAN ? 2027)", "2026-06-01T12:00:00Z")).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
  }

  @Test
  void cronInAZoneFollowsLocalTime() {
    Instant next = ScheduleExpression.parse("cron(0 3 * * ? *)", "Europe/Berlin").nextAfter(start, start);

    assertThat(next).isEqualTo(Instant.parse("2026-06-02T01:00:00Z"));
  }

  @Test
  void badCronExpressionsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 3 * * * *)", null)).hasMessageContaining("exactly one of");
    assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 3 * *)", null)).hasMessageContaining("6 fields");
    assertThatThrownBy(() -> ScheduleExpression.parse("cron(61 3 * * ? *)", null)).hasMessageContaining("minutes value 61");
    assertThatThrownBy(() -> ScheduleExpression.parse("every 5 minutes", null)).hasMessageContaining("neither");
  }

  @Test
  void aCronThatCanNeverFireAgainHasNoNextTime() {
    assertThat(next("cron(0 0 1 1 ? 2026)", "2026-06-01T12:00:00Z")).isNull();
  }
}
