package dev.kodo.client;

/** How far a run has come: a value from 0 to 1 and what it is doing. */
public record Progress(double value, String message) {}
