using System;

namespace CnnDsl.Runtime.Data
{
    /// <summary>A decoded image in memory: bytes, row after row, the channels of each pixel
    /// together (grey: one byte a pixel; RGB: three).</summary>
    public sealed class StoredImage
    {
        public StoredImage(int channels, int height, int width, byte[] pixels)
        {
            if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), "1 (grey) or 3 (RGB)");
            if ((long)channels * height * width != pixels.LongLength)
            {
                throw new ArgumentException($"{channels}x{height}x{width} needs {(long)channels * height * width} bytes, not {pixels.LongLength}", nameof(pixels));
            }

            Channels = channels;
            Height = height;
            Width = width;
            Pixels = pixels;
        }

        public int Channels { get; }
        public int Height { get; }
        public int Width { get; }

        /// <summary>Height x width x channels bytes (interleaved).</summary>
        public byte[] Pixels { get; }

        public long Bytes => Pixels.LongLength;
    }
}
