package dev.kodo.registry.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A block of IP addresses ({@code 10.0.0.0/8}, {@code fe80::/10}, or one address). Immutable.
 *
 * @param network the block's first address
 * @param prefix how many leading bits every address of the block shares with {@code network}
 */
record Cidr(InetAddress network, int prefix) {
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

  /**
   * Reads {@code 192.168.0.0/16}, {@code fd00::/8} or a single address; never asks DNS.
   *
   * @return null if {@code text} is not an IP address or block
   */
  static Cidr parse(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    String address = slash < 0 ? t : t.substring(0, slash);
    InetAddress a = literal(address);
    if (a == null) return null;
    int bits = a.getAddress().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = t.substring(slash + 1);
      if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bits) return null;
      prefix = Integer.parseInt(p);
    }
    return new Cidr(a, prefix);
  }

  /** A literal IPv4 (dotted quad) or IPv6 address, or null; never a DNS lookup. */
  static InetAddress literal(String s) {
    String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    if (!IPV4.matcher(t).matches() && !(t.contains(":") && t.matches("[0-9A-Fa-f:.]+")))
      return null;
    try {
      return InetAddress.getByName(t); // a literal: no lookup
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Whether {@code address} lies in this block (an IPv4 address never lies in an IPv6 block). */
  boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    byte[] n = network.getAddress();
    if (a.length != n.length) return false;
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != n[i]) return false;
    }
    int rest = prefix % 8;
    if (rest == 0) return true;
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[full] & mask) == (n[full] & mask);
  }

  /** Whether {@code other} lies wholly in this block. */
  boolean contains(Cidr other) {
    return other.prefix >= prefix && contains(other.network);
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefix;
  }
}
