package dev.faultline.jobs.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Strings as the hand-written serializers write them: the count of UTF-8 bytes plus one (0 for
 * null) as a variable-length number, then the bytes. For the ASCII names and labels of telemetry
 * that is one copy of the string's own bytes; Flink's {@code StringValue} encoding writes a
 * variable-length number per character, which showed in profiles at 10,000 models.
 */
public final class Utf8 {

  private Utf8() {}

  public static void writeString(String s, DataOutputView out) throws IOException {
    if (s == null) {
      writeCount(0, out);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    writeCount(bytes.length + 1, out);
    out.write(bytes);
  }

  public static String readString(DataInputView in) throws IOException {
    int n = readCount(in) - 1;
    if (n < 0) {
      return null;
    }
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A non-negative number, seven bits a byte, lowest first. */
  public static void writeCount(int n, DataOutputView out) throws IOException {
    while ((n & ~0x7F) != 0) {
      out.writeByte((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    out.writeByte(n);
  }

  public static int readCount(DataInputView in) throws IOException {
    int n = 0;
    for (int shift = 0; ; shift += 7) {
      int b = in.readUnsignedByte();
      n |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return n;
      }
      if (shift >= 28) {
        throw new IOException("a length runs past five bytes");
      }
    }
  }
}
