package dev.poolshift.local.iam;

import dev.poolshift.local.aws.AwsContext;
import dev.poolshift.local.template.FunctionDef;
import dev.poolshift.local.template.SamTemplate;
import dev.poolshift.local.template.StateMachineDef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every principal of a template: one per function and one per state machine, each with its role,
 * its policies and credentials of its own. The credentials are what tells the gateway who signed
 * a request: the access key id in the SigV4 credential scope. They are derived from the stack and
 * logical id, so they are the same on every run and differ between functions.
 */
public final class Identities {
  private final AwsContext aws;
  private final Map<String, Principal> byLogicalId = new LinkedHashMap<>();
  private final Map<String, String> logicalIdByAccessKey = new LinkedHashMap<>();
  private final List<String> notModelled = new ArrayList<>();

  private Identities(AwsContext aws) {
    this.aws = aws;
  }

  /** The principals of {@code template}; a policy that cannot be read is a {@link PolicyException}. */
  public static Identities fromTemplate(SamTemplate template) {
    Identities ids = new Identities(template.aws());
    for (FunctionDef f : template.functions().values()) {
      RolePolicies.Role role = RolePolicies.of(template, f.logicalId(), true, ids.notModelled);
      ids.add(new Principal(Principal.Kind.FUNCTION, f.logicalId(), f.name(), role.arn(), role.roleId(), f.name(),
          credentials(template.stackName(), f.logicalId()), f.arn(), role.policies()));
    }
    for (StateMachineDef m : template.stateMachines().values()) {
      RolePolicies.Role role = RolePolicies.of(template, m.logicalId(), false, ids.notModelled);
      // Step Functions names its role session itself; a stable stand-in of the same shape.
      String session = hex(digest("session:" + m.arn())).substring(0, 32);
      ids.add(new Principal(Principal.Kind.STATE_MACHINE, m.logicalId(), m.arn(), role.arn(), role.roleId(), session,
          credentials(template.stackName(), m.logicalId()), null, role.policies()));
    }
    return ids;
  }

  private void add(Principal p) {
    byLogicalId.put(p.logicalId(), p);
    logicalIdByAccessKey.put(p.credentials().accessKeyId(), p.logicalId());
  }

  public AwsContext aws() {
    return aws;
  }

  /** The principal whose access key id this is, if it is one of the template's. */
  public synchronized Optional<Principal> byAccessKeyId(String accessKeyId) {
    String id = logicalIdByAccessKey.get(accessKeyId);
    return id == null ? Optional.empty() : Optional.of(byLogicalId.get(id));
  }

  /** A function or state machine by logical id, or (for a state machine) by ARN. */
  public synchronized Principal principal(String logicalIdOrArn) {
    Principal p = byLogicalId.get(logicalIdOrArn);
    if (p == null) {
      p = byLogicalId.values().stream().filter(x -> x.kind() == Principal.Kind.STATE_MACHINE
          && x.name().equals(logicalIdOrArn)).findFirst().orElse(null);
    }
    if (p == null) {
      throw new IllegalArgumentException("no function or state machine '" + logicalIdOrArn + "' in the template (have: "
          + String.join(", ", byLogicalId.keySet()) + ")");
    }
    return p;
  }

  public synchronized Collection<Principal> principals() {
    return List.copyOf(byLogicalId.values());
  }

  /** Attaches one more policy to a principal's role (a rehearsal's declared denial). */
  public synchronized void attach(String logicalId, PolicyDocument policy) {
    byLogicalId.put(logicalId, principal(logicalId).withPolicy(policy));
  }

  /** Detaches every policy named {@code policyName} from a principal's role. */
  public synchronized void detach(String logicalId, String policyName) {
    byLogicalId.put(logicalId, principal(logicalId).withoutPolicy(policyName));
  }

  /** What the template asks for that the evaluation leaves out (a permissions boundary, say). */
  public List<String> notModelled() {
    return List.copyOf(notModelled);
  }

  /**
   * Temporary credentials in the shape Lambda hands out ({@code ASIA...} keys, a session token),
   * derived from the stack and the logical id.
   */
  static Principal.Credentials credentials(String stack, String logicalId) {
    byte[] d = digest("credentials:" + stack + ":" + logicalId);
    String key = "ASIA" + base32(d).substring(0, 16);
    String secret = Base64.getEncoder().encodeToString(digest("secret:" + stack + ":" + logicalId)).substring(0, 40);
    String token = "IQoJb3JpZ2luX2VjE" + Base64.getEncoder().encodeToString(digest("token:" + stack + ":" + logicalId));
    return new Principal.Credentials(key, secret, token);
  }

  private static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      b.append(String.format(Locale.ROOT, "%02x", x));
    }
    return b.toString();
  }

  private static String base32(byte[] bytes) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    return out.toString();
  }
}
