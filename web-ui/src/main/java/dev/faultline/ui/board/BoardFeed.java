package dev.faultline.ui.board;

import dev.faultline.ui.WebUiConfig;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Re-reads the board from storage on a schedule, once for all browsers, and hands each snapshot to
 * the open boards, which push it to their browser.
 */
@Component
public class BoardFeed {

  private static final Logger LOG = LoggerFactory.getLogger(BoardFeed.class);

  private final BoardService board;
  private final List<Consumer<Board>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "faultline-board-feed");
            t.setDaemon(true);
            return t;
          });

  public BoardFeed(BoardService board, WebUiConfig config) {
    this.board = board;
    long ms = config.boardRefresh().toMillis();
    scheduler.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Subscribes; the returned handle unsubscribes. */
  public Runnable subscribe(Consumer<Board> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void tick() {
    if (listeners.isEmpty()) {
      return;
    }
    try {
      Board snapshot = board.snapshot();
      listeners.forEach(l -> l.accept(snapshot));
    } catch (RuntimeException e) {
      // The database may be restarting; the next tick tries again.
      LOG.warn("board refresh failed: {}", e.toString());
    }
  }

  @PreDestroy
  void stop() {
    scheduler.shutdownNow();
  }
}
