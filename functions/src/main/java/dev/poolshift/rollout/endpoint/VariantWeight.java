package dev.poolshift.rollout.endpoint;

/** A desired variant weight: traffic share = weight / sum of all variants' weights. */
public record VariantWeight(String variantName, double weight) {
  public VariantWeight {
    if (!(weight >= 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException(
          "weight of " + variantName + " must be >= 0 (got " + weight + ")");
    }
  }
}
