using System;
using System.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CnnDsl.Runtime.Data
{
    /// <summary>How images are brought to a common form when they are read, before any random
    /// transform: torchvision's <c>Resize(S)</c> (the shorter side to S pixels, bilinear with
    /// antialiasing) then <c>Pad(P)</c> (P pixels of 0 on every side).</summary>
    public sealed record ImagePreprocessing(int? Resize = null, int Pad = 0)
    {
        /// <summary>The size after preprocessing of an image of height x width.</summary>
        public (int Height, int Width) SizeOf(int height, int width)
        {
            if (Resize is { } s)
            {
                (height, width) = height <= width
                    ? (s, (int)((long)s * width / height))
                    : ((int)((long)s * height / width), s);
            }

            return (height + 2 * Pad, width + 2 * Pad);
        }

        public string? Problem()
        {
            if (Resize is { } s && (s < 1 || s > 8192)) return $"--resize must be between 1 and 8192 pixels, not {s}";
            if (Pad < 0 || Pad > 1024) return $"--pad must be between 0 and 1024 pixels, not {Pad}";
            return null;
        }
    }

    /// <summary>
    /// Decodes one image file (PNG, JPEG, BMP, GIF: its first frame, WebP) with SixLabors.ImageSharp,
    /// converts it to grey (luminance, ITU-R BT.709 weights, ImageSharp's conversion) or RGB (grey
    /// repeated), and applies <see cref="ImagePreprocessing"/>.
    /// </summary>
    public static class ImageDecoder
    {
        /// <summary>The largest image accepted, in pixels (a bound on memory: 64 megapixels is 192 MB as RGB).</summary>
        public const long MaxPixels = 64L * 1024 * 1024;

        /// <summary>Decodes and preprocesses; null and the reason if the file cannot be decoded.</summary>
        public static StoredImage? TryLoad(string path, int channels, ImagePreprocessing preprocessing, out string? problem)
        {
            problem = null;
            try
            {
                var info = Image.Identify(path);
                if (info is null)
                {
                    problem = "not an image in a format that can be read (PNG, JPEG, BMP, GIF, WebP)";
                    return null;
                }

                if ((long)info.Width * info.Height > MaxPixels)
                {
                    problem = $"{info.Width}x{info.Height} is larger than the {MaxPixels / (1024 * 1024)} megapixels accepted";
                    return null;
                }

                return channels == 1 ? Load<L8>(path, 1, preprocessing) : Load<Rgb24>(path, 3, preprocessing);
            }
            catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or ImageFormatException or NotSupportedException or IOException or UnauthorizedAccessException or ArgumentException or IndexOutOfRangeException or InvalidOperationException)
            {
                problem = e.Message.Length > 200 ? e.Message.Substring(0, 200) + "..." : e.Message;
                return null;
            }
        }

        /// <summary>An image of any pixel type as interleaved bytes.</summary>
        public static StoredImage ToStored<TPixel>(Image<TPixel> image, int channels)
            where TPixel : unmanaged, IPixel<TPixel>
        {
            var pixels = new byte[(long)image.Width * image.Height * channels];
            image.CopyPixelDataTo(pixels);
            return new StoredImage(channels, image.Height, image.Width, pixels);
        }

        private static StoredImage Load<TPixel>(string path, int channels, ImagePreprocessing preprocessing)
            where TPixel : unmanaged, IPixel<TPixel>
        {
            using var image = Image.Load<TPixel>(path);
            if (preprocessing.Resize is not null)
            {
                var (height, width) = (preprocessing with { Pad = 0 }).SizeOf(image.Height, image.Width);
                image.Mutate(x => x.Resize(width, height, KnownResamplers.Triangle));
            }

            var stored = ToStored(image, channels);
            return preprocessing.Pad == 0 ? stored : Pad(stored, preprocessing.Pad);
        }

        /// <summary>Adds <paramref name="pad"/> pixels of 0 on every side.</summary>
        public static StoredImage Pad(StoredImage image, int pad)
        {
            var (c, h, w) = (image.Channels, image.Height, image.Width);
            var (ph, pw) = (h + 2 * pad, w + 2 * pad);
            var pixels = new byte[(long)ph * pw * c];
            for (var y = 0; y < h; y++)
            {
                Array.Copy(image.Pixels, (long)y * w * c, pixels, ((long)(y + pad) * pw + pad) * c, (long)w * c);
            }

            return new StoredImage(c, ph, pw, pixels);
        }
    }
}
