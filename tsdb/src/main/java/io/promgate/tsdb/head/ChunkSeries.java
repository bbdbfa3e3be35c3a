package io.promgate.tsdb.head;

import io.promgate.model.Labels;
import io.promgate.model.chunk.XorChunk;
import java.util.List;

/** A series with its raw XOR chunks, for readers that ship chunks as they are (StoreAPI, remote read). */
public record ChunkSeries(Labels labels, List<XorChunk> chunks) {
}
