package io.promgate.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void basic() {
    String[] qs = {"up", "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))", "-1^2", "foo offset 5m @ 100",
        "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))", "a + on(x) group_left(y) b", "{\"my.metric\", \"a.b\"=\"x\"}",
        "foo[5m+1m]", "rate(foo[1h:])", "sum(x) by (on, offset)", "offset", "foo offset 100 + 2", "1 > bool 2", "x[1.5]"};
    for (String q : qs) {
      String printed = Printer.print(PromQLParser.parse(q));
      System.out.println(q + "  =>  " + printed);
      assertThat(PromQLParser.parse(printed)).isEqualTo(PromQLParser.parse(q));
    }
    for (String q : new String[] {"sum(", "foo{a=\"b\"", "1 > 2", "foo bar", "rate(foo)", "", "nofunc(x)", "{}", "x[5m] offset 1m [1m]"}) {
      try {
        PromQLParser.parse(q);
        System.out.println(q + " parsed?!");
      } catch (ParseException e) {
        System.out.println(q + "  =>  " + e.getMessage());
      }
    }
  }
}
