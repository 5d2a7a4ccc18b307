using System;

namespace CnnDsl.Runtime.Data
{
    /// <summary>
    /// torchvision's <c>ColorJitter</c> on 8-bit images, as it works on PIL images: the four
    /// adjustments in a random order, each with a random factor. Brightness blends with black,
    /// contrast with a grey image of the mean luminance, saturation with the image's own grey
    /// version (PIL's <c>ImageEnhance</c>); hue shifts the H channel of HSV by
    /// <c>hue * 255</c> steps with wrap-around. Blends are computed in floating point and
    /// rounded to the nearest byte. Grey images take brightness and contrast only.
    /// </summary>
    /// <remarks>Written here rather than taken from ImageSharp: its contrast filter pivots on
    /// mid-grey rather than the image's mean, and its hue filter is a colour-matrix rotation,
    /// not an HSV shift.</remarks>
    public static class ColorJitter
    {
        /// <summary>Changes <paramref name="image"/>'s bytes in place.</summary>
        public static void Apply(StoredImage image, Augmentation augmentation, SplitMix64 random)
        {
            var order = new[] { 0, 1, 2, 3 };
            random.Shuffle(order);
            var brightness = Factor(augmentation.Brightness, random);
            var contrast = Factor(augmentation.Contrast, random);
            var saturation = Factor(augmentation.Saturation, random);
            var hue = augmentation.Hue > 0 ? random.Uniform(-augmentation.Hue, augmentation.Hue) : 0;
            foreach (var step in order)
            {
                switch (step)
                {
                    case 0 when augmentation.Brightness > 0:
                        Blend(image.Pixels, brightness, _ => 0);
                        break;
                    case 1 when augmentation.Contrast > 0:
                        var mean = MeanLuminance(image);
                        Blend(image.Pixels, contrast, _ => mean);
                        break;
                    case 2 when augmentation.Saturation > 0 && image.Channels == 3:
                        var grey = GreyVersion(image);
                        Blend(image.Pixels, saturation, i => grey[i / 3]);
                        break;
                    case 3 when augmentation.Hue > 0 && image.Channels == 3:
                        ShiftHue(image.Pixels, hue);
                        break;
                }
            }
        }

        /// <summary>A factor drawn from [max(0, 1 - v), 1 + v]; 1 when v is 0.</summary>
        private static double Factor(double v, SplitMix64 random) => v > 0 ? random.Uniform(Math.Max(0, 1 - v), 1 + v) : 1;

        /// <summary>pixel = degenerate + factor (pixel - degenerate), clipped to [0, 255].</summary>
        private static void Blend(byte[] pixels, double factor, Func<int, double> degenerate)
        {
            for (var i = 0; i < pixels.Length; i++)
            {
                var d = degenerate(i);
                pixels[i] = ToByte(d + factor * (pixels[i] - d));
            }
        }

        /// <summary>PIL's luminance of an RGB pixel: (299 R + 587 G + 114 B) / 1000, rounded.</summary>
        private static byte Luminance(byte r, byte g, byte b) => (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);

        /// <summary>The mean luminance, rounded to a whole grey level as PIL's contrast does.</summary>
        private static double MeanLuminance(StoredImage image)
        {
            long sum = 0;
            var p = image.Pixels;
            if (image.Channels == 1)
            {
                foreach (var v in p) sum += v;
            }
            else
            {
                for (var i = 0; i < p.Length; i += 3) sum += Luminance(p[i], p[i + 1], p[i + 2]);
            }

            var count = (long)image.Height * image.Width;
            return Math.Floor((double)sum / count + 0.5);
        }

        private static byte[] GreyVersion(StoredImage image)
        {
            var p = image.Pixels;
            var grey = new byte[p.Length / 3];
            for (var i = 0; i < grey.Length; i++) grey[i] = Luminance(p[3 * i], p[3 * i + 1], p[3 * i + 2]);
            return grey;
        }

        /// <summary>Shifts hue by <paramref name="hue"/> of a turn: H (0-255) + (byte)(hue * 255), wrapping.</summary>
        private static void ShiftHue(byte[] pixels, double hue)
        {
            var shift = (int)(hue * 255);
            for (var i = 0; i < pixels.Length; i += 3)
            {
                var (h, s, v) = ToHsv(pixels[i], pixels[i + 1], pixels[i + 2]);
                var (r, g, b) = ToRgb((byte)((h + shift) & 0xFF), s, v);
                pixels[i] = r;
                pixels[i + 1] = g;
                pixels[i + 2] = b;
            }
        }

        /// <summary>RGB to HSV with every channel in 0-255 (PIL's "HSV" mode).</summary>
        private static (byte H, byte S, byte V) ToHsv(byte r, byte g, byte b)
        {
            var max = Math.Max(r, Math.Max(g, b));
            var min = Math.Min(r, Math.Min(g, b));
            if (max == min) return (0, 0, max);
            double range = max - min;
            var s = range / max;
            double rc = (max - r) / range, gc = (max - g) / range, bc = (max - b) / range;
            var h = r == max ? bc - gc : g == max ? 2.0 + rc - bc : 4.0 + gc - rc;
            h = h / 6.0 % 1.0;
            if (h < 0) h += 1;
            return (ToByte(h * 255), ToByte(s * 255), max);
        }

        private static (byte R, byte G, byte B) ToRgb(byte hByte, byte sByte, byte v)
        {
            if (sByte == 0) return (v, v, v);
            var h = hByte / 255.0;
            var s = sByte / 255.0;
            var sector = (int)(h * 6.0);
            var f = h * 6.0 - sector;
            var p = ToByte(v * (1 - s));
            var q = ToByte(v * (1 - s * f));
            var t = ToByte(v * (1 - s * (1 - f)));
            return (sector % 6) switch
            {
                0 => (v, t, p),
                1 => (q, v, p),
                2 => (p, v, t),
                3 => (p, q, v),
                4 => (t, p, v),
                _ => (v, p, q),
            };
        }

        private static byte ToByte(double value) => value <= 0 ? (byte)0 : value >= 255 ? (byte)255 : (byte)Math.Round(value, MidpointRounding.AwayFromZero);
    }
}
