package dev.kodo.cluster;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.KodoException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact binary form in which a batch of emitted events crosses the cluster (worker to node),
 * with the id of the member that sent it. Events travel without {@code seq}: the node assigns it
 * when it persists them.
 */
final class EventCodec {
  private static final int VERSION = 2;

  /** A decoded batch: who sent it, and its events in emission order. */
  record Batch(String sender, List<Event> events) {}

  private EventCodec() {}

  static byte[] encode(String sender, List<Event> events) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + events.size() * 96);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeUTF(sender);
      out.writeInt(events.size());
      for (Event e : events) {
        // The node derives the kind from the type: fail here, where the mistake is made, rather
        // than on the node, which could only drop the batch.
        EventType.require(e.type());
        out.writeUTF(e.fid());
        out.writeLong(e.ts().toEpochMilli());
        out.writeUTF(e.type());
        byte[] data = e.data().getBytes(StandardCharsets.UTF_8);
        out.writeInt(data.length);
        out.write(data);
      }
    } catch (IOException e) {
      throw new KodoException("cannot encode event batch", e);
    }
    return bytes.toByteArray();
  }

  /**
   * The events of a batch as a node receives them when they do not cross the cluster (from a worker
   * in its own JVM, {@link EventChannels}): checked as {@link #encode} checks them, and in the form
   * {@link #decode} gives — no {@code seq}, the time to the millisecond, the kind of the type.
   */
  static List<Event> asReceived(List<Event> events) {
    List<Event> received = new ArrayList<>(events.size());
    for (Event e : events) {
      received.add(received(e.fid(), e.ts().toEpochMilli(), e.type(), e.data()));
    }
    return received;
  }

  /** An event as a node receives it, either way: no seq yet, the kind derived from the type. */
  private static Event received(String fid, long millis, String type, String data) {
    EventType t = EventType.require(type);
    return new Event(fid, 0, Instant.ofEpochMilli(millis), t.kind(), type, data);
  }

  static Batch decode(byte[] batch) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(batch))) {
      int version = in.readByte();
      if (version != VERSION) {
        throw new KodoException(
            "event batch of version "
                + version
                + " cannot be read by this node (version "
                + VERSION
                + "); run the same Kodo release on every member");
      }
      String sender = in.readUTF();
      int n = in.readInt();
      if (n < 0 || n > in.available()) {
        throw new IOException("the batch claims " + n + " events in " + batch.length + " bytes");
      }
      List<Event> events = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String fid = in.readUTF();
        long millis = in.readLong();
        String type = in.readUTF();
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
          throw new IOException(
              "event "
                  + (i + 1)
                  + " of "
                  + n
                  + " claims "
                  + length
                  + " bytes of data; "
                  + in.available()
                  + " are left");
        }
        byte[] data = new byte[length];
        in.readFully(data);
        events.add(received(fid, millis, type, new String(data, StandardCharsets.UTF_8)));
      }
      return new Batch(sender, events);
    } catch (IOException e) {
      throw new KodoException("cannot decode event batch: " + e, e);
    }
  }
}
