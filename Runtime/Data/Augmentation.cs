using System.Collections.Generic;
using System.Globalization;

namespace CnnDsl.Runtime.Data
{
    /// <summary>
    /// The random transforms applied to each training image, each as torchvision's transform of
    /// the same name defines it (applied in this order): <c>RandomResizedCrop</c> (else the
    /// centre crop every image gets), <c>RandomHorizontalFlip</c>, <c>RandomVerticalFlip</c>,
    /// <c>RandomRotation</c>, <c>ColorJitter</c>. Validation and test images get the centre
    /// crop only.
    /// </summary>
    public sealed record Augmentation
    {
        /// <summary>RandomResizedCrop to the model's input: a crop of a random part of the image
        /// (<see cref="CropScaleMin"/> to 1 of its area, aspect ratio 3/4 to 4/3, log-uniform),
        /// resized bilinearly.</summary>
        public bool RandomResizedCrop { get; init; }

        /// <summary>The smallest part of the area a random resized crop takes (torchvision: 0.08).</summary>
        public double CropScaleMin { get; init; } = 0.08;

        /// <summary>Probability of a horizontal flip (0: none; torchvision's default 0.5).</summary>
        public double HorizontalFlip { get; init; }

        public double VerticalFlip { get; init; }

        /// <summary>RandomRotation: an angle drawn uniformly from [-degrees, degrees],
        /// counter-clockwise, nearest neighbour, corners filled with 0 (0: none).</summary>
        public double Rotation { get; init; }

        /// <summary>ColorJitter's factors: brightness, contrast and saturation drawn from
        /// [max(0, 1 - v), 1 + v], hue from [-h, h] (h at most 0.5).</summary>
        public double Brightness { get; init; }

        public double Contrast { get; init; }
        public double Saturation { get; init; }
        public double Hue { get; init; }

        public bool HasColorJitter => Brightness > 0 || Contrast > 0 || Saturation > 0 || Hue > 0;

        /// <summary>Whether any random transform is on.</summary>
        public bool Any => RandomResizedCrop || HorizontalFlip > 0 || VerticalFlip > 0 || Rotation > 0 || HasColorJitter;

        public string? Problem()
        {
            if (!(CropScaleMin > 0 && CropScaleMin <= 1)) return $"the crop scale must be in (0, 1], not {F(CropScaleMin)}";
            if (!(HorizontalFlip >= 0 && HorizontalFlip <= 1)) return $"--hflip must be a probability in [0, 1], not {F(HorizontalFlip)}";
            if (!(VerticalFlip >= 0 && VerticalFlip <= 1)) return $"--vflip must be a probability in [0, 1], not {F(VerticalFlip)}";
            if (!(Rotation >= 0 && Rotation <= 180)) return $"--rotation must be between 0 and 180 degrees, not {F(Rotation)}";
            foreach (var (name, value) in new[] { ("brightness", Brightness), ("contrast", Contrast), ("saturation", Saturation) })
            {
                if (!(value >= 0 && value <= 10)) return $"--jitter's {name} must be between 0 and 10, not {F(value)}";
            }

            if (!(Hue >= 0 && Hue <= 0.5)) return $"--jitter's hue must be between 0 and 0.5, not {F(Hue)}";
            return null;
        }

        /// <summary>"random resized crop (scale 0.08-1), horizontal flip 0.5, ..." or "none".</summary>
        public string Describe()
        {
            var parts = new List<string>();
            if (RandomResizedCrop) parts.Add($"random resized crop (scale {F(CropScaleMin)}-1)");
            if (HorizontalFlip > 0) parts.Add($"horizontal flip {F(HorizontalFlip)}");
            if (VerticalFlip > 0) parts.Add($"vertical flip {F(VerticalFlip)}");
            if (Rotation > 0) parts.Add($"rotation ±{F(Rotation)}°");
            if (HasColorJitter) parts.Add($"colour jitter {F(Brightness)},{F(Contrast)},{F(Saturation)},{F(Hue)}");
            return parts.Count == 0 ? "none" : string.Join(", ", parts);
        }

        private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
