package io.promgate.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.promgate.promql.ast.Expr;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Properties: random well-formed ASTs print and parse back to themselves; random text and mutations of
 * real queries either parse or fail with ParseException, never anything else, and never take long.
 */
class ParserPropertiesTest {
  private static List<String> corpus;

  @BeforeContainer
  static void loadCorpus() throws IOException {
    corpus = TestData.read("prometheus-valid.txt").stream().map(f -> f[0]).toList();
  }

  @Property(tries = 1000)
  void printedAstsParseBackToThemselves(@ForAll long seed) {
    AstGenerator gen = new AstGenerator(seed);
    Expr ast = gen.any(new Random(seed).nextInt(5));
    String printed = Printer.print(ast);
    Expr parsed;
    try {
      parsed = PromQLParser.parse(printed);
    } catch (ParseException e) {
      throw new AssertionError("printed AST does not parse: " + printed + " -> " + e.getMessage(), e);
    }
    assertThat(parsed).as(printed).isEqualTo(ast);
    assertThat(Printer.print(parsed)).isEqualTo(printed);
  }

  @Property(tries = 1000)
  void randomTextOnlyEverFailsWithParseException(@ForAll("promqlish") String text) {
    parseWithinBudget(text);
  }

  @Property(tries = 1000)
  void mutatedQueriesOnlyEverFailWithParseException(@ForAll long seed) {
    Random r = new Random(seed);
    StringBuilder q = new StringBuilder(corpus.get(r.nextInt(corpus.size())));
    String alphabet = "(){}[],:@+-*/%^=!~<>\"'`#\\ \n0123456789.eExabcmshdwy_";
    for (int i = r.nextInt(4) + 1; i > 0; i--) {
      int at = q.length() == 0 ? 0 : r.nextInt(q.length());
      switch (r.nextInt(3)) {
        case 0 -> q.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
        case 1 -> {
          if (q.length() > 0) {
            q.deleteCharAt(at);
          }
        }
        default -> {
          if (q.length() > 0) {
            q.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
          }
        }
      }
    }
    parseWithinBudget(q.toString());
  }

  @Provide
  Arbitrary<String> promqlish() {
    Arbitrary<String> tokens = Arbitraries.of("sum", "by", "(", ")", "{", "}", "[", "]", "5m", ":", "offset", "@",
        "rate", "foo", "\"x\"", "=", "=~", ",", "+", "-", "^", "1", "bool", "on", "group_left", "and", " ", "#c\n",
        "start()", "`", "'", "\\", "1e", "0x", "Inf", "é");
    Arbitrary<String> joined = tokens.list().ofMaxSize(25).map(l -> String.join("", l));
    return Arbitraries.oneOf(joined, Arbitraries.strings().ofMaxLength(40));
  }

  private static void parseWithinBudget(String text) {
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      try {
        Expr e = PromQLParser.parse(text);
        // whatever parses must print to something that parses to the same tree
        assertThat(PromQLParser.parse(Printer.print(e))).isEqualTo(e);
      } catch (ParseException expected) {
        assertThat(expected.line()).isPositive();
        assertThat(expected.column()).isPositive();
      }
    }, () -> "parsing took too long: " + text);
  }
}
