package dev.poolshift.local.events;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression: {@code rate(value unit)} or
 * {@code cron(minutes hours day-of-month month day-of-week year)}, with EventBridge's cron dialect
 * (one of day-of-month/day-of-week must be {@code ?}; day-of-week 1-7 is SUN-SAT; {@code L},
 * {@code W}, {@code #}; month and day names).
 *
 * <p>A rate schedule fires first one period after it starts, then every period (EventBridge only
 * promises "about" the rule's creation time for the first firing; one period later is the
 * deterministic choice). Cron schedules fire at the matching minutes, in UTC unless a zone is given.
 */
public final class ScheduleExpression {
  private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
  private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
  private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2),
      Map.entry("MAR", 3), Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7),
      Map.entry("AUG", 8), Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
  private static final Map<String, Integer> DAYS = Map.of("SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5,
      "FRI", 6, "SAT", 7);
  private static final int SEARCH_YEARS = 10;

  private final String text;
  private final Duration rate;
  private final ZoneId zone;
  private final BitSet minutes;
  private final BitSet hours;
  private final String dayOfMonth;
  private final BitSet months;
  private final String dayOfWeek;
  private final BitSet years;

  private ScheduleExpression(String text, Duration rate, ZoneId zone, BitSet minutes, BitSet hours, String dayOfMonth,
      BitSet months, String dayOfWeek, BitSet years) {
    this.text = text;
    this.rate = rate;
    this.zone = zone;
    this.minutes = minutes;
    this.hours = hours;
    this.dayOfMonth = dayOfMonth;
    this.months = months;
    this.dayOfWeek = dayOfWeek;
    this.years = years;
  }

  /** Parses an expression; {@code zone} (IANA id) applies to cron only, null means UTC. */
  public static ScheduleExpression parse(String expression, String zone) {
    ZoneId zoneId;
    try {
      zoneId = zone == null ? ZoneOffset.UTC : ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone '" + zone + "'");
    }
    Matcher rate = RATE.matcher(expression.strip());
    if (rate.matches()) {
      long value = Long.parseLong(rate.group(1));
      String unit = rate.group(2);
      if (value <= 0) {
        throw new IllegalArgumentException("rate value must be positive in '" + expression + "'");
      }
      if ((value == 1) != !unit.endsWith("s")) {
        throw new IllegalArgumentException("'" + expression + "': use the singular unit for 1 and the plural for "
            + "other values, e.g. rate(1 minute), rate(5 minutes)");
      }
      Duration d = switch (unit.replaceAll("s$", "")) {
        case "minute" -> Duration.ofMinutes(value);
        case "hour" -> Duration.ofHours(value);
        default -> Duration.ofDays(value);
      };
      return new ScheduleExpression(expression, d, zoneId, null, null, null, null, null, null);
    }
    Matcher cron = CRON.matcher(expression.strip());
    if (!cron.matches()) {
      throw new IllegalArgumentException("'" + expression + "' is neither rate(...) nor cron(...)");
    }
    String[] f = cron.group(1).strip().split("\\s+");
    if (f.length != 6) {
      throw new IllegalArgumentException("'" + expression + "': cron needs 6 fields (minutes hours day-of-month "
          + "month day-of-week year), got " + f.length);
    }
    boolean domAny = f[2].equals("?");
    boolean dowAny = f[4].equals("?");
    if (domAny == dowAny) {
      throw new IllegalArgumentException("'" + expression + "': exactly one of day-of-month and day-of-week must be ?");
    }
    BitSet minutes = field(f[0], 0, 59, Map.of(), expression, "minutes");
    BitSet hours = field(f[1], 0, 23, Map.of(), expression, "hours");
    BitSet months = field(f[3], 1, 12, MONTHS, expression, "month");
    BitSet years = field(f[5], 1970, 2199, Map.of(), expression, "year");
    if (!domAny) {
      checkDayOfMonth(f[2], expression);
    }
    if (!dowAny) {
      checkDayOfWeek(f[4], expression);
    }
    return new ScheduleExpression(expression, null, zoneId, minutes, hours, domAny ? null : f[2], months,
        dowAny ? null : f[4], years);
  }

  public String text() {
    return text;
  }

  public boolean isRate() {
    return rate != null;
  }

  /** The first firing strictly after {@code after}; {@code start} anchors rate schedules. Null if none. */
  public Instant nextAfter(Instant start, Instant after) {
    if (rate != null) {
      long periods = Math.max(0, Duration.between(start, after).toNanos() / rate.toNanos());
      Instant next = start.plus(rate.multipliedBy(periods));
      while (!next.isAfter(after)) {
        next = next.plus(rate);
      }
      return next;
    }
    ZonedDateTime from = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES);
    LocalDate day = from.toLocalDate();
    LocalDate last = day.plusYears(SEARCH_YEARS);
    for (; !day.isAfter(last); day = day.plusDays(1)) {
      if (!years.get(day.getYear()) || !months.get(day.getMonthValue()) || !dayMatches(day)) {
        continue;
      }
      for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
        for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
          Instant candidate = LocalDateTime.of(day.getYear(), day.getMonth(), day.getDayOfMonth(), h, m)
              .atZone(zone).toInstant();
          if (candidate.isAfter(after)) {
            return candidate;
          }
        }
      }
    }
    return null;
  }

  private boolean dayMatches(LocalDate day) {
    if (dayOfMonth != null) {
      for (String part : dayOfMonth.split(",")) {
        if (dayOfMonthMatches(part, day)) {
          return true;
        }
      }
      return false;
    }
    for (String part : dayOfWeek.split(",")) {
      if (dayOfWeekMatches(part, day)) {
        return true;
      }
    }
    return false;
  }

  private static boolean dayOfMonthMatches(String part, LocalDate day) {
    int lastDay = day.lengthOfMonth();
    if (part.equals("*")) {
      return true;
    }
    if (part.equals("L")) {
      return day.getDayOfMonth() == lastDay;
    }
    if (part.equals("LW")) {
      return day.equals(nearestWeekday(day.withDayOfMonth(lastDay)));
    }
    if (part.endsWith("W")) {
      int target = Integer.parseInt(part.substring(0, part.length() - 1));
      return target <= lastDay && day.equals(nearestWeekday(day.withDayOfMonth(target)));
    }
    BitSet set = field(part, 1, 31, Map.of(), part, "day-of-month");
    return set.get(day.getDayOfMonth());
  }

  /** The weekday nearest to {@code date} within its month (Quartz's W rule). */
  private static LocalDate nearestWeekday(LocalDate date) {
    DayOfWeek d = date.getDayOfWeek();
    if (d == DayOfWeek.SATURDAY) {
      return date.getDayOfMonth() == 1 ? date.plusDays(2) : date.minusDays(1);
    }
    if (d == DayOfWeek.SUNDAY) {
      return date.getDayOfMonth() == date.lengthOfMonth() ? date.minusDays(2) : date.plusDays(1);
    }
    return date;
  }

  private static int awsDay(LocalDate day) {
    return day.getDayOfWeek().getValue() % 7 + 1;
  }

  private static boolean dayOfWeekMatches(String part, LocalDate day) {
    if (part.equals("*")) {
      return true;
    }
    if (part.equals("L")) {
      return awsDay(day) == 7;
    }
    if (part.endsWith("L")) {
      int dow = dayNumber(part.substring(0, part.length() - 1));
      LocalDate last = day.with(TemporalAdjusters.lastInMonth(javaDay(dow)));
      return day.equals(last);
    }
    if (part.contains("#")) {
      String[] p = part.split("#");
      int dow = dayNumber(p[0]);
      int nth = Integer.parseInt(p[1]);
      return day.equals(day.with(TemporalAdjusters.dayOfWeekInMonth(nth, javaDay(dow))));
    }
    return field(part, 1, 7, DAYS, part, "day-of-week").get(awsDay(day));
  }

  private static DayOfWeek javaDay(int awsDay) {
    return DayOfWeek.of(awsDay == 1 ? 7 : awsDay - 1);
  }

  private static int dayNumber(String s) {
    Integer named = DAYS.get(s.toUpperCase(Locale.ROOT));
    return named != null ? named : Integer.parseInt(s);
  }

  private static void checkDayOfMonth(String f, String expression) {
    for (String part : f.split(",")) {
      if (part.equals("L") || part.equals("LW") || part.equals("*")) {
        continue;
      }
      if (part.matches("\\d{1,2}W")) {
        int d = Integer.parseInt(part.substring(0, part.length() - 1));
        if (d < 1 || d > 31) {
          throw new IllegalArgumentException("'" + expression + "': day-of-month " + part + " is out of range");
        }
        continue;
      }
      field(part, 1, 31, Map.of(), expression, "day-of-month");
    }
  }

  private static void checkDayOfWeek(String f, String expression) {
    for (String part : f.split(",")) {
      try {
        if (part.equals("L") || part.equals("*")) {
          continue;
        }
        if (part.endsWith("L")) {
          range(dayNumber(part.substring(0, part.length() - 1)), 1, 7, expression, "day-of-week");
          continue;
        }
        if (part.contains("#")) {
          String[] p = part.split("#");
          range(dayNumber(p[0]), 1, 7, expression, "day-of-week");
          range(Integer.parseInt(p[1]), 1, 5, expression, "day-of-week #");
          continue;
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + expression + "': bad day-of-week '" + part + "'");
      }
      field(part, 1, 7, DAYS, expression, "day-of-week");
    }
  }

  private static BitSet field(String f, int min, int max, Map<String, Integer> names, String expression, String what) {
    BitSet set = new BitSet(max + 1);
    for (String part : f.split(",")) {
      try {
        String rangePart = part;
        int step = 1;
        if (part.contains("/")) {
          rangePart = part.substring(0, part.indexOf('/'));
          step = Integer.parseInt(part.substring(part.indexOf('/') + 1));
          if (step <= 0) {
            throw new IllegalArgumentException("'" + expression + "': " + what + " step must be positive");
          }
        }
        int from;
        int to;
        if (rangePart.equals("*")) {
          from = min;
          to = max;
        } else if (rangePart.contains("-")) {
          from = value(rangePart.substring(0, rangePart.indexOf('-')), names);
          to = value(rangePart.substring(rangePart.indexOf('-') + 1), names);
        } else {
          from = value(rangePart, names);
          to = part.contains("/") ? max : from;
        }
        range(from, min, max, expression, what);
        range(to, min, max, expression, what);
        if (to < from) {
          throw new IllegalArgumentException("'" + expression + "': " + what + " range " + rangePart + " is reversed");
        }
        for (int v = from; v <= to; v += step) {
          set.set(v);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + expression + "': bad " + what + " '" + part + "'");
      }
    }
    return set;
  }

  private static int value(String s, Map<String, Integer> names) {
    Integer named = names.get(s.toUpperCase(Locale.ROOT));
    return named != null ? named : Integer.parseInt(s);
  }

  private static void range(int v, int min, int max, String expression, String what) {
    if (v < min || v > max) {
      throw new IllegalArgumentException("'" + expression + "': " + what + " value " + v + " is outside " + min + "-"
          + max);
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
