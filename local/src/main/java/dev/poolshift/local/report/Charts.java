package dev.poolshift.local.report;

import static dev.poolshift.local.report.Svg.esc;
import static dev.poolshift.local.report.Svg.n;

import dev.poolshift.local.scenario.TimelineLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report's charts as SVG, all on one virtual-time axis ({@link Svg}): the events lanes, line
 * charts (weights, instances, metrics) and state bands (alarms, endpoint status). Every series and
 * marker carries its data in {@code data-} attributes, so the page's script, and a test, read
 * values rather than pixels. Colours follow the variant (the baseline keeps its colour in every
 * chart), dash patterns the instance type's pool rank.
 */
final class Charts {
  static final List<String> PALETTE = List.of("#2563eb", "#ea580c", "#16a34a", "#9333ea", "#0891b2", "#be123c",
      "#4d7c0f", "#a16207");
  static final List<String> DASHES = List.of("", "7 4", "2 3", "10 3 2 3", "1 2");
  static final Map<String, String> STATE_COLOURS = Map.ofEntries(
      Map.entry("OK", "#86efac"), Map.entry("ALARM", "#f87171"), Map.entry("INSUFFICIENT_DATA", "#d1d5db"),
      Map.entry("InService", "#bbf7d0"), Map.entry("Updating", "#fde68a"), Map.entry("Creating", "#bfdbfe"),
      Map.entry("Failed", "#fecaca"), Map.entry("RollingBack", "#fed7aa"), Map.entry("SystemUpdating", "#e9d5ff"));

  /** The events chart's lanes: a name and the marker kinds drawn in it. */
  record Lane(String name, Set<String> kinds) {}

  static final List<Lane> LANES = List.of(
      new Lane("Approvals", Set.of("approval")),
      new Lane("Executions", Set.of("execution-start", "execution-end")),
      new Lane("Traffic and fleet calls", Set.of("weight-shift", "update-endpoint")),
      new Lane("Rollback calls", Set.of("rollback-weights", "rollback-config")),
      new Lane("Alarm transitions", Set.of("alarm")),
      new Lane("Operator and faults", Set.of("operator", "fault")));

  private static final double LANE = 26;
  private static final double PLOT_HEIGHT = 130;
  private static final double TOP = 8;

  private final Svg svg;
  private final List<ReportData.Marker> guides;
  private final Map<String, String> colours = new LinkedHashMap<>();

  Charts(Svg svg, List<ReportData.Marker> markers) {
    this.svg = svg;
    // Guide lines through every chart for the instants that explain a change; alarm transitions
    // other than into ALARM would only add noise.
    this.guides = markers.stream().filter(m -> !m.kind().equals("alarm") || "ALARM".equals(m.state())).toList();
  }

  /** The variant's colour, the same in every chart. */
  String colour(String variant) {
    return colours.computeIfAbsent(variant, v -> PALETTE.get(colours.size() % PALETTE.size()));
  }

  static String dash(String instanceType, Map<String, Integer> priorities) {
    if (instanceType == null) {
      return "";
    }
    List<String> ranked = priorities.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey).toList();
    int rank = Math.max(0, ranked.indexOf(instanceType));
    return DASHES.get(rank % DASHES.size());
  }

  static String markerColour(ReportData.Marker m) {
    return switch (m.kind()) {
      case "approval" -> "#2563eb";
      case "execution-start" -> "#374151";
      case "execution-end" -> switch (String.valueOf(m.state())) {
        case "PROMOTED", "SUCCEEDED", "DELIVERED", "PLANNED" -> "#16a34a";
        case "ROLLED_BACK" -> "#dc2626";
        case "REJECTED" -> "#6b7280";
        default -> "#d97706";
      };
      case "weight-shift" -> "#0d9488";
      case "update-endpoint" -> "#7c3aed";
      case "rollback-weights" -> "#dc2626";
      case "rollback-config" -> "#ea580c";
      case "alarm" -> switch (String.valueOf(m.state())) {
        case "ALARM" -> "#dc2626";
        case "OK" -> "#16a34a";
        default -> "#6b7280";
      };
      case "operator" -> "#9333ea";
      default -> "#b45309";
    };
  }

  /** A glyph per kind, centred on 0,0, about 12 px across. */
  static String glyph(ReportData.Marker m) {
    String c = markerColour(m);
    return switch (m.kind()) {
      case "approval" -> "<path d=\"M0 -6 L6 0 L0 6 L-6 0 Z\" fill=\"" + c + "\"/>";
      case "execution-start" -> "<path d=\"M-5 -6 L6 0 L-5 6 Z\" fill=\"" + c + "\"/>";
      case "execution-end" -> "<rect x=\"-5\" y=\"-5\" width=\"10\" height=\"10\" fill=\"" + c + "\"/>";
      case "weight-shift" -> "<circle r=\"5\" fill=\"" + c + "\"/>";
      case "update-endpoint" -> "<circle r=\"4.5\" fill=\"#fff\" stroke=\"" + c + "\" stroke-width=\"2\"/>";
      case "rollback-weights", "rollback-config" -> "<path d=\"M-6 -5 L6 -5 L0 6 Z\" fill=\"" + c + "\"/>";
      case "alarm" -> "<circle r=\"5\" fill=\"" + c + "\" stroke=\"#fff\" stroke-width=\"1\"/>";
      case "operator" -> "<path d=\"M0 -6 L6 5 L-6 5 Z\" fill=\"" + c + "\"/>";
      default -> "<path d=\"M-5 -5 L5 5 M5 -5 L-5 5\" stroke=\"" + c + "\" stroke-width=\"2.5\"/>";
    };
  }

  /** The events chart: one lane per kind of instant, a glyph with a hover title per marker. */
  String events(List<ReportData.Marker> markers) {
    double height = TOP + LANES.size() * LANE + Svg.AXIS + 6;
    double bottom = TOP + LANES.size() * LANE;
    StringBuilder b = new StringBuilder(svg.open("chart-events", height, "Events over virtual time"));
    b.append(svg.timeAxis(TOP, bottom));
    guideLines(b, TOP, bottom);
    for (int i = 0; i < LANES.size(); i++) {
      Lane lane = LANES.get(i);
      double y = TOP + i * LANE + LANE / 2;
      b.append("<text class=\"lane-label\" x=\"").append(n(Svg.LEFT - 8)).append("\" y=\"").append(n(y + 4))
          .append("\" text-anchor=\"end\">").append(esc(lane.name())).append("</text>")
          .append("<line class=\"lane\" x1=\"").append(n(Svg.LEFT)).append("\" x2=\"").append(n(Svg.WIDTH - Svg.RIGHT))
          .append("\" y1=\"").append(n(y)).append("\" y2=\"").append(n(y)).append("\"/>");
      List<double[]> placed = new ArrayList<>();
      // Alarms into ALARM last, so they are on top where transitions coincide.
      List<ReportData.Marker> mine = markers.stream().filter(m -> lane.kinds().contains(m.kind()))
          .sorted(java.util.Comparator.comparing((ReportData.Marker m) -> "ALARM".equals(m.state()))).toList();
      for (ReportData.Marker m : mine) {
        double x = svg.x(m.at());
        double dy = stackOffset(placed, x);
        b.append("<g class=\"marker kind-").append(esc(m.kind())).append("\" data-kind=\"").append(esc(m.kind()))
            .append("\" data-t=\"").append(Svg.value(m.at())).append('"');
        if (m.state() != null) {
          b.append(" data-state=\"").append(esc(m.state())).append('"');
        }
        b.append(" data-label=\"").append(esc(m.label())).append("\" transform=\"translate(").append(n(x)).append(' ')
            .append(n(y + dy)).append(")\"><title>").append(esc(m.title())).append("</title>").append(glyph(m)).append("</g>");
      }
    }
    b.append(Svg.crosshair(TOP, bottom)).append("</svg>");
    return b.toString();
  }

  /** Markers at (nearly) the same x in a lane are stacked up and down so each keeps its own hover title. */
  private static double stackOffset(List<double[]> placed, double x) {
    double[] offsets = {0, -7, 7, -3.5, 3.5, -10, 10};
    for (double off : offsets) {
      boolean free = placed.stream().noneMatch(p -> Math.abs(p[0] - x) < 5 && p[1] == off);
      if (free) {
        placed.add(new double[] {x, off});
        return off;
      }
    }
    return 0;
  }

  private void guideLines(StringBuilder b, double top, double bottom) {
    b.append("<g class=\"guides\">");
    for (ReportData.Marker m : guides) {
      double x = svg.x(m.at());
      b.append("<line class=\"guide kind-").append(esc(m.kind())).append("\" data-kind=\"").append(esc(m.kind()))
          .append("\" data-t=\"").append(Svg.value(m.at())).append("\" x1=\"").append(n(x)).append("\" x2=\"").append(n(x))
          .append("\" y1=\"").append(n(top)).append("\" y2=\"").append(n(bottom)).append("\" stroke=\"")
          .append(markerColour(m)).append("\"/>");
    }
    b.append("</g>");
  }

  /** A y axis: its top value and tick values. */
  record YAxis(double max, List<Double> ticks, String unit) {
    static YAxis percent100() {
      return new YAxis(100, List.of(0.0, 25.0, 50.0, 75.0, 100.0), "%");
    }

    /** Ticks at a 1-2-2.5-5 step, about four of them, covering {@code max}. */
    static YAxis nice(double max, String unit, boolean integers) {
      double m = max > 0 ? max : 1;
      double raw = m / 4;
      double mag = Math.pow(10, Math.floor(Math.log10(raw)));
      double step = mag;
      for (double f : new double[] {1, 2, 2.5, 5, 10}) {
        step = f * mag;
        if (step >= raw) {
          break;
        }
      }
      if (integers) {
        step = Math.max(1, Math.ceil(step));
      }
      double top = Math.ceil(m / step - 1e-9) * step;
      List<Double> ticks = new ArrayList<>();
      for (double t = 0; t <= top + step / 1000; t += step) {
        ticks.add(t);
      }
      return new YAxis(top, ticks, unit);
    }
  }

  /**
   * A line chart. {@code wide}: series drawn first as wide pale lines under the others (the
   * instances holding capacity under those serving). {@code strip}: bands drawn in a strip under
   * the plot (the endpoint's status under its weights).
   */
  String lines(String id, String label, List<ReportData.Series> series, List<ReportData.Series> wide, YAxis y,
      Map<String, Integer> priorities, List<ReportData.Band> strip, String stripLabel) {
    double plotBottom = TOP + PLOT_HEIGHT;
    double bottom = strip == null ? plotBottom : plotBottom + 22;
    double height = bottom + Svg.AXIS + 6;
    StringBuilder b = new StringBuilder(svg.open(id, height, label));
    b.append(svg.timeAxis(TOP, bottom));
    b.append("<g class=\"y-axis\">");
    for (double t : y.ticks()) {
      double py = plotBottom - t / y.max() * PLOT_HEIGHT;
      b.append("<line class=\"y-tick\" x1=\"").append(n(Svg.LEFT)).append("\" x2=\"").append(n(Svg.WIDTH - Svg.RIGHT))
          .append("\" y1=\"").append(n(py)).append("\" y2=\"").append(n(py)).append("\"/><text class=\"y-label\" x=\"")
          .append(n(Svg.LEFT - 6)).append("\" y=\"").append(n(py + 4)).append("\" text-anchor=\"end\">")
          .append(esc(Svg.value(t) + " " + y.unit()).trim()).append("</text>");
    }
    b.append("</g>");
    guideLines(b, TOP, bottom);
    if (strip != null) {
      b.append("<text class=\"lane-label\" x=\"").append(n(Svg.LEFT - 8)).append("\" y=\"").append(n(plotBottom + 15))
          .append("\" text-anchor=\"end\">").append(esc(stripLabel)).append("</text>");
      bands(b, strip, plotBottom + 6, 12, "status");
    }
    for (ReportData.Series s : wide) {
      b.append(path(s, y, plotBottom, priorities, "series held", 7, 0.22));
    }
    for (ReportData.Series s : series) {
      b.append(path(s, y, plotBottom, priorities, "series", 2, 1));
    }
    b.append(Svg.crosshair(TOP, bottom)).append("</svg>");
    return b.toString();
  }

  private String path(ReportData.Series s, YAxis y, double plotBottom, Map<String, Integer> priorities, String cls,
      double width, double opacity) {
    StringBuilder d = new StringBuilder();
    StringBuilder data = new StringBuilder();
    List<ReportData.Point> pts = s.points();
    boolean open = false;
    for (int i = 0; i < pts.size(); i++) {
      ReportData.Point p = pts.get(i);
      data.append(data.isEmpty() ? "" : ";").append(Svg.value(p.t())).append(':').append(Svg.value(p.v()));
      if (Double.isNaN(p.v())) {
        open = false;
        continue;
      }
      double px = svg.x(p.t());
      double py = plotBottom - Math.min(p.v(), y.max()) / y.max() * PLOT_HEIGHT;
      if (s.step()) {
        d.append(open ? " V" + n(py) : " M" + n(px) + " " + n(py));
        double next = i + 1 < pts.size() ? pts.get(i + 1).t() : svg.end();
        d.append(" H").append(n(svg.x(next)));
        open = true;
      } else {
        boolean joined = open && joins(pts, i);
        d.append(joined ? " L" : " M").append(n(px)).append(' ').append(n(py));
        if (!joined) {
          // A lone datapoint between gaps still shows, as a dot (round line caps).
          d.append(" l0 0");
        }
        open = true;
      }
    }
    String colour = colour(s.variant());
    String dash = dash(s.instanceType(), priorities);
    return "<path class=\"" + cls + "\" data-series=\"" + esc(s.name()) + "\" data-variant=\"" + esc(s.variant()) + "\""
        + (s.instanceType() != null ? " data-instance-type=\"" + esc(s.instanceType()) + "\"" : "")
        + " data-step=\"" + s.step() + "\" data-points=\"" + data + "\" d=\"" + d.toString().trim() + "\" stroke=\"" + colour
        + "\" stroke-width=\"" + n(width) + "\"" + (opacity < 1 ? " stroke-opacity=\"" + n(opacity) + "\"" : "")
        + (dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"") + "><title>" + esc(s.name()) + "</title></path>";
  }

  /**
   * Whether a measured series' point {@code i} continues the line from point {@code i - 1}: the
   * gap between them is no longer than one and a half of the intervals around it. The intervals
   * vary: standard metrics come every 60 s and enhanced ones every 10 s, often in one series when a
   * rollout turns enhanced metrics on.
   */
  static boolean joins(List<ReportData.Point> pts, int i) {
    double gap = pts.get(i).t() - pts.get(i - 1).t();
    double before = i >= 2 ? pts.get(i - 1).t() - pts.get(i - 2).t() : 0;
    double after = i + 1 < pts.size() ? pts.get(i + 1).t() - pts.get(i).t() : 0;
    double around = Math.max(before, after);
    return around == 0 || gap <= 1.5 * around;
  }

  /** The alarms chart: one row per alarm, its name above a band coloured by state. */
  String alarms(List<ReportData.AlarmRow> rows) {
    double row = 30;
    double bottom = TOP + Math.max(1, rows.size()) * row;
    double height = bottom + Svg.AXIS + 6;
    StringBuilder b = new StringBuilder(svg.open("chart-alarms", height, "Alarm states over virtual time"));
    b.append(svg.timeAxis(TOP, bottom));
    guideLines(b, TOP, bottom);
    for (int i = 0; i < rows.size(); i++) {
      ReportData.AlarmRow r = rows.get(i);
      double y = TOP + i * row;
      b.append("<g class=\"alarm-row\" data-alarm=\"").append(esc(r.name())).append("\"><text class=\"alarm-name\" x=\"")
          .append(n(Svg.LEFT + 2)).append("\" y=\"").append(n(y + 10)).append("\">").append(esc(r.name())).append("</text>");
      bands(b, r.bands(), y + 13, 12, "alarm");
      b.append("</g>");
    }
    if (rows.isEmpty()) {
      b.append("<text class=\"empty\" x=\"").append(n(Svg.LEFT + 4)).append("\" y=\"").append(n(TOP + 18))
          .append("\">no alarms</text>");
    }
    b.append(Svg.crosshair(TOP, bottom)).append("</svg>");
    return b.toString();
  }

  private void bands(StringBuilder b, List<ReportData.Band> bands, double y, double h, String cls) {
    for (ReportData.Band band : bands) {
      double x1 = svg.x(band.from());
      double x2 = Math.max(svg.x(band.to()), x1 + 0.5);
      b.append("<rect class=\"band ").append(cls).append(" state-").append(esc(band.state())).append("\" data-state=\"")
          .append(esc(band.state())).append("\" data-from=\"").append(Svg.value(band.from())).append("\" data-to=\"")
          .append(Svg.value(band.to())).append("\" x=\"").append(n(x1)).append("\" y=\"").append(n(y)).append("\" width=\"")
          .append(n(x2 - x1)).append("\" height=\"").append(n(h)).append("\" fill=\"")
          .append(STATE_COLOURS.getOrDefault(band.state(), "#e5e7eb")).append("\"><title>").append(esc(band.title()))
          .append("</title></rect>");
    }
  }

  /** The legend of a chart's series: colour (variant), dash (instance type), name, and what the variant ran. */
  String legend(List<ReportData.Series> series, Map<String, Integer> priorities, Map<String, List<String>> models) {
    StringBuilder b = new StringBuilder("<ul class=\"legend\">");
    for (ReportData.Series s : series) {
      String dash = dash(s.instanceType(), priorities);
      List<String> ran = models.getOrDefault(s.variant(), List.of());
      b.append("<li><svg width=\"28\" height=\"10\" aria-hidden=\"true\"><line x1=\"1\" y1=\"5\" x2=\"27\" y2=\"5\" stroke=\"")
          .append(colour(s.variant())).append("\" stroke-width=\"2.5\"").append(dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"")
          .append("/></svg>").append(esc(s.name()));
      if (!ran.isEmpty()) {
        b.append(" <span class=\"ran\">(").append(esc(String.join(", then ", ran))).append(")</span>");
      }
      b.append("</li>");
    }
    return b.append("</ul>").toString();
  }

  /** The legend of the events chart and the guide lines. */
  static String markerLegend() {
    String[][] kinds = {{"approval", null, "approval"}, {"execution-start", null, "execution started"},
        {"execution-end", "PROMOTED", "ended promoted"}, {"execution-end", "ROLLED_BACK", "ended rolled back"},
        {"weight-shift", null, "weight shift"}, {"update-endpoint", null, "UpdateEndpoint"},
        {"rollback-weights", null, "rollback: weights back"}, {"rollback-config", null, "rollback: config back"},
        {"alarm", "ALARM", "alarm → ALARM"}, {"alarm", "OK", "alarm → OK"}, {"operator", null, "operator action"},
        {"fault", null, "injected fault"}};
    StringBuilder b = new StringBuilder("<ul class=\"legend\">");
    for (String[] k : kinds) {
      ReportData.Marker m = new ReportData.Marker(0, k[0], k[1], k[2], k[2]);
      b.append("<li><svg width=\"14\" height=\"14\" viewBox=\"-7 -7 14 14\" aria-hidden=\"true\">").append(glyph(m))
          .append("</svg>").append(esc(k[2])).append("</li>");
    }
    return b.append("</ul>").toString();
  }

  static String clock(double t) {
    return TimelineLine.clock(t);
  }
}
