package dev.faultline.notifier;

import dev.faultline.notifier.notify.OutboundPolicy;
import dev.faultline.storage.StorageConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * A notifier in an OS process of its own, for {@link HaNotifierIT}: started with the test's class
 * path, secrets from its environment ({@code FAULTLINE_SECRET_*}), stopped by closing its stdin or
 * killed outright.
 *
 * <p>Arguments: bootstrap servers, JDBC URL, user, password, topic, group, instance id, lease
 * seconds.
 */
public final class NotifierProcess {

  private NotifierProcess() {}

  public static void main(String[] args) throws Exception {
    NotifierConfig cfg =
        NotifierConfig.of(
                args[0],
                StorageConfig.of(args[1], args[2], args[3]).withPoolSize(3),
                "http://127.0.0.1:8080",
                Clock.systemUTC())
            .withIncidentsTopic(args[4])
            .withGroupId(args[5])
            .withLease(args[6], Duration.ofSeconds(Long.parseLong(args[7])))
            .withOutbound(OutboundPolicy.WITH_LOOPBACK)
            .withHealth("127.0.0.1", 0);
    try (NotifierService service = NotifierService.start(cfg)) {
      System.out.println("READY " + service.healthPort());
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      while (in.readLine() != null) {
        // runs until stdin closes
      }
    }
  }
}
