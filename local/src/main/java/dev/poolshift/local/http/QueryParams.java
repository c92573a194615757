package dev.poolshift.local.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An AWS Query protocol request: form parameters such as {@code
 * Metrics.member.1.MetricStat.Metric.Dimensions.member.1.Name}, read through prefix views. A list
 * is {@code <name>.member.<n>...} (1-based); an empty list arrives as a bare {@code <name>=}, which
 * is how the Java SDK 2.40.2 sends one. Malformed values are {@code ValidationError}s naming the
 * parameter.
 */
public final class QueryParams implements RequestParams {
  private final Map<String, String> params;
  private final String prefix;

  private QueryParams(Map<String, String> params, String prefix) {
    this.params = params;
    this.prefix = prefix;
  }

  /** Parses {@code application/x-www-form-urlencoded} text. */
  public static QueryParams parse(String form) {
    Map<String, String> map = new HashMap<>();
    if (form != null && !form.isEmpty()) {
      for (String pair : form.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        map.put(key, value);
      }
    }
    return new QueryParams(map, "");
  }

  /** The view of the parameters under {@code name.} (a structure member). */
  @Override
  public QueryParams sub(String name) {
    return new QueryParams(params, prefix + name + ".");
  }

  @Override
  public String path(String name) {
    return prefix + name;
  }

  @Override
  public boolean isPresent(String name) {
    return params.containsKey(prefix + name) || hasStructure(name);
  }

  /** Whether any parameter of the structure {@code name} was sent. */
  @Override
  public boolean hasStructure(String name) {
    String p = prefix + name + ".";
    return params.keySet().stream().anyMatch(k -> k.startsWith(p));
  }

  @Override
  public String string(String name) {
    return params.get(prefix + name);
  }

  @Override
  public Integer integer(String name) {
    String v = string(name);
    if (v == null) {
      return null;
    }
    try {
      return Integer.valueOf(v.trim());
    } catch (NumberFormatException e) {
      throw invalid("The value " + v + " for parameter " + path(name) + " is not a valid integer.");
    }
  }

  @Override
  public Double decimal(String name) {
    String v = string(name);
    if (v == null) {
      return null;
    }
    try {
      return Double.valueOf(v.trim());
    } catch (NumberFormatException e) {
      throw invalid("The value " + v + " for parameter " + path(name) + " is not a valid number.");
    }
  }

  @Override
  public Boolean bool(String name) {
    String v = string(name);
    if (v == null) {
      return null;
    }
    return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid("The value " + v + " for parameter " + path(name) + " is not a valid boolean.");
    };
  }

  @Override
  public Instant instant(String name) {
    String v = string(name);
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v.trim()).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.ofEpochMilli(Math.round(Double.parseDouble(v.trim()) * 1000));
      } catch (NumberFormatException e2) {
        throw invalid("The value " + v + " for parameter " + path(name) + " is not a valid timestamp.");
      }
    }
  }

  /** The elements of the list {@code name}, in member order; empty when absent or sent empty. */
  @Override
  public List<QueryParams> members(String name) {
    String p = prefix + name + ".member.";
    TreeMap<Integer, QueryParams> found = new TreeMap<>();
    for (String key : params.keySet()) {
      if (key.startsWith(p)) {
        String rest = key.substring(p.length());
        int dot = rest.indexOf('.');
        String index = dot < 0 ? rest : rest.substring(0, dot);
        try {
          int i = Integer.parseInt(index);
          found.putIfAbsent(i, new QueryParams(params, p + i + "."));
        } catch (NumberFormatException e) {
          throw invalid("The parameter " + key + " is not a valid list member.");
        }
      }
    }
    return new ArrayList<>(found.values());
  }

  /** A list of strings ({@code name.member.n=value}); null when the list was not sent at all. */
  @Override
  public List<String> strings(String name) {
    String p = prefix + name + ".member.";
    TreeMap<Integer, String> found = new TreeMap<>();
    params.forEach((k, v) -> {
      if (k.startsWith(p)) {
        try {
          found.put(Integer.parseInt(k.substring(p.length())), v);
        } catch (NumberFormatException e) {
          throw invalid("The parameter " + k + " is not a valid list member.");
        }
      }
    });
    if (found.isEmpty()) {
      return params.containsKey(prefix + name) ? List.of() : null;
    }
    return new ArrayList<>(found.values());
  }

  /** The value of the parameter that is this view itself (a list member that is a plain string). */
  public String self() {
    return params.get(prefix.substring(0, prefix.length() - 1));
  }

  /** The Query protocol's parameter error (what CloudWatch calls {@code ValidationError}). */
  private static dev.poolshift.local.aws.AwsServiceException invalid(String message) {
    return dev.poolshift.local.aws.AwsServiceException.client("ValidationError", message);
  }
}
