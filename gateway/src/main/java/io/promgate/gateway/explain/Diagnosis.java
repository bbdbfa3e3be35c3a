package io.promgate.gateway.explain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Why one selector returns nothing: a stable code, a plain-language message and what to try instead. */
public record Diagnosis(String selector, Code code, String message, List<String> suggestions) {
  public enum Code {
    UNKNOWN_METRIC, LABEL_MISMATCH, NO_SAMPLES_IN_RANGE, STALE, BACKEND_PRUNED, BACKEND_ERROR, EXTERNAL_LABEL,
    /** The metric exists for another tenant the caller's credential may read (never for any other). */
    OTHER_TENANT;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Diagnosis {
    suggestions = List.copyOf(suggestions);
  }

  public JsonObject toJson() {
    return new JsonObject().put("selector", selector).put("code", code.wireName()).put("message", message)
        .put("suggestions", new JsonArray(suggestions));
  }
}
