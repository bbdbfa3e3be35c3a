package io.promgate.tsdb.block;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code meta.json} of a block: Prometheus' {@code BlockMeta} (version 1) plus Thanos' {@code thanos}
 * section, so that a Thanos Store Gateway or compactor accepts blocks we upload. {@code maxTime} is
 * exclusive, as in Prometheus.
 */
public record BlockMeta(String ulid, long minTime, long maxTime, long numSamples, long numSeries, long numChunks,
    int level, List<String> sources, List<String> parents, Map<String, String> externalLabels) {

  public BlockMeta {
    sources = List.copyOf(sources);
    parents = List.copyOf(parents);
    externalLabels = Map.copyOf(externalLabels);
  }

  public BlockMeta withStats(long samples, long series, long chunks) {
    return new BlockMeta(ulid, minTime, maxTime, samples, series, chunks, level, sources, parents, externalLabels);
  }

  public String toJson() {
    StringBuilder s = new StringBuilder(512);
    s.append("{\n\t\"ulid\": ").append(Json.quote(ulid))
        .append(",\n\t\"minTime\": ").append(minTime)
        .append(",\n\t\"maxTime\": ").append(maxTime)
        .append(",\n\t\"stats\": {\n\t\t\"numSamples\": ").append(numSamples)
        .append(",\n\t\t\"numSeries\": ").append(numSeries)
        .append(",\n\t\t\"numChunks\": ").append(numChunks)
        .append("\n\t},\n\t\"compaction\": {\n\t\t\"level\": ").append(level)
        .append(",\n\t\t\"sources\": ").append(Json.stringArray(sources));
    if (!parents.isEmpty()) {
      s.append(",\n\t\t\"parents\": [");
      for (int i = 0; i < parents.size(); i++) {
        s.append(i == 0 ? "" : ", ").append("{\"ulid\": ").append(Json.quote(parents.get(i))).append('}');
      }
      s.append(']');
    }
    s.append("\n\t},\n\t\"version\": 1,\n\t\"thanos\": {\n\t\t\"labels\": {");
    int i = 0;
    for (Map.Entry<String, String> e : new TreeMap<>(externalLabels).entrySet()) {
      s.append(i++ == 0 ? "" : ", ").append(Json.quote(e.getKey())).append(": ").append(Json.quote(e.getValue()));
    }
    s.append("},\n\t\t\"downsample\": {\"resolution\": 0},\n\t\t\"source\": \"receive\"\n\t}\n}\n");
    return s.toString();
  }

  @SuppressWarnings("unchecked")
  public static BlockMeta fromJson(String json) {
    Map<String, Object> m = (Map<String, Object>) Json.parse(json);
    Map<String, Object> stats = (Map<String, Object>) m.getOrDefault("stats", Map.of());
    Map<String, Object> comp = (Map<String, Object>) m.getOrDefault("compaction", Map.of());
    Map<String, Object> thanos = (Map<String, Object>) m.getOrDefault("thanos", Map.of());
    List<String> parents = new ArrayList<>();
    for (Object p : (List<Object>) comp.getOrDefault("parents", List.of())) {
      parents.add((String) ((Map<String, Object>) p).get("ulid"));
    }
    Map<String, String> labels = new TreeMap<>();
    ((Map<String, Object>) thanos.getOrDefault("labels", Map.of())).forEach((k, v) -> labels.put(k, (String) v));
    return new BlockMeta((String) m.get("ulid"), num(m.get("minTime")), num(m.get("maxTime")),
        num(stats.get("numSamples")), num(stats.get("numSeries")), num(stats.get("numChunks")),
        (int) num(comp.getOrDefault("level", 1L)), (List<String>) (List<?>) comp.getOrDefault("sources", List.of()),
        parents, labels);
  }

  private static long num(Object o) {
    return o == null ? 0 : ((Number) o).longValue();
  }
}
