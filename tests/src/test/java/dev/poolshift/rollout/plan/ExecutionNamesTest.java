package dev.poolshift.rollout.plan;

import dev.poolshift.rollout.endpoint.ModelPackageArn;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ExecutionNamesTest {
  /** Everything Step Functions forbids in a name (whitespace, brackets, wildcards, specials, controls). */
  private static final Pattern FORBIDDEN =
      Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\u0000-\\u001f\\u007f-\\u009f]");
  private static final String[] PARTITIONS = {"aws", "aws-cn", "aws-us-gov"};
  private static final String[] REGIONS = {"us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1"};
  private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";

  @Test
  void tenThousandRandomArnsGiveValidStableDistinctNames() {
    Random random = new Random(20260601);
    Map<String, String> arnByName = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      ModelPackageArn arn = randomArn(random);

      String name = ExecutionNames.forApproval(arn);

      assertThat(name).hasSizeBetween(1, 80);
      assertThat(FORBIDDEN.matcher(name).find()).as(name).isFalse();
      assertThat(ExecutionNames.forApproval(ModelPackageArn.parse(arn.toString()))).isEqualTo(name);
      String previous = arnByName.put(name, arn.canonical());
      assertThat(previous == null || previous.equals(arn.canonical()))
          .as("%s and %s share the name %s", previous, arn, name).isTrue();
    }
  }

  @Test
  void versionsGroupsAccountsAndRegionsGetDifferentNames() {
    String base = ExecutionNames.forApproval(ModelPackageArn.parse(
        "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/42"));

    assertThat(ExecutionNames.forApproval(ModelPackageArn.parse(
        "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/43"))).isNotEqualTo(base);
    assertThat(ExecutionNames.forApproval(ModelPackageArn.parse(
        "arn:aws:sagemaker:us-east-1:444455556666:model-package/fraud-scoring/42"))).isNotEqualTo(base);
    assertThat(ExecutionNames.forApproval(ModelPackageArn.parse(
        "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud-scoring/42"))).isNotEqualTo(base);
    assertThat(ExecutionNames.forApproval(ModelPackageArn.parse(
        "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring-2/42"))).isNotEqualTo(base);
    assertThat(base).startsWith("fraud-scoring-v42-").hasSize("fraud-scoring-v42-".length() + 12);
  }

  @Test
  void theSamePackageWrittenInAnotherCaseIsTheSameApproval() {
    assertThat(ExecutionNames.forApproval(ModelPackageArn.parse(
        "arn:aws:sagemaker:us-east-1:111122223333:model-package/Fraud-Scoring/42")))
        .isEqualTo(ExecutionNames.forApproval(ModelPackageArn.parse(
            "arn:aws:sagemaker:us-east-1:111122223333:model-package/fraud-scoring/42")));
  }

  @Test
  void aMaximalGroupNameIsTruncatedButTheVersionAndHashSurvive() {
    String group = "g" + "-a".repeat(31);
    String name = ExecutionNames.forApproval(ModelPackageArn.parse(
        "arn:aws:sagemaker:us-east-1:111122223333:model-package/" + group + "/123456789"));

    assertThat(name).hasSizeLessThanOrEqualTo(80).contains("-v123456789-").doesNotContain("--v");
  }

  private static ModelPackageArn randomArn(Random random) {
    int length = 1 + random.nextInt(63);
    StringBuilder group = new StringBuilder();
    group.append(NAME_CHARS.charAt(random.nextInt(62)));
    while (group.length() < length - 1) {
      group.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
    }
    if (length > 1) {
      group.append(NAME_CHARS.charAt(random.nextInt(62)));
    }
    String account = String.format("%012d", Math.floorMod(random.nextLong(), 1_000_000_000_000L));
    return ModelPackageArn.parse("arn:" + PARTITIONS[random.nextInt(PARTITIONS.length)] + ":sagemaker:"
        + REGIONS[random.nextInt(REGIONS.length)] + ":" + account + ":model-package/" + group + "/"
        + (1 + random.nextInt(random.nextBoolean() ? 100 : 999_999_999)));
  }
}
