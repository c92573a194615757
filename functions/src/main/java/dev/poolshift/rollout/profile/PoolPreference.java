package dev.poolshift.rollout.profile;

import dev.poolshift.rollout.FieldErrors;
import dev.poolshift.rollout.JsonFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ranked instance pool in a deployment profile. {@code inferenceSpecificationName}, when set,
 * names one of the model package's AdditionalInferenceSpecifications: a build of the model for
 * this hardware (e.g. a quantized one), deployed as its own SageMaker model and referenced by the
 * pool's ModelNameOverride.
 */
public record PoolPreference(String instanceType, int priority, String inferenceSpecificationName) {
  private static final Set<String> FIELDS =
      Set.of("instanceType", "priority", "inferenceSpecificationName");

  /**
   * The entries of an {@code instancePools} list, as a profile and a console request both spell
   * them; each wrong entry adds an error naming {@code instancePools[i]...}.
   *
   * @return the pools, or null when any entry was wrong
   */
  public static List<PoolPreference> parseAll(List<?> raw, FieldErrors errors) {
    int before = errors.size();
    List<PoolPreference> pools = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String path = "instancePools[" + i + "]";
      if (!(raw.get(i) instanceof Map<?, ?> m)) {
        errors.add(path, "must be an object (got " + JsonFields.typeName(raw.get(i)) + ")");
        continue;
      }
      JsonFields p = new JsonFields(m, path, errors);
      p.rejectUnknown(FIELDS);
      String type = p.string("instanceType", true);
      Long priority = p.integer("priority", true);
      String spec = p.string("inferenceSpecificationName", false);
      if (type != null && priority != null) {
        // Out-of-int priorities are out of 1-5 anyway; clamp so the range rule reports them.
        int prio = priority < Integer.MIN_VALUE || priority > Integer.MAX_VALUE
            ? Integer.MAX_VALUE : priority.intValue();
        pools.add(new PoolPreference(type, prio, spec));
      }
    }
    return errors.size() == before ? pools : null;
  }
}
