package dev.faultline.launcher;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ./faultline demo}: everything locally, until Ctrl-C. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start the platform locally: embedded Kafka and PostgreSQL (unless configured elsewhere).")
final class DemoCommand implements Callable<Integer> {

  @Mixin PlatformOptions options;

  @Override
  public Integer call() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    Platform platform = Platform.start(options, true);
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
    platform.printBanner(System.out);
    stopped.await();
    return 0;
  }
}
