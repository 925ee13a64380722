package dev.imagine.internal.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagine.batch.ItemOutcome.Status;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each item stands, replayed from the journal's events in order: the last outcome wins,
 * and an item sent with no outcome after it was cut off by a stopped run.
 */
final class JournalState {
  /** What the journal knows of one item. {@code status} null: queued, never sent. */
  static final class Entry {
    final int item;
    String key;
    String prompt;
    Status status;
    boolean sentWithoutOutcome;
    List<String> files = List.of();
    String message;
    String requestId;
    String batchId;

    Entry(int item) {
      this.item = item;
    }
  }

  /** A provider batch the journal records, with the items it holds. */
  record ProviderBatch(String id, String inputFileId, List<Integer> items, boolean finished) {}

  final Map<Integer, Entry> items = new TreeMap<>();
  final Map<String, ProviderBatch> batches = new java.util.LinkedHashMap<>();
  BigDecimal spent = BigDecimal.ZERO;

  static JournalState replay(List<JsonNode> events) {
    JournalState s = new JournalState();
    for (JsonNode e : events) {
      s.apply(e);
    }
    return s;
  }

  void apply(JsonNode e) {
    String type = e.path("event").asText();
    if (type.equals("batch_created")) {
      List<Integer> members = new ArrayList<>();
      e.path("items").forEach(n -> members.add(n.asInt()));
      batches.put(e.path("batch_id").asText(), new ProviderBatch(e.path("batch_id").asText(),
          e.path("input_file_id").asText(null), members, false));
      members.forEach(i -> {
        Entry entry = entry(i);
        entry.batchId = e.path("batch_id").asText();
        entry.sentWithoutOutcome = true;
      });
      return;
    }
    if (type.equals("batch_finished")) {
      ProviderBatch b = batches.get(e.path("batch_id").asText());
      if (b != null) {
        batches.put(b.id(), new ProviderBatch(b.id(), b.inputFileId(), b.items(), true));
      }
      return;
    }
    if (!e.has("item")) {
      return; // run headers and other notes
    }
    Entry entry = entry(e.path("item").asInt());
    switch (type) {
      case "item" -> {
        entry.key = e.path("key").asText(null);
        entry.prompt = e.path("prompt").asText(null);
      }
      case "sent" -> {
        entry.sentWithoutOutcome = true;
        entry.message = null;
      }
      case "saved" -> {
        List<String> files = new ArrayList<>();
        e.path("files").forEach(f -> files.add(f.asText()));
        outcome(entry, Status.SAVED, e);
        entry.files = List.copyOf(files);
        if (e.hasNonNull("cost")) {
          spent = spent.add(new BigDecimal(e.path("cost").asText()));
        }
      }
      case "failed" -> outcome(entry, e.path("retry").asBoolean(true) ? Status.FAILED : Status.REJECTED, e);
      case "unknown" -> outcome(entry, Status.UNKNOWN, e);
      default -> { }
    }
  }

  private static void outcome(Entry entry, Status status, JsonNode e) {
    entry.status = status;
    entry.sentWithoutOutcome = false;
    entry.batchId = null;
    entry.message = e.path("message").asText(null);
    entry.requestId = e.path("request_id").asText(null);
  }

  private Entry entry(int item) {
    return items.computeIfAbsent(item, Entry::new);
  }
}
