package dev.poolshift.local.sagemaker;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The account's SageMaker request-rate limits: a token bucket per operation and, optionally, one
 * for the whole account, refilled on the virtual clock. A call takes one token from its
 * operation's bucket and one from the account's; when either is empty the call is answered
 * {@code ThrottlingException} ("Rate exceeded", HTTP 400) and takes nothing. Operations without a
 * bucket are limited by the account bucket only.
 *
 * <p>AWS does not publish SageMaker's control-plane request rates per operation (its quota pages
 * list resource counts, not API rates, and the rates are not adjustable in Service Quotas), so the
 * {@linkplain #DEFAULT default preset} is our own conservative choice, harsher than what accounts
 * usually observe: reads 10 per second with a burst of 20, mutations 2 per second with a burst of
 * 5, and 40 per second (burst 80) for the account as a whole.
 *
 * @param operations bucket per operation name (e.g. {@code DescribeEndpoint})
 * @param account the account-wide bucket, or null for none
 */
public record ApiLimits(Map<String, Rate> operations, Rate account) {

  /** Refills at {@code ratePerSecond}, holds at most {@code burst} tokens (and starts full). */
  public record Rate(double ratePerSecond, int burst) {
    public Rate {
      if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
        throw new IllegalArgumentException("ratePerSecond must be a positive number, got " + ratePerSecond);
      }
      if (burst < 1) {
        throw new IllegalArgumentException("burst must be at least 1, got " + burst);
      }
    }
  }

  /** The operations the default preset limits; anything else is held by the account bucket only. */
  static final Set<String> READS = Set.of("DescribeModelPackageGroup", "ListModelPackageGroups",
      "DescribeModelPackage", "ListModelPackages", "DescribeModel", "ListModels", "DescribeEndpointConfig",
      "ListEndpointConfigs", "DescribeEndpoint", "ListEndpoints", "DescribeInferenceComponent",
      "ListInferenceComponents", "ListTags");
  static final Set<String> MUTATIONS = Set.of("CreateModelPackageGroup", "CreateModelPackage",
      "UpdateModelPackage", "CreateModel", "DeleteModel", "CreateEndpointConfig", "DeleteEndpointConfig",
      "CreateEndpoint", "UpdateEndpoint", "UpdateEndpointWeightsAndCapacities", "DeleteEndpoint",
      "CreateInferenceComponent", "UpdateInferenceComponent", "DeleteInferenceComponent", "AddTags", "DeleteTags");

  /** Every operation the simulator serves: the names a scenario may limit. */
  public static final Set<String> OPERATIONS = union(READS, MUTATIONS);

  /** See the class comment: our conservative values where AWS publishes none. */
  public static final ApiLimits DEFAULT = preset();

  public ApiLimits {
    operations = Map.copyOf(operations);
  }

  private static ApiLimits preset() {
    Map<String, Rate> ops = new LinkedHashMap<>();
    READS.forEach(op -> ops.put(op, new Rate(10, 20)));
    MUTATIONS.forEach(op -> ops.put(op, new Rate(2, 5)));
    return new ApiLimits(ops, new Rate(40, 80));
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  /** The buckets' state; not thread-safe (the world calls it under its lock). */
  static final class Buckets {
    private final ApiLimits limits;
    private final Map<String, Bucket> operations = new java.util.HashMap<>();
    private final Bucket account;

    Buckets(ApiLimits limits, Instant start) {
      this.limits = limits;
      this.account = limits.account() == null ? null : new Bucket(limits.account(), start);
      limits.operations().forEach((op, rate) -> operations.put(op, new Bucket(rate, start)));
    }

    /** Takes a token for {@code operation} from every bucket that holds it, or none. */
    boolean tryAcquire(String operation, Instant now) {
      Bucket own = operations.get(operation);
      boolean ok = (own == null || own.available(now)) && (account == null || account.available(now));
      if (ok) {
        if (own != null) {
          own.take();
        }
        if (account != null) {
          account.take();
        }
      }
      return ok;
    }

    ApiLimits limits() {
      return limits;
    }
  }

  private static final class Bucket {
    private final Rate rate;
    private double tokens;
    private Instant refilled;

    Bucket(Rate rate, Instant start) {
      this.rate = rate;
      this.tokens = rate.burst();
      this.refilled = start;
    }

    boolean available(Instant now) {
      if (now.isAfter(refilled)) {
        double seconds = java.time.Duration.between(refilled, now).toNanos() / 1e9;
        tokens = Math.min(rate.burst(), tokens + seconds * rate.ratePerSecond());
        refilled = now;
      }
      return tokens >= 1;
    }

    void take() {
      tokens -= 1;
    }
  }
}
