package dev.poolshift.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Shapes of SageMaker names and instance types, and the short hashes Poolshift uses to make
 * derived names unique. Plain checks that report through {@link FieldErrors}.
 */
public final class SageMakerNames {
  /** EndpointName, EndpointConfigName, ModelName, VariantName, ModelPackageGroupName. */
  public static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");

  /**
   * {@code ml.<family>.<size>}: families like {@code g5}, {@code inf2}, {@code p6-b300}; sizes like
   * {@code 2xlarge}, {@code large}. Deliberately a shape check, not a list: SageMaker adds types
   * faster than any SDK enum (2.40.2 lacks the g7 family).
   */
  public static final Pattern INSTANCE_TYPE =
      Pattern.compile("ml\\.[a-z][a-z0-9]*(-[a-z0-9]+)*\\.[a-z0-9]+(-[a-z0-9]+)*");

  public static final int MAX_NAME_LENGTH = 63;

  private SageMakerNames() {}

  public static boolean isName(String value) {
    return value != null && NAME.matcher(value).matches();
  }

  public static boolean isInstanceType(String value) {
    return value != null && value.length() <= 64 && INSTANCE_TYPE.matcher(value).matches();
  }

  /** Adds an error to {@code errors} unless {@code value} is a valid SageMaker resource name. */
  public static void checkName(FieldErrors errors, String path, String value) {
    if (value == null) {
      errors.add(path, "required");
    } else if (value.isEmpty() || value.length() > MAX_NAME_LENGTH) {
      errors.add(path, "must be 1–63 characters (got " + value.length() + ")");
    } else if (!isName(value)) {
      errors.add(path, "must be letters, digits and hyphens, starting and ending with a letter or"
          + " digit (got " + quote(value) + ")");
    }
  }

  public static void checkInstanceType(FieldErrors errors, String path, String value) {
    if (value == null) {
      errors.add(path, "required");
    } else if (!isInstanceType(value)) {
      errors.add(path, "must look like ml.<family>.<size>, e.g. ml.g5.2xlarge (got "
          + quote(value) + ")");
    }
  }

  /** Requires a valid resource name, else throws naming {@code path}. */
  public static String requireName(String path, String value) {
    FieldErrors errors = new FieldErrors();
    checkName(errors, path, value);
    errors.throwIfAny(null);
    return value;
  }

  /** First {@code hexChars} hex digits of SHA-256 over the parts, each length-prefixed. */
  public static String shortHash(int hexChars, String... parts) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    for (String part : parts) {
      byte[] bytes = (part == null ? "\u0000null" : part).getBytes(StandardCharsets.UTF_8);
      // Length-prefix each part so ("ab","c") and ("a","bc") hash differently.
      sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
      sha.update(bytes);
    }
    return HexFormat.of().formatHex(sha.digest()).substring(0, hexChars);
  }

  /**
   * {@code head-tail-hash}, at most {@code maxLength} characters: {@code head} is sanitised to
   * letters, digits and single hyphens and truncated first, so the distinguishing {@code tail}
   * and the hash survive. The result starts with a letter or digit and matches {@link #NAME}
   * when {@code maxLength <= 63}.
   */
  public static String compose(int maxLength, String head, String tail, String hash) {
    String suffix = (tail == null || tail.isEmpty() ? "" : "-" + sanitize(tail)) + "-" + hash;
    int room = maxLength - suffix.length();
    if (room < 1) {
      throw new IllegalArgumentException("no room for a name head in " + maxLength + " characters");
    }
    String h = sanitize(head);
    if (h.length() > room) {
      h = trimHyphens(h.substring(0, room));
    }
    if (h.isEmpty()) {
      h = "ps";
    }
    return h + suffix;
  }

  /** Letters, digits and single hyphens only, no leading or trailing hyphen. */
  public static String sanitize(String value) {
    String cleaned = value == null ? "" : value.replaceAll("[^A-Za-z0-9]+", "-");
    return trimHyphens(cleaned);
  }

  /** {@code ml.g6.2xlarge} → {@code g6-2xlarge}, for names that mention a pool's hardware. */
  public static String instanceTypeLabel(String instanceType) {
    String t = instanceType.toLowerCase(Locale.ROOT);
    return sanitize(t.startsWith("ml.") ? t.substring(3) : t);
  }

  public static String quote(String value) {
    String v = value.length() > 80 ? value.substring(0, 77) + "..." : value;
    return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String trimHyphens(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && value.charAt(start) == '-') {
      start++;
    }
    while (end > start && value.charAt(end - 1) == '-') {
      end--;
    }
    return value.substring(start, end);
  }
}
