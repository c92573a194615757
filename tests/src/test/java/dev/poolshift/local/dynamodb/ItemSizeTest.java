package dev.poolshift.local.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemSizeTest {
  @Test
  void stringLengthsCountTheirUtf8BytesWithoutEncoding() {
    for (String s : List.of("", "fraud-scoring-prod", "café", "日本語のモデル", "model 🚀 v2", "\uD83D", "x\uDE80y",
        "\uDE80\uD83D")) {
      assertThat(AttrValue.utf8Length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void anItemsSizeIsItsNamesPlusItsValuesWithListAndMapOverheads() {
    Map<String, AttrValue> item = Map.of("pk", new AttrValue.S("endpoint#é"),
        "n", new AttrValue.N(new BigDecimal("123.4500")),
        "m", new AttrValue.M(Map.of("a", new AttrValue.S("xy"), "bb", new AttrValue.Bool(true))));

    // pk: 2 + 11; n: 1 + (5 significant digits -> 4); m: 1 + 3 + (1 + 1 + 2) + (1 + 2 + 1)
    assertThat(AttrValue.itemSize(item)).isEqualTo(13 + 5 + 12);
  }
}
