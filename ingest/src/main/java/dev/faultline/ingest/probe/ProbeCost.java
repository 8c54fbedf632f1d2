package dev.faultline.ingest.probe;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * What one probe costs, in the currency of the configured prices (the budget is in the same one).
 * Either stated per probe, or worked out from the request the prober sends: input tokens are at
 * most the prompt's UTF-8 bytes (a token of a byte-pair tokenizer covers at least one byte) plus
 * {@link #FRAMING_TOKENS} for the chat framing the APIs bill as input (role and turn markers);
 * output tokens are at most {@link #MAX_TOKENS}, the request's {@code max_tokens}. So the worked
 * out cost is an upper bound, never an under-estimate.
 *
 * @param perProbe the cost of one probe, exact (decimal)
 * @param how how it was worked out ({@code stated}, or the tokens and prices), for {@code
 *     --check-config}
 */
public record ProbeCost(BigDecimal perProbe, String how) {

  /** The {@code max_tokens} of every probe request. */
  public static final int MAX_TOKENS = 1;

  /** Input tokens allowed for the message framing around the prompt. */
  public static final int FRAMING_TOKENS = 16;

  /** Input tokens of a probe at most: the prompt's bytes plus the framing. */
  public static final int INPUT_TOKENS =
      SyntheticProber.PROMPT.getBytes(StandardCharsets.UTF_8).length + FRAMING_TOKENS;

  public ProbeCost {
    if (perProbe.signum() < 0) {
      throw new IllegalArgumentException("a probe cannot cost less than nothing");
    }
  }

  /** A cost stated per probe. */
  public static ProbeCost stated(BigDecimal perProbe) {
    return new ProbeCost(perProbe, "stated");
  }

  /** The cost from prices per million input and output tokens. */
  public static ProbeCost fromPrices(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
    BigDecimal cost =
        inputPerMillion
            .multiply(BigDecimal.valueOf(INPUT_TOKENS))
            .add(outputPerMillion.multiply(BigDecimal.valueOf(MAX_TOKENS)))
            .movePointLeft(6);
    return new ProbeCost(
        cost,
        INPUT_TOKENS
            + " input tokens at "
            + inputPerMillion.toPlainString()
            + "/M + "
            + MAX_TOKENS
            + " output token at "
            + outputPerMillion.toPlainString()
            + "/M");
  }
}
