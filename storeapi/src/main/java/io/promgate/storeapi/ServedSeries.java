package io.promgate.storeapi;

import io.promgate.model.Labels;
import io.promgate.storeapi.thanos.AggrChunk;
import java.util.List;

/** A series ready to send: the labels it is served with and its encoded chunks (empty with skip_chunks). */
record ServedSeries(Labels labels, List<AggrChunk> chunks) {
}
