package dev.kansoku.aws.xrayreceiver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/** A plain UDP sender for tests, and free loopback ports. */
final class Udp implements AutoCloseable {
  static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";

  private final DatagramSocket socket;
  private final int port;

  Udp(int port) throws IOException {
    this.socket = new DatagramSocket();
    this.port = port;
  }

  void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.UTF_8));
  }

  void send(byte[] data) throws IOException {
    socket.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
  }

  /** A UDP port free at the moment of asking, on loopback. */
  static int freePort() {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
