using System;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CnnDsl.Runtime.Data
{
    /// <summary>
    /// Turns one preprocessed image into the model's input size: a centre crop (torchvision's
    /// <c>CenterCrop</c>), or for training the random transforms of an <see cref="Augmentation"/>.
    /// Random choices come from the generator passed in, one per image, so the result does not
    /// depend on which thread runs it.
    /// </summary>
    public static class SampleTransform
    {
        /// <summary>The image as the model sees it, height x width x channels bytes.</summary>
        /// <param name="image">The preprocessed image.</param>
        /// <param name="height">The model's input height.</param>
        /// <param name="width">The model's input width.</param>
        /// <param name="augmentation">The random transforms (null: centre crop only).</param>
        /// <param name="random">The image's own generator (unused without augmentation).</param>
        public static StoredImage Apply(StoredImage image, int height, int width, Augmentation? augmentation, SplitMix64? random)
        {
            if (augmentation is null || !augmentation.Any || random is null) return CenterCrop(image, height, width);

            var result = augmentation.RandomResizedCrop
                ? RandomResizedCrop(image, height, width, augmentation.CropScaleMin, random)
                : CenterCrop(image, height, width);
            if (augmentation.HorizontalFlip > 0 && random.NextDouble() < augmentation.HorizontalFlip) result = Flip(result, horizontal: true);
            if (augmentation.VerticalFlip > 0 && random.NextDouble() < augmentation.VerticalFlip) result = Flip(result, horizontal: false);
            if (augmentation.Rotation > 0) result = Rotate(result, random.Uniform(-augmentation.Rotation, augmentation.Rotation));
            if (augmentation.HasColorJitter) ColorJitter.Apply(result, augmentation, random);
            return result;
        }

        /// <summary>torchvision's CenterCrop: the middle height x width, offsets rounded half to
        /// even as Python's round does. An image smaller than the crop is refused (checked when the
        /// data is loaded).</summary>
        public static StoredImage CenterCrop(StoredImage image, int height, int width)
        {
            if (image.Height == height && image.Width == width) return image;
            if (image.Height < height || image.Width < width)
            {
                throw new ArgumentException($"a {image.Width}x{image.Height} image is smaller than the {width}x{height} crop");
            }

            var top = (int)Math.Round((image.Height - height) / 2.0, MidpointRounding.ToEven);
            var left = (int)Math.Round((image.Width - width) / 2.0, MidpointRounding.ToEven);
            return Crop(image, top, left, height, width);
        }

        /// <summary>The rows top..top+height and columns left..left+width.</summary>
        public static StoredImage Crop(StoredImage image, int top, int left, int height, int width)
        {
            var c = image.Channels;
            var pixels = new byte[(long)height * width * c];
            for (var y = 0; y < height; y++)
            {
                Array.Copy(image.Pixels, ((long)(top + y) * image.Width + left) * c, pixels, (long)y * width * c, (long)width * c);
            }

            return new StoredImage(c, height, width, pixels);
        }

        /// <summary>torchvision's RandomResizedCrop: up to ten tries at an area of
        /// [scaleMin, 1] of the image with an aspect ratio log-uniform in [3/4, 4/3] that fits; else
        /// the whole image clamped to that ratio, centred. The crop is resized bilinearly to height x width.</summary>
        public static StoredImage RandomResizedCrop(StoredImage image, int height, int width, double scaleMin, SplitMix64 random)
        {
            var (top, left, h, w) = RandomResizedCropBox(image.Height, image.Width, scaleMin, random);
            var crop = Crop(image, top, left, h, w);
            return h == height && w == width ? crop : Resize(crop, height, width);
        }

        /// <summary>The box (top, left, height, width) of a random resized crop.</summary>
        public static (int Top, int Left, int Height, int Width) RandomResizedCropBox(int imageHeight, int imageWidth, double scaleMin, SplitMix64 random)
        {
            const double ratioMin = 3.0 / 4, ratioMax = 4.0 / 3;
            var area = (double)imageHeight * imageWidth;
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var target = area * random.Uniform(scaleMin, 1);
                var aspect = Math.Exp(random.Uniform(Math.Log(ratioMin), Math.Log(ratioMax)));
                var w = (int)Math.Round(Math.Sqrt(target * aspect), MidpointRounding.ToEven);
                var h = (int)Math.Round(Math.Sqrt(target / aspect), MidpointRounding.ToEven);
                if (w > 0 && w <= imageWidth && h > 0 && h <= imageHeight)
                {
                    var top = random.Below(imageHeight - h + 1);
                    var left = random.Below(imageWidth - w + 1);
                    return (top, left, h, w);
                }
            }

            var ratio = (double)imageWidth / imageHeight;
            var (ch, cw) = ratio < ratioMin
                ? ((int)Math.Round(imageWidth / ratioMin, MidpointRounding.ToEven), imageWidth)
                : ratio > ratioMax
                    ? (imageHeight, (int)Math.Round(imageHeight * ratioMax, MidpointRounding.ToEven))
                    : (imageHeight, imageWidth);
            return ((imageHeight - ch) / 2, (imageWidth - cw) / 2, ch, cw);
        }

        /// <summary>Bilinear resizing with antialiasing when shrinking (ImageSharp's triangle filter, as PIL's bilinear).</summary>
        public static StoredImage Resize(StoredImage image, int height, int width) =>
            Mutate(image, x => x.Resize(width, height, KnownResamplers.Triangle));

        /// <summary>Mirrors left-right (or top-bottom).</summary>
        public static StoredImage Flip(StoredImage image, bool horizontal)
        {
            var (c, h, w) = (image.Channels, image.Height, image.Width);
            var pixels = new byte[image.Pixels.Length];
            for (var y = 0; y < h; y++)
            {
                var sourceRow = horizontal ? y : h - 1 - y;
                for (var x = 0; x < w; x++)
                {
                    var sourceColumn = horizontal ? w - 1 - x : x;
                    Array.Copy(image.Pixels, ((long)sourceRow * w + sourceColumn) * c, pixels, ((long)y * w + x) * c, c);
                }
            }

            return new StoredImage(c, h, w, pixels);
        }

        /// <summary>Rotates by <paramref name="degrees"/> counter-clockwise about the centre,
        /// keeping the size (torchvision's <c>expand=False</c>), nearest neighbour, corners 0.</summary>
        public static StoredImage Rotate(StoredImage image, double degrees)
        {
            // ImageSharp turns clockwise for a positive angle and grows the canvas to hold the
            // whole result; the middle of that canvas is the rotation about the centre.
            var rotated = Mutate(image, x => x.Rotate((float)-degrees, KnownResamplers.NearestNeighbor));
            return CenterCrop(rotated, image.Height, image.Width);
        }

        private static StoredImage Mutate(StoredImage image, Action<IImageProcessingContext> operation)
        {
            if (image.Channels == 1)
            {
                using var grey = Image.LoadPixelData<L8>(image.Pixels, image.Width, image.Height);
                grey.Mutate(operation);
                return ImageDecoder.ToStored(grey, 1);
            }

            using var rgb = Image.LoadPixelData<Rgb24>(image.Pixels, image.Width, image.Height);
            rgb.Mutate(operation);
            return ImageDecoder.ToStored(rgb, 3);
        }
    }
}
