using System;
using System.Globalization;
using System.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace CnnDsl.Runtime.Data
{
    /// <summary>
    /// A made-up RGB image folder for tests and benchmarks: one coloured shape per image
    /// (circle, square or triangle: the class), of random size, place and colour, on a noisy
    /// background of another random colour. The same seed gives the same files.
    /// </summary>
    public static class ShapeImages
    {
        /// <summary>The classes, in folder order.</summary>
        public static readonly string[] Classes = { "circle", "square", "triangle" };

        /// <summary>Writes <c>FOLDER/PART/CLASS/NNNNN.png</c> for each part with its count per class.</summary>
        public static void Write(string folder, int size, ulong seed, params (string Part, int PerClass)[] parts)
        {
            if (size < 8 || size > 4096) throw new ArgumentOutOfRangeException(nameof(size), "images of 8 to 4096 pixels");
            var encoder = new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8, ChunkFilter = PngChunkFilter.ExcludeAll };
            for (var p = 0; p < parts.Length; p++)
            {
                var (part, perClass) = parts[p];
                for (var c = 0; c < Classes.Length; c++)
                {
                    var directory = Path.Combine(folder, part, Classes[c]);
                    Directory.CreateDirectory(directory);
                    for (var i = 0; i < perClass; i++)
                    {
                        var random = new SplitMix64(SplitMix64.Mix(SplitMix64.Mix(seed, (ulong)p), (ulong)(c * 1_000_003 + i)));
                        using var image = Image.LoadPixelData<Rgb24>(Draw(c, size, random), size, size);
                        image.SaveAsPng(Path.Combine(directory, (i * Classes.Length + c).ToString("D5", CultureInfo.InvariantCulture) + ".png"), encoder);
                    }
                }
            }
        }

        /// <summary>One image of class <paramref name="shape"/>, size x size x 3 bytes.</summary>
        public static byte[] Draw(int shape, int size, SplitMix64 random)
        {
            var pixels = new byte[size * size * 3];
            var background = Colour(random, 20, 120);
            var ink = Colour(random, 130, 255);
            for (var i = 0; i < size * size; i++)
            {
                for (var k = 0; k < 3; k++) pixels[3 * i + k] = (byte)Math.Clamp(background[k] + random.Below(31) - 15, 0, 255);
            }

            var radius = size * random.Uniform(0.18, 0.32);
            var cx = random.Uniform(radius, size - radius);
            var cy = random.Uniform(radius, size - radius);
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                    var inside = shape switch
                    {
                        0 => dx * dx + dy * dy <= radius * radius,
                        1 => Math.Abs(dx) <= radius * 0.85 && Math.Abs(dy) <= radius * 0.85,
                        _ => dy <= radius * 0.5 && dy >= -radius && Math.Abs(dx) <= (dy + radius) / 1.5 * 0.866 * 1.15,
                    };
                    if (!inside) continue;
                    var at = 3 * (y * size + x);
                    pixels[at] = (byte)ink[0];
                    pixels[at + 1] = (byte)ink[1];
                    pixels[at + 2] = (byte)ink[2];
                }
            }

            return pixels;
        }

        private static int[] Colour(SplitMix64 random, int low, int high) =>
            new[] { low + random.Below(high - low + 1), low + random.Below(high - low + 1), low + random.Below(high - low + 1) };
    }
}
