package dev.poolshift.local.report;

import java.util.List;
import java.util.Locale;

/**
 * The geometry every chart shares — one virtual-time axis, the same pixel columns in every chart
 * — and the small text helpers the page is written with.
 */
final class Svg {
  /** The width of every chart's viewBox; the page scales them all alike, so times line up. */
  static final double WIDTH = 1200;
  /** Left gutter for lane names and y-axis labels. */
  static final double LEFT = 210;
  static final double RIGHT = 20;
  static final double PLOT = WIDTH - LEFT - RIGHT;
  /** Height of the time-axis labels under each chart. */
  static final double AXIS = 18;

  /** Tick spacings a time axis picks from, in seconds. */
  private static final List<Integer> TICKS = List.of(5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
      10800, 21600, 43200, 86400);

  private final double end;

  /** @param endSeconds the virtual time the axis ends at (its start is the scenario's start) */
  Svg(double endSeconds) {
    this.end = Math.max(endSeconds, 1);
  }

  double end() {
    return end;
  }

  double x(double t) {
    return LEFT + Math.max(0, Math.min(t, end)) / end * PLOT;
  }

  /** Tick spacing: the finest that gives at most 12 ticks. */
  int tickSeconds() {
    for (int step : TICKS) {
      if (end / step <= 12) {
        return step;
      }
    }
    return 86400 * (int) Math.ceil(end / 86400 / 12);
  }

  /**
   * Vertical grid lines at each tick from {@code top} to {@code bottom}, labelled below; the
   * labels are {@code +H:MM:SS} of virtual time, as the text timeline prints it.
   */
  String timeAxis(double top, double bottom) {
    StringBuilder b = new StringBuilder("<g class=\"axis\">");
    int step = tickSeconds();
    for (long t = 0; t <= end + 1e-9; t += step) {
      double x = x(t);
      b.append("<line class=\"tick\" x1=\"").append(n(x)).append("\" x2=\"").append(n(x)).append("\" y1=\"").append(n(top))
          .append("\" y2=\"").append(n(bottom)).append("\"/>")
          .append("<text class=\"tick-label\" x=\"").append(n(x)).append("\" y=\"").append(n(bottom + 13))
          .append("\" text-anchor=\"middle\">").append(esc(dev.poolshift.local.scenario.TimelineLine.clock(t))).append("</text>");
    }
    return b.append("</g>").toString();
  }

  /** The opening tag of a chart of {@code height}: the data attributes the page's script reads. */
  String open(String id, double height, String label) {
    return "<svg class=\"tl\" id=\"" + esc(id) + "\" viewBox=\"0 0 " + n(WIDTH) + " " + n(height)
        + "\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-label=\"" + esc(label) + "\" data-left=\"" + n(LEFT)
        + "\" data-plot=\"" + n(PLOT) + "\" data-end=\"" + n(end) + "\">";
  }

  /** The line the page's script moves to the time under the pointer, in every chart at once. */
  static String crosshair(double top, double bottom) {
    return "<line class=\"crosshair\" x1=\"0\" x2=\"0\" y1=\"" + n(top) + "\" y2=\"" + n(bottom) + "\" visibility=\"hidden\"/>";
  }

  /** A number for an SVG attribute: at most two decimals, no exponent. */
  static String n(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  /** A data value: up to 6 significant digits; {@code -} for a gap. */
  static String value(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    String s = String.format(Locale.ROOT, "%.6g", v);
    if (s.contains("e")) {
      return s;
    }
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }

  /** Escapes text for an HTML element or attribute. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
