package dev.chargebackcdc.flink;

import java.io.ByteArrayInputStream;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/** A Parquet file held in memory, for reading back what a writer produced. */
final class BytesInputFile implements InputFile {
  private final byte[] data;

  BytesInputFile(byte[] data) {
    this.data = data;
  }

  @Override
  public long getLength() {
    return data.length;
  }

  @Override
  public SeekableInputStream newStream() {
    Seekable in = new Seekable(data);
    return new DelegatingSeekableInputStream(in) {
      @Override
      public long getPos() {
        return in.position();
      }

      @Override
      public void seek(long newPos) {
        in.seekTo(newPos);
      }
    };
  }

  private static final class Seekable extends ByteArrayInputStream {
    Seekable(byte[] data) {
      super(data);
    }

    long position() {
      return pos;
    }

    void seekTo(long p) {
      pos = (int) p;
    }
  }
}
