package dev.kodo.registry.outbound;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * What an IP address is, as far as the registry's outbound requests care: public, private,
 * loopback, or one of the kinds never reached unless an admin lists them ({@link #special()}). IPv6
 * addresses that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by the IPv4
 * address, which is where a connection to them ends up.
 */
enum AddressKind {
  PUBLIC("public"),
  PRIVATE("private"),
  LOOPBACK("loopback"),
  LINK_LOCAL("link-local"),
  METADATA("cloud metadata"),
  MULTICAST("multicast"),
  UNSPECIFIED("unspecified"),
  RESERVED("reserved");

  private final String label;

  AddressKind(String label) {
    this.label = label;
  }

  /** The kind as the configuration and messages name it. */
  String label() {
    return label;
  }

  /**
   * Kinds reached only through a listed block that lies inside their own range, never by default.
   */
  boolean special() {
    return this == LINK_LOCAL
        || this == METADATA
        || this == MULTICAST
        || this == UNSPECIFIED
        || this == RESERVED;
  }

  /**
   * An address's kind with the range that made it so.
   *
   * @param address the address judged (the IPv4 address an IPv6 one carries, if it does)
   * @param kind its kind
   * @param range the range of that kind it lies in
   */
  record Judged(InetAddress address, AddressKind kind, Cidr range) {}

  private record Range(Cidr cidr, AddressKind kind) {}

  /** First match wins: metadata before link-local, so 169.254.169.254 is named for what it is. */
  private static final List<Range> RANGES =
      List.of(
          range("169.254.169.254/32", METADATA), // AWS, GCP, Azure, OpenStack, Oracle
          range("169.254.170.2/32", METADATA), // AWS ECS task metadata
          range("100.100.100.200/32", METADATA), // Alibaba Cloud
          range("168.63.129.16/32", METADATA), // Azure WireServer
          range("fd00:ec2::254/128", METADATA), // AWS over IPv6
          range("0.0.0.0/8", UNSPECIFIED),
          range("::/128", UNSPECIFIED),
          range("127.0.0.0/8", LOOPBACK),
          range("::1/128", LOOPBACK),
          range("169.254.0.0/16", LINK_LOCAL),
          range("fe80::/10", LINK_LOCAL),
          range("10.0.0.0/8", PRIVATE),
          range("172.16.0.0/12", PRIVATE),
          range("192.168.0.0/16", PRIVATE),
          range("100.64.0.0/10", PRIVATE), // carrier-grade NAT
          range("fc00::/7", PRIVATE), // unique local
          range("fec0::/10", PRIVATE), // site-local (deprecated)
          range("224.0.0.0/4", MULTICAST),
          range("ff00::/8", MULTICAST),
          range("240.0.0.0/4", RESERVED), // with 255.255.255.255
          range("192.0.0.0/24", RESERVED),
          range("192.0.2.0/24", RESERVED),
          range("198.18.0.0/15", RESERVED),
          range("198.51.100.0/24", RESERVED),
          range("203.0.113.0/24", RESERVED),
          range("2001:db8::/32", RESERVED),
          range("2001::/32", RESERVED), // Teredo: carries an obscured IPv4 address
          range("100::/64", RESERVED),
          range("0.0.0.0/0", PUBLIC),
          range("2000::/3", PUBLIC),
          range("::/0", RESERVED));

  private static Range range(String cidr, AddressKind kind) {
    return new Range(Cidr.parse(cidr), kind);
  }

  /** Judges an address. */
  static Judged of(InetAddress address) {
    InetAddress a = carried(address);
    for (Range r : RANGES) {
      if (r.cidr().contains(a)) return new Judged(a, r.kind(), r.cidr());
    }
    throw new IllegalStateException("no range holds " + a); // ::/0 and 0.0.0.0/0 hold every address
  }

  /**
   * The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), or the address
   * itself.
   */
  static InetAddress carried(InetAddress address) {
    if (!(address instanceof Inet6Address)) return address;
    byte[] b = address.getAddress();
    int from = -1;
    if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff)
      from = 12; // ::ffff:a.b.c.d
    else if (zero(b, 0, 12) && !zero(b, 12, 16) && !(zero(b, 12, 15) && b[15] == 1))
      from = 12; // ::a.b.c.d
    else if (b[0] == 0
        && b[1] == 0x64
        && (b[2] & 0xff) == 0xff
        && (b[3] & 0xff) == 0x9b
        && zero(b, 4, 12)) from = 12; // 64:ff9b::/96
    else if (b[0] == 0x20 && b[1] == 0x02) from = 2; // 2002::/16
    if (from < 0) return address;
    try {
      return InetAddress.getByAddress(new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always an address
    }
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) return false;
    }
    return true;
  }
}
