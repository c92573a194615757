package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.EndpointBusyException;
import dev.poolshift.rollout.EndpointConfigNotFoundException;
import dev.poolshift.rollout.endpoint.EndpointConfigSpec;
import dev.poolshift.rollout.EndpointNotFoundException;
import dev.poolshift.rollout.endpoint.EndpointState;
import dev.poolshift.rollout.endpoint.EndpointUpdate;
import dev.poolshift.rollout.endpoint.ModelPackage;
import dev.poolshift.rollout.endpoint.ModelPackageArn;
import dev.poolshift.rollout.ModelPackageNotFoundException;
import dev.poolshift.rollout.endpoint.ModelSettings;
import dev.poolshift.rollout.endpoint.ModelToCreate;
import dev.poolshift.rollout.endpoint.PoolCount;
import dev.poolshift.rollout.ResourceConflictException;
import dev.poolshift.rollout.endpoint.VariantSpec;
import dev.poolshift.rollout.endpoint.VariantState;
import dev.poolshift.rollout.endpoint.VariantWeight;
import dev.poolshift.rollout.port.Endpoints;
import dev.poolshift.rollout.port.ModelRegistry;
import dev.poolshift.rollout.port.TrafficShifter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SageMaker as the ports see it, in memory: the registry, models, configs, endpoints. Writes
 * follow the real API's rules the adapters document (in-progress endpoints refuse writes, a
 * retried update or weight change that is already under way is not sent again, "already
 * exists" for one's own resource is fine); a test moves time along with {@link #completeUpdate},
 * {@link #rollBackUpdate} and {@link #completeWeights}.
 */
public final class FakeSageMaker implements ModelRegistry, Endpoints, TrafficShifter {
  /** DescribeModelPackage answers ThrottlingException (after the SDK's retries) while set. */
  public boolean describePackageThrottled;

  public final Map<String, ModelPackage> packages = new HashMap<>();
  public final Map<String, ModelToCreate> models = new LinkedHashMap<>();
  /**
   * Settings of models a test describes (a baseline's VPC, environment, ...). A model neither
   * here nor created by the rollout is one with nothing to carry.
   */
  public final Map<String, ModelSettings> modelSettings = new HashMap<>();
  /** Models DescribeModel reports missing. */
  public final java.util.Set<String> missingModels = new java.util.HashSet<>();
  public final Map<String, EndpointConfigSpec> configs = new LinkedHashMap<>();
  public final Map<String, EndpointState> endpoints = new LinkedHashMap<>();
  /** Each endpoint's own tags; an endpoint without an entry has none. */
  public final Map<String, Map<String, String>> endpointTags = new HashMap<>();
  /** Every mutating call SageMaker accepted, e.g. {@code UpdateEndpoint ep cfg}. */
  public final List<String> mutations = new ArrayList<>();
  /** Where the next pooled fleet lands, per variant: type → count. */
  public final Map<String, List<PoolCount>> landing = new HashMap<>();
  private final Map<String, EndpointUpdate> lastUpdate = new HashMap<>();
  public int describes;
  /** Told of every accepted mutation, e.g. to schedule its completion on a simulation. */
  public java.util.function.Consumer<String> onMutation = m -> { };

  // ------------------------------------------------------------------ registry

  @Override
  public ModelPackage describePackage(ModelPackageArn arn) {
    if (describePackageThrottled) {
      throw new dev.poolshift.rollout.TransientServiceException("DescribeModelPackage " + arn
          + ": Rate exceeded (ThrottlingException)", null);
    }
    ModelPackage p = packages.get(arn.canonical());
    if (p == null) {
      throw new ModelPackageNotFoundException("DescribeModelPackage " + arn + ": not found");
    }
    return p;
  }

  @Override
  public void createModel(ModelToCreate model) {
    ModelToCreate existing = models.get(model.modelName());
    if (existing != null) {
      if (!java.util.Objects.equals(existing.modelPackageArn(), model.modelPackageArn())) {
        throw new ResourceConflictException("model " + model.modelName() + " is someone else's");
      }
      return;
    }
    models.put(model.modelName(), model);
    mutated("CreateModel " + model.modelName());
  }

  @Override
  public java.util.Optional<String> packageOfModel(String modelName) {
    return java.util.Optional.ofNullable(models.get(modelName)).map(ModelToCreate::modelPackageArn);
  }

  @Override
  public java.util.Optional<ModelSettings> modelSettings(String modelName) {
    if (missingModels.contains(modelName)) {
      return java.util.Optional.empty();
    }
    if (models.containsKey(modelName)) {
      ModelToCreate m = models.get(modelName);
      return java.util.Optional.of(new ModelSettings(modelName, m.carried().model(),
          m.carried().container(), 1, m.modelPackageArn(), m.carried().artefacts()));
    }
    return java.util.Optional.of(modelSettings.getOrDefault(modelName,
        ModelSettings.none(modelName)));
  }

  @Override
  public boolean deleteModel(String modelName) {
    boolean existed = models.remove(modelName) != null;
    if (existed) {
      mutated("DeleteModel " + modelName);
    }
    return existed;
  }

  // ------------------------------------------------------------------ endpoints

  @Override
  public EndpointState describe(String endpointName) {
    describes++;
    EndpointState s = endpoints.get(endpointName);
    if (s == null) {
      throw new EndpointNotFoundException("Could not find endpoint " + endpointName);
    }
    return s;
  }

  @Override
  public EndpointConfigSpec describeConfig(String endpointConfigName) {
    EndpointConfigSpec c = configs.get(endpointConfigName);
    if (c == null) {
      throw new EndpointConfigNotFoundException("Could not find endpoint configuration "
          + endpointConfigName);
    }
    return c;
  }

  @Override
  public void createConfig(EndpointConfigSpec config) {
    if (configs.containsKey(config.name())) {
      return;
    }
    configs.put(config.name(), config);
    mutated("CreateEndpointConfig " + config.name());
  }

  @Override
  public void update(EndpointUpdate update) {
    EndpointState now = describe(update.endpointName());
    if (update.endpointConfigName().equals(now.pendingConfigName())
        || (update.endpointConfigName().equals(now.endpointConfigName()) && now.inService())) {
      return;
    }
    if (now.inProgress()) {
      throw new EndpointBusyException("Cannot update in-progress endpoint " + now.endpointName());
    }
    if (!configs.containsKey(update.endpointConfigName())) {
      throw new EndpointConfigNotFoundException("Could not find endpoint configuration "
          + update.endpointConfigName());
    }
    lastUpdate.put(update.endpointName(), update);
    endpoints.put(now.endpointName(), new EndpointState(now.endpointName(), "Updating",
        now.endpointConfigName(), null, now.productionVariants(), update.endpointConfigName(),
        List.of()));
    mutated("UpdateEndpoint " + update.endpointName() + " " + update.endpointConfigName());
  }

  @Override
  public boolean deleteConfig(String endpointConfigName) {
    boolean existed = configs.remove(endpointConfigName) != null;
    if (existed) {
      mutated("DeleteEndpointConfig " + endpointConfigName);
    }
    return existed;
  }

  @Override
  public void setWeights(EndpointState current, List<VariantWeight> weights) {
    // The caller's read decides whether to send (as the adapter does); SageMaker's own state
    // decides whether the call is accepted.
    String endpointName = current.endpointName();
    EndpointState now = describe(endpointName);
    boolean desired = (current.inService() || "Updating".equals(current.status()))
        && weights.stream().allMatch(w -> {
          VariantState v = current.variant(w.variantName());
          return v != null && v.desiredWeight() != null
              && Math.abs(v.desiredWeight() - w.weight()) < 1e-9;
        });
    if (desired) {
      return;
    }
    if (now.inProgress()) {
      throw new EndpointBusyException("Cannot update in-progress endpoint " + endpointName);
    }
    List<VariantState> variants = new ArrayList<>();
    for (VariantState v : now.productionVariants()) {
      Double w = weights.stream().filter(x -> x.variantName().equals(v.variantName()))
          .map(VariantWeight::weight).findFirst().orElse(v.desiredWeight());
      variants.add(new VariantState(v.variantName(), v.currentWeight(), w,
          v.currentInstanceCount(), v.desiredInstanceCount(), v.instancePools()));
    }
    endpoints.put(endpointName, new EndpointState(endpointName, "Updating",
        now.endpointConfigName(), null, variants, null, List.of()));
    mutated("UpdateEndpointWeightsAndCapacities " + endpointName + " " + weights.stream()
        .map(w -> w.variantName() + "=" + w.weight()).toList());
  }

  // ------------------------------------------------------------------ test controls

  /** An endpoint InService on {@code config}, its variants' weights and counts from the config. */
  @Override
  public Map<String, String> endpointTags(String endpointName) {
    if (!endpoints.containsKey(endpointName)) {
      throw new EndpointNotFoundException("ListTags endpoint/" + endpointName + ": not found");
    }
    return endpointTags.getOrDefault(endpointName, Map.of());
  }

  public void endpointOn(String endpointName, String config) {
    EndpointConfigSpec c = configs.get(config);
    endpoints.put(endpointName, new EndpointState(endpointName, "InService", config, null,
        c.productionVariants().stream().map(v -> running(v, null)).toList(), null, List.of()));
  }

  /** The pending update succeeds: the new fleet serves, pooled variants land per {@link #landing}. */
  public void completeUpdate(String endpointName) {
    EndpointState now = endpoints.get(endpointName);
    EndpointConfigSpec c = configs.get(now.pendingConfigName());
    EndpointUpdate u = lastUpdate.get(endpointName);
    List<VariantState> variants = new ArrayList<>();
    for (VariantSpec v : c.productionVariants()) {
      VariantState old = now.variant(v.variantName());
      boolean keepWeight = u.retainAllVariantProperties() && old != null
          && !u.excludeRetained().contains(EndpointUpdate.DESIRED_WEIGHT);
      variants.add(running(v, keepWeight ? old.desiredWeight() : null));
    }
    endpoints.put(endpointName, new EndpointState(endpointName, "InService", c.name(), null,
        variants, null, List.of()));
  }

  /** SageMaker gives up on the pending update and rolls back by itself. */
  public void rollBackUpdate(String endpointName, String failureReason) {
    EndpointState now = endpoints.get(endpointName);
    endpoints.put(endpointName, new EndpointState(endpointName, "InService",
        now.endpointConfigName(), failureReason, now.productionVariants(), null, List.of()));
  }

  /** The weight change in flight is applied. */
  public void completeWeights(String endpointName) {
    EndpointState now = endpoints.get(endpointName);
    endpoints.put(endpointName, new EndpointState(endpointName, "InService",
        now.endpointConfigName(), null, now.productionVariants().stream()
            .map(v -> new VariantState(v.variantName(), v.desiredWeight(), v.desiredWeight(),
                v.currentInstanceCount(), v.desiredInstanceCount(), v.instancePools()))
            .toList(), null, List.of()));
  }

  public void status(String endpointName, String status, String failureReason) {
    EndpointState now = endpoints.get(endpointName);
    endpoints.put(endpointName, new EndpointState(endpointName, status, now.endpointConfigName(),
        failureReason, now.productionVariants(), now.pendingConfigName(), now.pendingVariants()));
  }

  private void mutated(String mutation) {
    mutations.add(mutation);
    onMutation.accept(mutation);
  }

  public List<String> mutationsStartingWith(String prefix) {
    return mutations.stream().filter(m -> m.startsWith(prefix)).toList();
  }

  private VariantState running(VariantSpec v, Double weight) {
    double w = weight != null ? weight
        : v.initialVariantWeight() == null ? 1.0 : v.initialVariantWeight();
    int count = v.initialInstanceCount() == null ? 1 : v.initialInstanceCount();
    List<PoolCount> pools = List.of();
    if (v.usesPools()) {
      pools = landing.getOrDefault(v.variantName(),
          List.of(new PoolCount(v.preferredInstanceType(), count)));
    }
    return new VariantState(v.variantName(), w, w, count, count, pools);
  }

  public static String key(String arn) {
    return arn.toLowerCase(Locale.ROOT);
  }
}
