package dev.faultline.notifier.notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which addresses a receiver may be sent to. By default only public ones: a receiver's target on
 * loopback, link-local (which holds the cloud metadata service, 169.254.169.254), private,
 * carrier-grade NAT, unique-local, multicast or the unspecified address is refused before anything
 * is sent, so a receiver cannot be used to probe internal services. Ranges can be allowed in the
 * configuration (a PagerDuty relay inside the network, or loopback in tests). Every address a host
 * name resolves to must pass.
 */
public final class OutboundPolicy {

  /** Public addresses only. */
  public static final OutboundPolicy PUBLIC_ONLY = new OutboundPolicy(List.of());

  /** Public addresses and loopback (tests, a relay on the same host). */
  public static final OutboundPolicy WITH_LOOPBACK = allowing("127.0.0.0/8", "::1/128");

  private final List<Cidr> allowed;

  private OutboundPolicy(List<Cidr> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /** Public addresses and the given CIDR ranges ({@code 127.0.0.0/8}, {@code 10.1.2.0/24}). */
  public static OutboundPolicy allowing(String... cidrs) {
    List<Cidr> out = new ArrayList<>();
    for (String c : cidrs) {
      out.add(Cidr.parse(c));
    }
    return new OutboundPolicy(out);
  }

  /** Why {@code url} may not be called, or empty when it may. Resolves the host name. */
  public Optional<String> refusal(String url) {
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      return Optional.of("target is not a URL");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of("target must be http(s)");
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      return Optional.of("target has no host");
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(u.getHost());
    } catch (UnknownHostException e) {
      return Optional.of("target host " + u.getHost() + " does not resolve");
    }
    for (InetAddress a : addresses) {
      Optional<String> kind = restrictedKind(a);
      if (kind.isPresent() && allowed.stream().noneMatch(c -> c.contains(a))) {
        return Optional.of(
            "target refused: "
                + u.getHost()
                + " is a "
                + kind.get()
                + " address (allow its range in the notifier's outbound configuration)");
      }
    }
    return Optional.empty();
  }

  /** The kind of non-public address {@code a} is, or empty for a public one. */
  static Optional<String> restrictedKind(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return Optional.of("loopback");
    }
    if (a.isAnyLocalAddress()) {
      return Optional.of("unspecified");
    }
    if (a.isLinkLocalAddress()) {
      return Optional.of("link-local (cloud metadata)");
    }
    if (a.isSiteLocalAddress()) {
      return Optional.of("private");
    }
    if (a.isMulticastAddress()) {
      return Optional.of("multicast");
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 100 && second >= 64 && second < 128) {
        return Optional.of("carrier-grade NAT");
      }
      if (first == 0) {
        return Optional.of("unspecified");
      }
    }
    if (a instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return Optional.of("unique-local (private)");
      }
      if (isMappedV4(b)) {
        try {
          byte[] v4 = {b[12], b[13], b[14], b[15]};
          return restrictedKind(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
          return Optional.of("unreadable");
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isMappedV4(byte[] b) {
    for (int k = 0; k < 10; k++) {
      if (b[k] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }

  /** An address range. */
  record Cidr(byte[] network, int bits) {
    static Cidr parse(String s) {
      int slash = s.indexOf('/');
      String host = slash < 0 ? s : s.substring(0, slash);
      try {
        byte[] net = InetAddress.getByName(host).getAddress();
        int bits = slash < 0 ? net.length * 8 : Integer.parseInt(s.substring(slash + 1));
        if (bits < 0 || bits > net.length * 8) {
          throw new IllegalArgumentException("bad prefix length in " + s);
        }
        return new Cidr(net, bits);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException("not a CIDR range: " + s, e);
      }
    }

    boolean contains(InetAddress a) {
      byte[] b = a.getAddress();
      if (b.length != network.length) {
        return false;
      }
      for (int k = 0; k < bits; k++) {
        int mask = 0x80 >> (k % 8);
        if ((b[k / 8] & mask) != (network[k / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
