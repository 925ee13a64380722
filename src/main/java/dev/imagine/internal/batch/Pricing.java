package dev.imagine.internal.batch;

import dev.imagine.ImageRequest;
import dev.imagine.ImagesClient;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** What a batch's requests cost by estimate: the one place the batch asks the client's price table. */
public final class Pricing {
  private Pricing() {}

  /** The estimate of one request in US dollars, at the batch price when {@code batchPrice}; empty when unknown. */
  public static Optional<BigDecimal> estimate(ImagesClient client, ImageRequest request, boolean batchPrice) {
    return batchPrice ? client.estimateBatch(request) : client.estimate(request);
  }

  /** The sum of the estimates, or empty when any one is unknown. */
  public static Optional<BigDecimal> total(ImagesClient client, List<ImageRequest> requests, boolean batchPrice) {
    BigDecimal sum = BigDecimal.ZERO;
    for (ImageRequest r : requests) {
      Optional<BigDecimal> one = estimate(client, r, batchPrice);
      if (one.isEmpty()) {
        return Optional.empty();
      }
      sum = sum.add(one.get());
    }
    return Optional.of(sum);
  }
}
