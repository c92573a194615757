package dev.poolshift.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.poolshift.local.json.LocalJson;
import dev.poolshift.local.sim.Mailbox;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The task tokens of callback ({@code .waitForTaskToken}) tasks and the SendTask* operations on
 * them. A token is live from the moment the task issues it until the task closes (success,
 * failure, timeout, its execution stopping or failing, a retry issuing a new one); afterwards it is
 * answered with {@code TaskTimedOut}, as AWS does. Tokens are secrets: no message here contains one.
 */
public final class TaskTokens {
  /** SendTaskSuccess output limit (API:SendTaskSuccess). */
  static final int MAX_OUTPUT_BYTES = 262_144;
  private static final String PREFIX = "AQB";
  private static final Pattern WELL_FORMED = Pattern.compile(PREFIX + "[A-Za-z0-9_-]{120}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a waiting task receives. */
  sealed interface Signal permits Success, Failure, Heartbeat {}

  record Success(JsonNode output) implements Signal {}

  record Failure(String error, String cause) implements Signal {}

  record Heartbeat() implements Signal {}

  private record Live(String executionArn, String stateName, Mailbox<Object> mailbox) {}

  private final Map<String, Live> live = new HashMap<>();
  private final Set<String> closed = new HashSet<>();

  /** A SendTask* call was refused; {@code code} is the Step Functions API error code. */
  public static final class TokenException extends Exception {
    private final String code;

    public TokenException(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** Issues a new live token whose signals go to {@code mailbox}. */
  synchronized String issue(String executionArn, String stateName, Mailbox<Object> mailbox) {
    byte[] bytes = new byte[90];
    RANDOM.nextBytes(bytes);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    live.put(token, new Live(executionArn, stateName, mailbox));
    return token;
  }

  /** The task stopped waiting for this token. */
  synchronized void close(String token) {
    if (live.remove(token) != null) {
      closed.add(token);
    }
  }

  /** Closes every live token of an execution (it stopped, timed out or failed). */
  public synchronized void closeAll(String executionArn) {
    live.entrySet().removeIf(e -> {
      if (e.getValue().executionArn().equals(executionArn)) {
        closed.add(e.getKey());
        return true;
      }
      return false;
    });
  }

  /** Number of live tokens, for tests asserting that nothing is left waiting. */
  public synchronized int outstanding() {
    return live.size();
  }

  /**
   * Whether {@code text} contains any token ever issued (live or closed): lets a test assert that
   * no log line carries one without the tokens themselves leaving this class.
   */
  public synchronized boolean leaksInto(String text) {
    if (text == null || !text.contains(PREFIX)) {
      return false;
    }
    return live.keySet().stream().anyMatch(text::contains) || closed.stream().anyMatch(text::contains);
  }

  /** The Task states that hold a live token, as "executionArn/stateName" (never the token). */
  public synchronized List<String> outstandingTasks() {
    return live.values().stream().map(l -> l.executionArn() + "/" + l.stateName()).sorted().toList();
  }

  public void sendSuccess(String token, String output) throws TokenException {
    checkWellFormed(token);
    if (output == null) {
      throw new TokenException("ValidationException", "1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null");
    }
    if (output.getBytes(StandardCharsets.UTF_8).length > MAX_OUTPUT_BYTES) {
      throw new TokenException("InvalidOutput", "Output exceeds the maximum size of " + MAX_OUTPUT_BYTES + " bytes");
    }
    JsonNode parsed;
    try {
      parsed = LocalJson.parse(output);
    } catch (IllegalArgumentException e) {
      throw new TokenException("InvalidOutput", "Invalid Output: '" + e.getMessage() + "'");
    }
    deliver(token, new Success(parsed), true);
  }

  public void sendFailure(String token, String error, String cause) throws TokenException {
    checkWellFormed(token);
    if (error != null && error.length() > 256) {
      throw new TokenException("ValidationException", "1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256");
    }
    if (cause != null && cause.length() > 32_768) {
      throw new TokenException("ValidationException", "1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768");
    }
    deliver(token, new Failure(error, cause), true);
  }

  public void sendHeartbeat(String token) throws TokenException {
    checkWellFormed(token);
    deliver(token, new Heartbeat(), false);
  }

  private void checkWellFormed(String token) throws TokenException {
    if (token == null || token.isEmpty() || token.length() > 2048) {
      throw new TokenException("InvalidToken", "Invalid token");
    }
    if (!WELL_FORMED.matcher(token).matches()) {
      throw new TokenException("InvalidToken", "Invalid token");
    }
  }

  private void deliver(String token, Signal signal, boolean closes) throws TokenException {
    Mailbox<Object> mailbox;
    synchronized (this) {
      Live entry = live.get(token);
      if (entry == null) {
        if (closed.contains(token)) {
          throw new TokenException("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
        }
        throw new TokenException("TaskDoesNotExist", "Task does not exist anymore");
      }
      if (closes) {
        live.remove(token);
        closed.add(token);
      }
      mailbox = entry.mailbox();
    }
    mailbox.offer(signal);
  }
}
