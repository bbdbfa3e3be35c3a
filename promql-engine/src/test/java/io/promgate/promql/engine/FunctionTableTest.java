package io.promgate.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.promgate.promql.ast.FunctionSignature;
import io.promgate.promql.parser.Functions;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The implementation table and the parser's signature table must name the same functions. */
class FunctionTableTest {
  @Test
  void sameKeysAsTheParsersSignatureTable() {
    Set<String> signatures = Functions.all().stream().map(FunctionSignature::name).collect(Collectors.toSet());
    assertThat(FunctionTable.IMPLEMENTATIONS.keySet()).containsExactlyInAnyOrderElementsOf(signatures);
  }
}
