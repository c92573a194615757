package dev.poolshift.handler;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Times one handler's cold start in this (fresh) JVM: its environment constructor, then its first
 * use of every AWS path it has (the SnapStart priming reads, each answered "not found"), against
 * the endpoint in {@code aws.endpointUrl} (for example {@code ./poolshift serve}'s). Not a test:
 * run it once per JVM, one handler per run, and take medians over several runs.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:target/lib/* -Daws.endpointUrl=http://127.0.0.1:4566 \
 *     dev.poolshift.handler.ColdStartProbe RolloutSteps
 * </pre>
 *
 * <p>Prints {@code <handler> construct_ms=… first_use_ms=… construct_cpu_ms=… first_use_cpu_ms=…}:
 * wall time, then the CPU time the whole process spent in the same spans (every thread: the JIT
 * compiler's and the collector's too). On a machine shared with other work the wall time grows
 * with the load while the CPU time barely moves, so the CPU figures are the ones to compare
 * between runs there.
 */
public final class ColdStartProbe {
  private static final Map<String, Function<Map<String, String>, SnapStartPriming>> HANDLERS =
      Map.of(
          "RolloutSteps", env -> new RolloutStepsHandler(env).priming(),
          "ApprovalIntake", env -> new ApprovalIntakeHandler(env).priming(),
          "EndpointEvents", env -> new EndpointEventsHandler(env).priming(),
          "AlarmEvents", env -> new AlarmEventsHandler(env).priming(),
          "Reconciler", env -> new ReconcilerHandler(env).priming());

  private ColdStartProbe() {}

  public static void main(String[] args) {
    String handler = args[0];
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putIfAbsent("AWS_REGION", "us-east-1");
    env.putIfAbsent("AWS_ACCESS_KEY_ID", "probe");
    env.putIfAbsent("AWS_SECRET_ACCESS_KEY", "probe");
    env.putIfAbsent("MANAGED_ALARM_PREFIX", "poolshift-");
    env.putIfAbsent("STATE_TABLE", "probe-state");
    env.putIfAbsent("LEDGER_TABLE", "probe-ledger");
    env.putIfAbsent("NOTIFICATION_TOPIC_ARN", "arn:aws:sns:us-east-1:000000000000:probe");
    env.putIfAbsent("STATE_MACHINE_ARN",
        "arn:aws:states:us-east-1:000000000000:stateMachine:probe");
    long start = System.nanoTime();
    long startCpu = processCpuMillis();
    SnapStartPriming priming = HANDLERS.get(handler).apply(env);
    long built = System.nanoTime();
    long builtCpu = processCpuMillis();
    priming.prime();
    long used = System.nanoTime();
    long usedCpu = processCpuMillis();
    System.out.printf("%s construct_ms=%d first_use_ms=%d construct_cpu_ms=%d first_use_cpu_ms=%d%n",
        handler, (built - start) / 1_000_000, (used - built) / 1_000_000, builtCpu - startCpu,
        usedCpu - builtCpu);
  }

  private static long processCpuMillis() {
    return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toMillis();
  }
}
