package dev.poolshift.local.asl;

import com.dashjoin.jsonata.Functions;
import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Utils;
import dev.poolshift.local.json.LocalJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The JSONata functions Step Functions adds ({@code $partition}, {@code $range}, {@code $hash},
 * {@code $random}, {@code $uuid}, {@code $parse}), the one it removes ({@code $eval}), and a
 * virtual-time {@code $now}/{@code $millis}: an execution on the simulation must see the simulated
 * clock, not the machine's.
 */
final class AwsFunctions {
  private static final Set<String> HASH_ALGORITHMS = Set.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");

  private AwsFunctions() {}

  /** A failed call of one of these functions; the message carries the reason. */
  static final class FunctionException extends RuntimeException {
    FunctionException(String message) {
      super(message, null, false, false);
    }
  }

  static void register(Jsonata expression) {
    expression.registerFunction("partition", varargs(AwsFunctions::partition));
    expression.registerFunction("range", varargs(AwsFunctions::range));
    expression.registerFunction("hash", varargs(AwsFunctions::hash));
    expression.registerFunction("random", varargs(AwsFunctions::random));
    expression.registerFunction("uuid", varargs(args -> UUID.randomUUID().toString()));
    expression.registerFunction("parse", varargs(AwsFunctions::parse));
    // dashjoin's $pad is quadratic (300,000 characters take seconds); same semantics, linear.
    expression.registerFunction("pad", varargs(AwsFunctions::pad));
    // Step Functions removes $eval: calling it is calling a non-function (T1006), as AWS reports.
    expression.assign("eval", null);
  }

  static void bindClock(Jsonata.Frame frame, long nowMillis) {
    frame.bind("now", varargs(args -> Functions.dateTimeFromMillis(nowMillis,
        args.size() > 0 ? stringOrNull(args.get(0)) : null, args.size() > 1 ? stringOrNull(args.get(1)) : null)));
    frame.bind("millis", varargs(args -> nowMillis));
  }

  private static Jsonata.JFunction varargs(Jsonata.FnVarArgs<Object> body) {
    return Jsonata.function(null, body, null);
  }

  private static String stringOrNull(Object value) {
    return value instanceof String s ? s : null;
  }

  /** JSONata's {@code $pad(str, width [, char])}: positive width pads right, negative pads left. */
  private static Object pad(List<?> args) {
    if (args.isEmpty() || args.get(0) == null) {
      return null;
    }
    if (!(args.get(0) instanceof String str) || args.size() < 2 || !(args.get(1) instanceof Number w)) {
      throw new FunctionException("T0410: Argument 1 of function \"pad\" does not match function signature");
    }
    String fill = args.size() > 2 && args.get(2) instanceof String c && !c.isEmpty() ? c : " ";
    long width = (long) Math.floor(w.doubleValue());
    long padLength = Math.abs(width) - str.codePointCount(0, str.length());
    if (padLength <= 0) {
      return str;
    }
    if (padLength > 50_000_000L) {
      throw new FunctionException("D1001: $pad width is too large: " + width);
    }
    StringBuilder padding = new StringBuilder((int) padLength);
    int[] chars = fill.codePoints().toArray();
    for (long i = 0; i < padLength; i++) {
      padding.appendCodePoint(chars[(int) (i % chars.length)]);
    }
    return width > 0 ? str + padding : padding + str;
  }

  private static Object partition(List<?> args) {
    if (args.size() != 2) {
      throw new FunctionException("The $partition function expects 2 arguments (array, chunkSize), got " + args.size());
    }
    if (!(args.get(0) instanceof List<?> array)) {
      throw new FunctionException("The first argument of $partition must be an array");
    }
    long size = integerArgument("$partition", "chunkSize", args.get(1));
    if (size <= 0) {
      throw new FunctionException("The chunkSize argument of $partition must be greater than 0, got " + size);
    }
    List<Object> chunks = new ArrayList<>();
    for (int i = 0; i < array.size(); i += (int) size) {
      chunks.add(new ArrayList<>(array.subList(i, (int) Math.min(array.size(), i + size))));
    }
    return chunks;
  }

  private static Object range(List<?> args) {
    if (args.size() != 3) {
      throw new FunctionException("The $range function expects 3 arguments (start, end, step), got " + args.size());
    }
    long start = integerArgument("$range", "start", args.get(0));
    long end = integerArgument("$range", "end", args.get(1));
    long step = integerArgument("$range", "step", args.get(2));
    if (step == 0) {
      throw new FunctionException("The step argument of $range must not be 0");
    }
    if (Math.abs((end - start) / step) > 1_000_000) {
      throw new FunctionException("The $range function would produce more than 1000000 values");
    }
    // A sequence, not an array: like AWS, a single value collapses ($range(1, 9, 9) is 1).
    List<Object> values = Utils.createSequence();
    for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
      values.add(Utils.convertNumber(v));
    }
    return values;
  }

  private static Object hash(List<?> args) {
    if (args.size() != 2) {
      throw new FunctionException("The $hash function expects 2 arguments (value, algorithm), got " + args.size());
    }
    if (!(args.get(0) instanceof String value)) {
      throw new FunctionException("The first argument of $hash must be a string");
    }
    if (!(args.get(1) instanceof String algorithm) || !HASH_ALGORITHMS.contains(algorithm)) {
      throw new FunctionException("The algorithm argument of $hash must be one of " + List.of("MD5", "SHA-1", "SHA-256",
          "SHA-384", "SHA-512") + ", got " + args.get(1));
    }
    try {
      byte[] digest = MessageDigest.getInstance(algorithm).digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object random(List<?> args) {
    if (args.isEmpty() || args.get(0) == null) {
      return ThreadLocalRandom.current().nextDouble();
    }
    if (args.size() > 1) {
      throw new FunctionException("The $random function expects at most 1 argument (seed), got " + args.size());
    }
    return new Random(integerArgument("$random", "seed", args.get(0))).nextDouble();
  }

  private static Object parse(List<?> args) {
    if (args.size() != 1 || !(args.get(0) instanceof String text)) {
      throw new FunctionException("The $parse function expects 1 string argument");
    }
    try {
      return JsonataValues.toJsonata(LocalJson.parse(text));
    } catch (IllegalArgumentException e) {
      throw new FunctionException("The $parse function could not parse its argument as JSON: " + e.getMessage());
    }
  }

  /** Arguments documented as integers are rounded down (DG:transforming-data). */
  private static long integerArgument(String function, String name, Object value) {
    if (!(value instanceof Number n) || Double.isNaN(n.doubleValue()) || Double.isInfinite(n.doubleValue())) {
      throw new FunctionException("The " + name + " argument of " + function + " must be a number");
    }
    return (long) Math.floor(n.doubleValue());
  }
}
