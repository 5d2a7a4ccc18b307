using System;
using System.Globalization;
using System.IO;
using System.Linq;
using CnnDsl.Dsl.Layers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using TorchSharp;

namespace CnnDsl.Runtime.Prediction
{
    /// <summary>How an image file becomes a model's input, as torchvision's ImageNet evaluation
    /// transform does it: resize so that the shorter side is <see cref="Resize"/> pixels (bilinear,
    /// antialiased when shrinking), crop the centre to the model's H x W, scale to [0, 1], and
    /// normalise each channel with <see cref="Mean"/> and <see cref="Std"/>. For a 3x224x224 model:
    /// resize 256, crop 224, ImageNet's mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225).
    /// One-channel models get the image's luma (ITU-R 601: 0.299 R + 0.587 G + 0.114 B) and no
    /// normalisation.</summary>
    public sealed record ImagePreprocessing(int Channels, int Height, int Width, int Resize, double[] Mean, double[] Std)
    {
        /// <summary>Largest image decoded, in pixels: a 100-megapixel image is 300 MB as RGB.</summary>
        public const long MaxPixels = 100_000_000;

        private static readonly double[] ImageNetMean = { 0.485, 0.456, 0.406 };
        private static readonly double[] ImageNetStd = { 0.229, 0.224, 0.225 };

        /// <summary>The default for a model's declared input (C x H x W): torchvision's 256/224
        /// ratio for the resize, ImageNet's statistics for three channels.</summary>
        /// <exception cref="ArgumentException">The input is not 1 or 3 channels of H x W.</exception>
        public static ImagePreprocessing For(Shape input, int? resize = null)
        {
            if (!input.IsImage || (input.Channels != 1 && input.Channels != 3))
            {
                throw new ArgumentException($"an image becomes a 1xHxW or 3xHxW input, and this model takes {input}");
            }

            var height = checked((int)input.Dimensions[1]);
            var width = checked((int)input.Dimensions[2]);
            var shorter = Math.Min(height, width);
            var side = resize ?? (int)Math.Round(shorter * 256.0 / 224.0, MidpointRounding.AwayFromZero);
            if (side < shorter) throw new ArgumentException($"--resize {side} is smaller than the {height}x{width} crop");
            return input.Channels == 3
                ? new ImagePreprocessing(3, height, width, side, ImageNetMean, ImageNetStd)
                : new ImagePreprocessing(1, height, width, side, new[] { 0.0 }, new[] { 1.0 });
        }

        /// <summary>"resize 256, centre crop 224x224, mean 0.485,0.456,0.406 std 0.229,0.224,0.225".</summary>
        public string Describe()
        {
            var text = $"resize {Resize}, centre crop {Height}x{Width}, scale to [0, 1]";
            var normalised = Mean.All(m => m == 0) && Std.All(d => d == 1) ? "" : $", mean {List(Mean)}, std {List(Std)}";
            return (Channels == 1 ? "luma, " : "") + text + normalised;
        }

        /// <summary>Decodes an image file (JPEG, PNG, BMP, GIF, TGA, ...) into a 1 x C x H x W float32 tensor.</summary>
        /// <exception cref="InvalidDataException">Not an image, a damaged one, or larger than <see cref="MaxPixels"/>.</exception>
        public torch.Tensor Load(string path)
        {
            var info = Image.Identify(path) ?? throw new InvalidDataException($"{path}: not an image in a format that can be read (JPEG, PNG, BMP, GIF, TGA, TIFF, WebP)");
            if ((long)info.Width * info.Height > MaxPixels)
            {
                throw new InvalidDataException($"{path}: {info.Width}x{info.Height} pixels, more than the {MaxPixels:N0} read");
            }

            try
            {
                using var image = Image.Load<Rgb24>(path);
                return Apply(image);
            }
            catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or NotSupportedException)
            {
                throw new InvalidDataException($"{path}: cannot be decoded: {e.Message}", e);
            }
        }

        /// <summary>Resizes, crops and normalises an image (changed in place) into 1 x C x H x W.</summary>
        public torch.Tensor Apply(Image<Rgb24> image)
        {
            // torchvision's Resize(int): the shorter side becomes Resize, the longer keeps the ratio (truncated).
            var (w, h) = image.Width <= image.Height
                ? (Resize, (int)((long)Resize * image.Height / image.Width))
                : ((int)((long)Resize * image.Width / image.Height), Resize);
            image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(w, h), Mode = ResizeMode.Stretch, Sampler = KnownResamplers.Triangle }));
            // torchvision's center_crop rounds the offsets half to even.
            var top = (int)Math.Round((h - Height) / 2.0, MidpointRounding.ToEven);
            var left = (int)Math.Round((w - Width) / 2.0, MidpointRounding.ToEven);
            image.Mutate(x => x.Crop(new Rectangle(left, top, Width, Height)));

            var values = new float[Channels * Height * Width];
            var plane = Height * Width;
            image.ProcessPixelRows(rows =>
            {
                for (var y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (var x = 0; x < row.Length; x++)
                    {
                        var p = row[x];
                        var at = y * Width + x;
                        if (Channels == 1)
                        {
                            values[at] = (float)(((0.299 * p.R + 0.587 * p.G + 0.114 * p.B) / 255.0 - Mean[0]) / Std[0]);
                            continue;
                        }

                        values[at] = (float)((p.R / 255.0 - Mean[0]) / Std[0]);
                        values[plane + at] = (float)((p.G / 255.0 - Mean[1]) / Std[1]);
                        values[2 * plane + at] = (float)((p.B / 255.0 - Mean[2]) / Std[2]);
                    }
                }
            });
            return torch.tensor(values, new long[] { 1, Channels, Height, Width });
        }

        private static string List(double[] values) => string.Join(",", Array.ConvertAll(values, v => v.ToString("0.###", CultureInfo.InvariantCulture)));
    }
}
