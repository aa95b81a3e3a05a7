package dev.kodo.engine;

import dev.kodo.client.EventType;
import dev.kodo.client.Json;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;

/** An {@link EventSink} that keeps what it is given; every payload must be valid JSON. */
final class Recorder implements EventSink {
  record Emitted(EventType type, JsonNode data) {}

  private final List<Emitted> events = new CopyOnWriteArrayList<>();

  @Override
  public void emit(EventType type, String data) {
    events.add(new Emitted(type, Json.read(data)));
  }

  List<Emitted> events() {
    return List.copyOf(events);
  }

  List<EventType> types() {
    return events.stream().map(Emitted::type).toList();
  }

  List<JsonNode> data(EventType type) {
    return events.stream().filter(e -> e.type() == type).map(Emitted::data).toList();
  }

  JsonNode only(EventType type) {
    List<JsonNode> d = data(type);
    if (d.size() != 1) {
      throw new AssertionError("expected one " + type + " event, got " + d.size() + ": " + events);
    }
    return d.getFirst();
  }

  List<String> lines(EventType type) {
    return data(type).stream().map(d -> d.path("line").asString()).toList();
  }
}
