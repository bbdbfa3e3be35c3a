package io.promgate.gateway.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NameSuggesterTest {
  @Test
  void sharedTokensBeatShortEditDistance() {
    List<String> names = List.of("up", "aws_cost_exporter_current_month_cost", "aws_cost_exporter_previous_month_cost",
        "node_cpu_seconds_total", "aws_cost_exporter_scrape_duration_seconds");
    assertThat(NameSuggester.closest("aws_cost_exporter_cluster_cost", names, 2))
        .containsExactly("aws_cost_exporter_current_month_cost", "aws_cost_exporter_previous_month_cost");
  }

  @Test
  void typosWithoutSharedTokensStillFound() {
    assertThat(NameSuggester.closest("upp", List.of("up", "node_load1"), 5)).containsExactly("up");
    assertThat(NameSuggester.closest("http_requests_total", List.of("up", "node_load1"), 5)).isEmpty();
  }
}
