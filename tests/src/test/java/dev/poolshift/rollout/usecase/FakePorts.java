package dev.poolshift.rollout.usecase;

import dev.poolshift.rollout.canary.AlarmSpec;
import dev.poolshift.rollout.canary.AlarmState;
import dev.poolshift.rollout.profile.DeploymentProfile;
import dev.poolshift.rollout.ProfileNotFoundException;
import dev.poolshift.rollout.RolloutException;
import dev.poolshift.rollout.TaskToken;
import dev.poolshift.rollout.port.AlarmStatus;
import dev.poolshift.rollout.port.Alarms;
import dev.poolshift.rollout.port.CallbackResult;
import dev.poolshift.rollout.port.ExecutionStarter;
import dev.poolshift.rollout.port.ExecutionStatus;
import dev.poolshift.rollout.port.Ledger;
import dev.poolshift.rollout.port.LedgerRecord;
import dev.poolshift.rollout.port.Metrics;
import dev.poolshift.rollout.port.Notification;
import dev.poolshift.rollout.port.Notifier;
import dev.poolshift.rollout.port.ProfileStore;
import dev.poolshift.rollout.port.StartResult;
import dev.poolshift.rollout.port.TaskCallbacks;
import dev.poolshift.rollout.port.VariantMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small in-memory ports. Each records what it was asked, for assertions. */
public final class FakePorts {
  private FakePorts() {}

  public static final class Profiles implements ProfileStore {
    public final Map<String, DeploymentProfile> byGroup = new HashMap<>();
    public final Map<String, RolloutException> failures = new HashMap<>();

    @Override
    public DeploymentProfile load(String group) {
      if (failures.containsKey(group)) {
        throw failures.get(group);
      }
      DeploymentProfile p = byGroup.get(group);
      if (p == null) {
        throw new ProfileNotFoundException("no deployment profile for model package group "
            + group);
      }
      return p;
    }
  }

  public static final class FakeAlarms implements Alarms {
    public final Map<String, AlarmStatus> states = new LinkedHashMap<>();
    public final Map<String, AlarmSpec> created = new LinkedHashMap<>();
    public final List<String> deleted = new ArrayList<>();
    public int puts;
    /** The state a new alarm starts in (CloudWatch: INSUFFICIENT_DATA until evaluated). */
    public AlarmState initial = AlarmState.INSUFFICIENT_DATA;

    @Override
    public void put(AlarmSpec alarm) {
      puts++;
      created.put(alarm.name(), alarm);
      states.putIfAbsent(alarm.name(), new AlarmStatus(alarm.name(), initial,
          "Unchecked: Initial alarm creation"));
    }

    @Override
    public Map<String, AlarmStatus> describe(Collection<String> names) {
      Map<String, AlarmStatus> out = new LinkedHashMap<>();
      names.forEach(n -> {
        if (states.containsKey(n)) {
          out.put(n, states.get(n));
        }
      });
      return out;
    }

    @Override
    public void delete(Collection<String> names) {
      names.forEach(n -> {
        if (states.remove(n) != null) {
          deleted.add(n);
        }
        created.remove(n);
      });
    }

    public void set(String name, AlarmState state, String reason) {
      states.put(name, new AlarmStatus(name, state, reason));
    }

    public void allOk(Collection<String> names) {
      names.forEach(n -> set(n, AlarmState.OK, "Threshold Crossed: no datapoints were greater"));
    }
  }

  public static final class FakeMetrics implements Metrics {
    public VariantMetrics next = new VariantMetrics(0, 0, null);
    public final List<String> windows = new ArrayList<>();

    @Override
    public VariantMetrics variant(String endpointName, String variantName, Instant start,
        Instant end, boolean withP99) {
      windows.add(variantName + " " + start + ".." + end + (withP99 ? " p99" : ""));
      return new VariantMetrics(next.invocations(), next.errors5xx(), next.p99LatencyMicros());
    }

    @Override
    public VariantMetrics variant(String endpointName, String variantName,
        List<String> instanceTypes, Instant start, Instant end, boolean withP99) {
      windows.add(variantName + " " + start + ".." + end + (withP99 ? " p99" : "")
          + " by " + instanceTypes);
      return next;
    }

    @Override
    public VariantMetrics asyncVariant(String endpointName, String variantName,
        List<String> instanceTypes, Instant start, Instant end) {
      windows.add(variantName + " " + start + ".." + end + " async by " + instanceTypes);
      return next;
    }

    @Override
    public VariantMetrics component(String componentName, List<String> instanceTypes,
        Instant start, Instant end, boolean withP99) {
      windows.add("component " + componentName + " " + start + ".." + end
          + (withP99 ? " p99" : "") + " by " + instanceTypes);
      return next;
    }
  }

  public static final class RecordingNotifier implements Notifier {
    public final List<Notification> sent = new ArrayList<>();

    @Override
    public void publish(Notification notification) {
      sent.add(notification);
    }

    public Notification last() {
      return sent.getLast();
    }
  }

  /** One callback sent: {@code output} for successes, {@code error}/{@code cause} for failures. */
  public record Callback(TaskToken token, boolean success, Object output, String error,
      String cause) {
  }

  public static final class RecordingCallbacks implements TaskCallbacks {
    public final List<Callback> sent = new ArrayList<>();
    /** Tokens whose task has ended: Step Functions answers TaskTimedOut. */
    public final List<TaskToken> closed = new ArrayList<>();
    /** When set, callbacks really go there (a Step Functions engine) and it answers. */
    public TaskCallbacks forwardTo;

    @Override
    public CallbackResult succeed(TaskToken token, Object output) {
      sent.add(new Callback(token, true, output, null, null));
      return forwardTo != null ? forwardTo.succeed(token, output) : result(token);
    }

    @Override
    public CallbackResult fail(TaskToken token, String error, String cause) {
      sent.add(new Callback(token, false, null, error, cause));
      return forwardTo != null ? forwardTo.fail(token, error, cause) : result(token);
    }

    private CallbackResult result(TaskToken token) {
      if (closed.contains(token)) {
        return CallbackResult.TASK_CLOSED;
      }
      closed.add(token);
      return CallbackResult.DELIVERED;
    }
  }

  public static final class InMemoryLedger implements Ledger {
    public final List<LedgerRecord> records = new ArrayList<>();

    @Override
    public void put(LedgerRecord record) {
      records.removeIf(r -> r.endpointName().equals(record.endpointName())
          && r.executionName().equals(record.executionName())
          && r.startedAt().equals(record.startedAt()));
      records.add(record);
    }

    @Override
    public List<LedgerRecord> latest(String endpointName, int limit) {
      return records.stream().filter(r -> r.endpointName().equals(endpointName))
          .sorted(Comparator.comparing(LedgerRecord::startedAt).reversed()).limit(limit).toList();
    }

    public LedgerRecord last() {
      return records.getLast();
    }
  }

  /** Step Functions executions: names are unique; the same name and input while running is fine. */
  public static final class FakeExecutions implements ExecutionStarter, ExecutionStatus {
    public final Map<String, Map<String, Object>> started = new LinkedHashMap<>();
    public final Map<String, String> statuses = new HashMap<>();
    public int calls;

    @Override
    public StartResult start(String executionName, Map<String, Object> input) {
      calls++;
      String arn = "arn:aws:states:us-east-1:111122223333:execution:poolshift-rollout:"
          + executionName;
      Map<String, Object> before = started.get(executionName);
      if (before == null) {
        started.put(executionName, input);
        statuses.put(arn, "RUNNING");
        return new StartResult(true, arn);
      }
      if (before.equals(input) && "RUNNING".equals(statuses.get(arn))) {
        return new StartResult(true, arn);
      }
      return new StartResult(false, null);
    }

    @Override
    public Optional<String> statusOf(String executionName) {
      return of("arn:aws:states:us-east-1:111122223333:execution:poolshift-rollout:" + executionName);
    }

    @Override
    public Optional<String> of(String executionArn) {
      return Optional.ofNullable(statuses.get(executionArn));
    }
  }
}
