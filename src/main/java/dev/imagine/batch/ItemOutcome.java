package dev.imagine.batch;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What became of one item of a {@link Batch}, after this run and the runs before it in the same
 * folder.
 *
 * <pre>{@code
 * for (ItemOutcome item : report.items()) {
 *   if (item.status() == ItemOutcome.Status.UNKNOWN) {
 *     System.out.println("#" + item.number() + " may have been billed: " + item.message());
 *   }
 * }
 * }</pre>
 *
 * @param number the item's number, from 1, in the order the batch was given
 * @param prompt the item's prompt
 * @param status where the item stands
 * @param files the images saved for it (empty unless {@link Status#SAVED})
 * @param message why it failed or is unknown, saying what to do; {@code null} when saved
 * @param requestId the server's request id of the last attempt, or {@code null}
 */
public record ItemOutcome(int number, String prompt, Status status, List<Path> files, String message,
    String requestId) {

  public ItemOutcome {
    Objects.requireNonNull(status, "status");
    files = List.copyOf(files);
  }

  /** Where an item stands. */
  public enum Status {
    /** Its images are saved (in this run or an earlier one). */
    SAVED,
    /** It failed in a way worth trying again (refused as transient, or nothing was sent): the next run sends it. */
    FAILED,
    /** The server refused the request itself (a bad field, a content policy): the next run leaves it alone. */
    REJECTED,
    /**
     * The connection was lost after the request went out, so the server may have made and billed
     * the image: the next run leaves it alone unless told to retry unknown items.
     */
    UNKNOWN,
    /** Not sent in this run (the budget was reached, or the run was stopped): the next run sends it. */
    NOT_SENT
  }

  /** Whether running the batch again would send this item (without retrying unknown ones). */
  public boolean sentAgainByNextRun() {
    return status == Status.FAILED || status == Status.NOT_SENT;
  }

  @Override
  public String toString() {
    return "#" + number + " " + status + (files.isEmpty() ? "" : " " + files)
        + (message == null ? "" : ": " + message);
  }
}
