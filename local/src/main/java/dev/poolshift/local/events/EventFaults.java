package dev.poolshift.local.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Switchable delivery faults: what EventBridge's at-least-once, unordered, best-effort delivery
 * allows, made to happen on purpose. {@link #all()} sets faults for every rule; {@link #rule}
 * for one rule (its settings replace the global ones for that rule). Random choices are drawn
 * from the bus seed and the event, rule and target, so a run repeats exactly.
 */
public final class EventFaults {
  private final Scope global = new Scope();
  private final Map<String, Scope> perRule = new HashMap<>();
  private final Set<String> disabled = new HashSet<>();

  /** Faults for every rule. */
  public Scope all() {
    return global;
  }

  /** Faults for one rule (by name or logical id); replaces the global settings for that rule. */
  public synchronized Scope rule(String rule) {
    return perRule.computeIfAbsent(rule, r -> new Scope());
  }

  /** Events that match this rule are lost (as if the rule were disabled). */
  public synchronized EventFaults disableRule(String rule) {
    disabled.add(rule);
    return this;
  }

  public synchronized EventFaults enableRule(String rule) {
    disabled.remove(rule);
    return this;
  }

  public synchronized EventFaults clear() {
    global.clear();
    perRule.clear();
    disabled.clear();
    return this;
  }

  synchronized boolean isDisabled(String name, String logicalId) {
    return disabled.contains(name) || disabled.contains(logicalId);
  }

  synchronized Scope effective(String name, String logicalId) {
    Scope s = perRule.get(name);
    if (s == null) {
      s = perRule.get(logicalId);
    }
    return s == null ? global : s;
  }

  /** Fault settings for a set of rules. */
  public static final class Scope {
    private double duplicateProbability;
    private Duration duplicateGap = Duration.ZERO;
    private Duration extraDelay = Duration.ZERO;
    private Duration reorderWindow = Duration.ZERO;

    /** Each delivery is repeated (same event id) with this probability, {@code gap} after the first copy. */
    public synchronized Scope duplicate(double probability, Duration gap) {
      if (probability < 0 || probability > 1 || gap.isNegative()) {
        throw new IllegalArgumentException("probability must be in [0,1] and gap >= 0");
      }
      duplicateProbability = probability;
      duplicateGap = gap;
      return this;
    }

    /** Every delivery is late by this much on top of the normal latency. */
    public synchronized Scope delay(Duration extra) {
      if (extra.isNegative()) {
        throw new IllegalArgumentException("delay must be >= 0");
      }
      extraDelay = extra;
      return this;
    }

    /** Each delivery gets a random extra delay in [0, window], so close events can arrive out of order. */
    public synchronized Scope reorder(Duration window) {
      if (window.isNegative()) {
        throw new IllegalArgumentException("window must be >= 0");
      }
      reorderWindow = window;
      return this;
    }

    public synchronized Scope clear() {
      duplicateProbability = 0;
      duplicateGap = extraDelay = reorderWindow = Duration.ZERO;
      return this;
    }

    synchronized double duplicateProbability() {
      return duplicateProbability;
    }

    synchronized Duration duplicateGap() {
      return duplicateGap;
    }

    synchronized Duration extraDelay() {
      return extraDelay;
    }

    synchronized Duration reorderWindow() {
      return reorderWindow;
    }
  }
}
