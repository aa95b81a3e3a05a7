/**
 * YAML crews: the model of a crew file and its parser (docs/flows.md#yaml-crews). Public: tools
 * that check crew files use it too.
 */
package dev.kodo.agents.crew;
