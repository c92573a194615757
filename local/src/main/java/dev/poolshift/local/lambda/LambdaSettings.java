package dev.poolshift.local.lambda;

import java.time.Duration;

/**
 * How long things take in virtual time, and other knobs of the local Lambda service.
 *
 * <p>Defaults, and why:
 * <ul>
 *   <li>{@code snapStartRestore} 300 ms: a SnapStart restore of a Java function; applies to cold
 *       starts of a published version or alias of a function with {@code SnapStart.ApplyOn:
 *       PublishedVersions} (SnapStart never applies to {@code $LATEST}).
 *   <li>{@code onDemandInit} 2 s: a Java function's initialisation without SnapStart (JVM start,
 *       class loading, SDK client creation) is typically one to several seconds.
 *   <li>{@code invoke} 20 ms: a warm invocation of a handler that makes a few SDK calls.
 *   <li>{@code asyncQueueDelay} 50 ms: from an accepted asynchronous invoke to the first attempt.
 * </ul>
 * Per-function values can be set on {@link LambdaService#function(String)}.
 *
 * @param seed makes request ids repeatable
 * @param echoLogs also print captured function log lines to the original stdout
 * @param credentials values for the reserved {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}
 *     /{@code AWS_SESSION_TOKEN} variables, or null to leave them out
 */
public record LambdaSettings(Duration snapStartRestore, Duration onDemandInit, Duration invoke,
    Duration asyncQueueDelay, long seed, boolean echoLogs, Credentials credentials) {

  public static final LambdaSettings DEFAULT = new LambdaSettings(Duration.ofMillis(300), Duration.ofSeconds(2),
      Duration.ofMillis(20), Duration.ofMillis(50), 1L, false, null);

  public LambdaSettings {
    for (Duration d : new Duration[] {snapStartRestore, onDemandInit, invoke, asyncQueueDelay}) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("durations must be >= 0");
      }
    }
  }

  public LambdaSettings withInvoke(Duration d) {
    return new LambdaSettings(snapStartRestore, onDemandInit, d, asyncQueueDelay, seed, echoLogs, credentials);
  }

  public LambdaSettings withColdStarts(Duration snapStart, Duration onDemand) {
    return new LambdaSettings(snapStart, onDemand, invoke, asyncQueueDelay, seed, echoLogs, credentials);
  }

  public LambdaSettings withEchoLogs(boolean echo) {
    return new LambdaSettings(snapStartRestore, onDemandInit, invoke, asyncQueueDelay, seed, echo, credentials);
  }

  public LambdaSettings withCredentials(Credentials c) {
    return new LambdaSettings(snapStartRestore, onDemandInit, invoke, asyncQueueDelay, seed, echoLogs, c);
  }

  /** The execution role's credentials as Lambda puts them in the environment. */
  public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {}
}
