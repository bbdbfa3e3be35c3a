package io.promgate.routing.config;

/**
 * A listen or dial address {@code host:port}. The host may be a name, an IPv4 address or a bracketed IPv6
 * address; an empty host ({@code :9095}) means all interfaces, as in Prometheus' {@code --web.listen-address}.
 */
public record HostPort(String host, int port) {
  public HostPort {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  public static HostPort parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty address (expected host:port)");
    }
    int colon = text.lastIndexOf(':');
    if (colon < 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("not a host:port address: \"" + text + "\"");
    }
    String host = text.substring(0, colon);
    String portText = text.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("IPv6 host must be bracketed in \"" + text + "\"");
    }
    if (!host.isEmpty() && !host.matches("[A-Za-z0-9.\\-_:%]+")) {
      throw new IllegalArgumentException("bad host in address \"" + text + "\"");
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in address \"" + text + "\"");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range in address \"" + text + "\"");
    }
    return new HostPort(host.isEmpty() ? "0.0.0.0" : host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
