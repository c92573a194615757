package dev.poolshift.rollout.profile;

import dev.poolshift.rollout.FieldErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The instance types this stack may put in an endpoint config (the template's
 * {@code AllowedInstanceTypes}, e.g. {@code ml.g5.*,ml.g6.*}): {@code *} matches any run of
 * characters. The same list conditions IAM's CreateEndpointConfig; checking it in the plan names
 * the offending pool before anything is changed. An empty list allows every type.
 */
public record AllowedInstanceTypes(List<String> patterns) {
  public static final AllowedInstanceTypes ANY = new AllowedInstanceTypes(List.of());

  public AllowedInstanceTypes {
    patterns = List.copyOf(patterns);
  }

  /** @param csv comma-separated patterns; null or blank allows every type */
  public static AllowedInstanceTypes parse(String csv) {
    if (csv == null || csv.isBlank()) {
      return ANY;
    }
    List<String> out = new ArrayList<>();
    for (String p : csv.split(",")) {
      if (!p.isBlank()) {
        out.add(p.strip());
      }
    }
    return new AllowedInstanceTypes(out);
  }

  public boolean allows(String instanceType) {
    if (patterns.isEmpty()) {
      return true;
    }
    for (String p : patterns) {
      String regex = Pattern.quote(p).replace("*", "\\E.*\\Q");
      if (instanceType.matches(regex)) {
        return true;
      }
    }
    return false;
  }

  /** Checks every pool; errors name each refused type by its place in {@code pools}. */
  public void check(FieldErrors errors, String path, List<String> types) {
    for (int i = 0; i < types.size(); i++) {
      if (!allows(types.get(i))) {
        errors.add(path + "[" + i + "].instanceType", types.get(i) + " is not among this stack's"
            + " AllowedInstanceTypes " + patterns);
      }
    }
  }
}
