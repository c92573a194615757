package dev.poolshift.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.poolshift.rollout.port.TokenKind;
import dev.poolshift.rollout.port.TokenRegistration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskTokenTest {
  private static final String VALUE = "AQCEAAAAKgAAAAMAAAAAAAAAAsecret-token-value-0123456789";

  @Test
  void aTokenNeverShowsItselfNorInTheRecordsThatCarryIt() {
    TaskToken token = new TaskToken(VALUE);
    TokenRegistration r = new TokenRegistration("ep", TokenKind.BAKE, "run", token, null, 0,
        Instant.EPOCH, null, Instant.EPOCH);

    assertThat(token.toString()).isEqualTo("TaskToken[redacted]");
    assertThat(r.toString()).doesNotContain(VALUE);
    assertThat(token.reveal()).isEqualTo(VALUE);
  }

  @Test
  void aTokenLongerThanStepFunctionsAllowsIsRefusedWithoutEchoingIt() {
    String tooLong = "AQ" + "x".repeat(2100);

    assertThatThrownBy(() -> new TaskToken(tooLong)).isInstanceOf(InvalidInputException.class)
        .hasMessage("taskToken: must be 1–2048 characters (got 2102 characters)");
  }
}
