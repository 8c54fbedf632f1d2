package dev.faultline.notifier.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.notifier.Fixtures;
import dev.faultline.notifier.notify.Alert;
import dev.faultline.notifier.notify.AlertAction;
import dev.faultline.notifier.notify.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryStageTest {

  private final Alert alert = new Alert(1, "pd", AlertAction.TRIGGER, Fixtures.seedOutage().get(0));
  private final List<Duration> slept = new ArrayList<>();
  private final List<String> recorded = new ArrayList<>();
  private final RetryStage stage = new RetryStage(DeliveryBackoff.DEFAULTS, slept::add, () -> 0.5);

  private static Outcome answer(int status, Duration retryAfter) {
    Outcome.Kind kind =
        status == 202
            ? Outcome.Kind.DELIVERED
            : status == 400 ? Outcome.Kind.GIVE_UP : Outcome.Kind.RETRYABLE;
    return new Outcome(
        kind, status, "POST /", "", retryAfter, status == 202 ? null : "HTTP " + status);
  }

  private Outcome run(int attemptsSoFar, Outcome... answers) throws InterruptedException {
    Iterator<Outcome> it = List.of(answers).iterator();
    return stage.deliver(
        alert,
        a -> it.next(),
        attemptsSoFar,
        (a, attempt, o, wait) -> recorded.add(attempt + ":" + o.httpStatus() + ":" + wait));
  }

  @Test
  void retriesServerErrorsWithGrowingWaitsUntilDelivered() throws Exception {
    Outcome o = run(0, answer(500, null), answer(503, null), answer(0, null), answer(202, null));
    assertEquals(Outcome.Kind.DELIVERED, o.kind());
    assertEquals(
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), slept);
    assertEquals(List.of("1:500:PT1S", "2:503:PT2S", "3:0:PT4S", "4:202:null"), recorded);
  }

  @Test
  void waitsExactlyWhatRetryAfterAsks() throws Exception {
    run(0, answer(429, Duration.ofSeconds(7)), answer(202, null));
    assertEquals(List.of(Duration.ofSeconds(7)), slept);
  }

  @Test
  void givesUpOnARejectedRequestWithoutWaiting() throws Exception {
    Outcome o = run(0, answer(400, null));
    assertEquals(Outcome.Kind.GIVE_UP, o.kind());
    assertEquals(List.of(), slept);
    assertEquals(List.of("1:400:null"), recorded);
  }

  @Test
  void continuesTheBackOffOfAnEarlierRunAfterARestart() throws Exception {
    run(3, answer(500, null), answer(202, null));
    assertEquals(List.of(Duration.ofSeconds(8)), slept);
    assertEquals(List.of("4:500:PT8S", "5:202:null"), recorded);
  }
}
