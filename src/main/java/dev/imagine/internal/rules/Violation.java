package dev.imagine.internal.rules;

/** A request field that breaks a rule: the wire name of the field and a message saying what is allowed. */
public record Violation(String param, String message) {}
