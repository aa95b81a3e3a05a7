package dev.kodo.sdk;

/**
 * Why one input or answer is refused: the field's name (empty for the whole answer) and what is
 * wrong with it, as a sentence that reads after the name ("is required"). A {@link Demand}'s check
 * returns these; callers see them as the field errors of a problem (docs/http-api.md).
 */
public record InputError(String field, String message) {}
