package dev.faultline.launcher;

import java.util.concurrent.CountDownLatch;

/** Running services until the process is told to stop. */
final class Services {

  private Services() {}

  /** Prints the banner, then blocks until Ctrl-C, closing the platform on the way out. */
  static int runUntilStopped(Platform platform) throws InterruptedException {
    CountDownLatch stopped = closeOnStop(platform);
    platform.printBanner(System.out);
    stopped.await();
    return 0;
  }

  /** Closes the platform when the process is told to stop; the latch opens once it is closed. */
  static CountDownLatch closeOnStop(Platform platform) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("faultline: stopping...");
                  platform.close();
                  System.out.println("faultline: stopped cleanly.");
                  stopped.countDown();
                },
                "faultline-stop"));
    return stopped;
  }
}
