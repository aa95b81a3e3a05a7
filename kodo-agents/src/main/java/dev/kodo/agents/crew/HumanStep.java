package dev.kodo.agents.crew;

/**
 * A person's approval between two tasks ({@code human: {after: research, ask: "..."}}): after task
 * {@code after} the run locks with a demand that shows {@code ask} and that task's output; the
 * answer (approve, and an optional comment) is given to the next tasks as context, and a refusal
 * ends the run with its comment.
 */
public record HumanStep(String after, String ask) {}
