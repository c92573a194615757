package dev.poolshift.local.dynamodb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One DynamoDB attribute value, already validated: numbers are normalised as DynamoDB returns them
 * (no exponent, no leading or trailing zeros), sets are non-empty and without duplicates, maps
 * and lists are unmodifiable. Sets compare as sets: {@code SS [a, b]} equals {@code SS [b, a]}.
 */
sealed interface AttrValue {

  /** The wire type descriptor: {@code S}, {@code N}, {@code B}, {@code BOOL}, ... */
  String type();

  record S(String value) implements AttrValue {
    @Override
    public String type() {
      return "S";
    }
  }

  /** A number, kept as the exact decimal DynamoDB stores (38 significant digits at most). */
  record N(BigDecimal value) implements AttrValue {
    public N {
      value = normalise(value);
    }

    @Override
    public String type() {
      return "N";
    }

    /** The number as DynamoDB returns it: {@code 1.50} is {@code 1.5}, {@code 1E2} is {@code 100}. */
    String text() {
      return value.toPlainString();
    }

    static BigDecimal normalise(BigDecimal v) {
      return v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros();
    }
  }

  record B(Bytes value) implements AttrValue {
    @Override
    public String type() {
      return "B";
    }
  }

  record Bool(boolean value) implements AttrValue {
    @Override
    public String type() {
      return "BOOL";
    }
  }

  record Null() implements AttrValue {
    @Override
    public String type() {
      return "NULL";
    }
  }

  record M(Map<String, AttrValue> value) implements AttrValue {
    public M {
      value = Collections.unmodifiableMap(new LinkedHashMap<>(value));
    }

    @Override
    public String type() {
      return "M";
    }
  }

  record L(List<AttrValue> value) implements AttrValue {
    public L {
      value = List.copyOf(value);
    }

    @Override
    public String type() {
      return "L";
    }
  }

  record SS(Set<String> value) implements AttrValue {
    public SS {
      value = Collections.unmodifiableSet(new LinkedHashSet<>(value));
    }

    @Override
    public String type() {
      return "SS";
    }
  }

  record NS(Set<BigDecimal> value) implements AttrValue {
    public NS {
      LinkedHashSet<BigDecimal> normalised = new LinkedHashSet<>();
      value.forEach(v -> normalised.add(N.normalise(v)));
      value = Collections.unmodifiableSet(normalised);
    }

    @Override
    public String type() {
      return "NS";
    }
  }

  record BS(Set<Bytes> value) implements AttrValue {
    public BS {
      value = Collections.unmodifiableSet(new LinkedHashSet<>(value));
    }

    @Override
    public String type() {
      return "BS";
    }
  }

  /** Binary data with value semantics, ordered as DynamoDB orders binary: unsigned bytes. */
  record Bytes(byte[] data) implements Comparable<Bytes> {
    public Bytes {
      data = data.clone();
    }

    static Bytes ofBase64(String base64) {
      return new Bytes(Base64.getDecoder().decode(base64));
    }

    String base64() {
      return Base64.getEncoder().encodeToString(data);
    }

    int length() {
      return data.length;
    }

    boolean startsWith(Bytes prefix) {
      return data.length >= prefix.data.length
          && Arrays.equals(data, 0, prefix.data.length, prefix.data, 0, prefix.data.length);
    }

    boolean contains(Bytes part) {
      outer:
      for (int i = 0; i + part.data.length <= data.length; i++) {
        for (int j = 0; j < part.data.length; j++) {
          if (data[i + j] != part.data[j]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data);
    }

    @Override
    public int compareTo(Bytes o) {
      return Arrays.compareUnsigned(data, o.data);
    }

    @Override
    public String toString() {
      return base64();
    }
  }

  // ------------------------------------------------------------------ ordering and size

  /**
   * Orders two scalars of the same type as DynamoDB does for sort keys and comparisons: numbers
   * numerically, strings by their UTF-8 bytes (which is code point order, not Java's UTF-16
   * order), binary by unsigned bytes.
   *
   * @throws IllegalArgumentException when the values are not both S, both N or both B
   */
  static int compare(AttrValue a, AttrValue b) {
    if (a instanceof N x && b instanceof N y) {
      return x.value().compareTo(y.value());
    }
    if (a instanceof S x && b instanceof S y) {
      return compareUtf8(x.value(), y.value());
    }
    if (a instanceof B x && b instanceof B y) {
      return x.value().compareTo(y.value());
    }
    throw new IllegalArgumentException("not comparable: " + a.type() + " and " + b.type());
  }

  /** Whether {@link #compare} applies: both S, both N or both B. */
  static boolean comparable(AttrValue a, AttrValue b) {
    return a.type().equals(b.type()) && (a instanceof S || a instanceof N || a instanceof B);
  }

  static int compareUtf8(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /** The length of {@code s} in UTF-8, counted without encoding it (an unpaired surrogate encodes as '?'). */
  static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * The value's share of an item's size, as the DynamoDB Developer Guide ("Item sizes and
   * formats") documents it: strings by UTF-8 bytes, binary by raw bytes, numbers one byte per two
   * significant digits plus one, BOOL and NULL one byte, lists and maps three bytes of overhead
   * plus one byte per element plus their elements (a map element also counts its name), sets the
   * sum of their elements.
   */
  static long size(AttrValue v) {
    return switch (v) {
      case S s -> utf8Length(s.value());
      case N n -> numberSize(n.value());
      case B b -> b.value().length();
      case Bool ignored -> 1;
      case Null ignored -> 1;
      case SS ss -> ss.value().stream().mapToLong(AttrValue::utf8Length).sum();
      case NS ns -> ns.value().stream().mapToLong(AttrValue::numberSize).sum();
      case BS bs -> bs.value().stream().mapToLong(Bytes::length).sum();
      case L l -> 3 + l.value().stream().mapToLong(e -> 1 + size(e)).sum();
      case M m -> 3 + m.value().size() + itemSize(m.value());
    };
  }

  private static long numberSize(BigDecimal n) {
    int digits = n.signum() == 0 ? 1 : n.stripTrailingZeros().precision();
    return (digits + 1) / 2 + 1;
  }

  /** An item's size: the names of its attributes plus their values. */
  static long itemSize(Map<String, AttrValue> item) {
    if (item instanceof Table.StoredItem stored) {
      return stored.bytes;
    }
    // A plain loop: every Scan page sizes every item it reads.
    long bytes = 0;
    for (Map.Entry<String, AttrValue> e : item.entrySet()) {
      bytes += utf8Length(e.getKey()) + size(e.getValue());
    }
    return bytes;
  }
}
