package dev.poolshift.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import dev.poolshift.local.sim.Simulation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/** The {@link Context} a handler gets: remaining time counts down in virtual time. */
final class LocalContext implements Context {
  private final String requestId;
  private final String functionName;
  private final String version;
  private final String invokedArn;
  private final int memoryMb;
  private final String logStream;
  private final Instant deadline;
  private final Simulation sim;
  private final LambdaLogger logger;

  LocalContext(String requestId, String functionName, String version, String invokedArn, int memoryMb,
      String logStream, Instant deadline, Simulation sim, Consumer<String> log) {
    this.requestId = requestId;
    this.functionName = functionName;
    this.version = version;
    this.invokedArn = invokedArn;
    this.memoryMb = memoryMb;
    this.logStream = logStream;
    this.deadline = deadline;
    this.sim = sim;
    this.logger = new LambdaLogger() {
      @Override
      public void log(String message) {
        log.accept(strip(message));
      }

      @Override
      public void log(byte[] message) {
        log.accept(strip(new String(message, StandardCharsets.UTF_8)));
      }

      @Override
      public void log(String message, LogLevel level) {
        log.accept(level == null || level == LogLevel.UNDEFINED ? strip(message) : "[" + level + "] " + strip(message));
      }
    };
  }

  private static String strip(String message) {
    return message.endsWith("\n") ? message.substring(0, message.length() - 1) : message;
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + functionName;
  }

  @Override
  public String getLogStreamName() {
    return logStream;
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return version;
  }

  @Override
  public String getInvokedFunctionArn() {
    return invokedArn;
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    long ms = Duration.between(sim.now(), deadline).toMillis();
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, ms));
  }

  @Override
  public int getMemoryLimitInMB() {
    return memoryMb;
  }

  @Override
  public LambdaLogger getLogger() {
    return logger;
  }
}
