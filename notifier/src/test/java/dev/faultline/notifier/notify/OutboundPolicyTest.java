package dev.faultline.notifier.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutboundPolicyTest {

  @ParameterizedTest(name = "{0} is refused as {1}")
  @CsvSource({
    "http://127.0.0.1:8080/x, loopback",
    "http://localhost/x, loopback",
    "http://[::1]/x, loopback",
    "http://169.254.169.254/latest/meta-data/, link-local",
    "http://[fe80::1]/x, link-local",
    "http://10.1.2.3/x, private",
    "http://172.16.0.1/x, private",
    "http://192.168.1.1/x, private",
    "http://100.64.0.1/x, carrier-grade NAT",
    "http://[fd00:ec2::254]/x, unique-local",
    "http://0.0.0.0/x, unspecified",
    "http://[::ffff:127.0.0.1]/x, loopback",
  })
  void refusesNonPublicTargetsByDefault(String url, String kind) {
    Optional<String> r = OutboundPolicy.PUBLIC_ONLY.refusal(url);
    assertTrue(r.isPresent(), url);
    assertTrue(r.get().contains(kind), r.get());
  }

  @ParameterizedTest
  @CsvSource({"https://93.184.215.14/v2/enqueue", "https://[2606:4700::1111]/hook"})
  void letsPublicAddressesThrough(String url) {
    assertEquals(Optional.empty(), OutboundPolicy.PUBLIC_ONLY.refusal(url));
  }

  @ParameterizedTest
  @CsvSource({"file:///etc/passwd", "gopher://127.0.0.1/", "ftp://93.184.215.14/"})
  void refusesOtherSchemes(String url) {
    assertEquals(Optional.of("target must be http(s)"), OutboundPolicy.PUBLIC_ONLY.refusal(url));
  }

  @ParameterizedTest
  @CsvSource({"http://10.1.2.3/x, true", "http://10.1.3.3/x, false", "http://127.0.0.1/, false"})
  void allowsOnlyTheConfiguredRanges(String url, boolean allowed) {
    OutboundPolicy p = OutboundPolicy.allowing("10.1.2.0/24");
    assertEquals(allowed, p.refusal(url).isEmpty(), url);
  }
}
