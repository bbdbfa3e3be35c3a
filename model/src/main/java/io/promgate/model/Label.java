package io.promgate.model;

/** One label pair. */
public record Label(String name, String value) {
}
