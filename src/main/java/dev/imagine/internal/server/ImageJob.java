package dev.imagine.internal.server;

import dev.imagine.internal.rules.ImageParams;
import java.util.List;

/**
 * One images request as read from the wire, before defaults: the fields the model rules check,
 * the end-user id, and for edits and variations the uploaded files.
 *
 * @param images the {@code image} or {@code image[]} file parts, in order; empty for generations
 * @param mask the {@code mask} file part, or null
 */
record ImageJob(ImageParams params, String user, List<Upload> images, Upload mask) {

  /** A file part of a multipart request. */
  record Upload(String field, String filename, String contentType, byte[] bytes) {}
}
