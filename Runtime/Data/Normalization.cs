using System;
using System.Globalization;
using System.Linq;
using TorchSharp;

namespace CnnDsl.Runtime.Data
{
    /// <summary>torchvision's <c>Normalize</c>: per channel, (x - mean) / std, on values in [0, 1].
    /// One value applies to every channel.</summary>
    public sealed record Normalization
    {
        public Normalization(double[] mean, double[] std)
        {
            if (mean.Length == 0 || mean.Length != std.Length) throw new ArgumentException("one standard deviation per mean");
            Mean = mean;
            Std = std;
        }

        /// <summary>MNIST's training digits: mean 0.1307, standard deviation 0.3081 (the figures
        /// PyTorch's MNIST example uses).</summary>
        public static Normalization Mnist { get; } = new(new[] { DigitTensors.Mean }, new[] { DigitTensors.StandardDeviation });

        /// <summary>ImageNet's (torchvision's pretrained models): mean 0.485, 0.456, 0.406, std 0.229, 0.224, 0.225.</summary>
        public static Normalization ImageNet { get; } = new(new[] { 0.485, 0.456, 0.406 }, new[] { 0.229, 0.224, 0.225 });

        /// <summary>Mean 0, std 1: values stay in [0, 1].</summary>
        public static Normalization None { get; } = new(new[] { 0.0 }, new[] { 1.0 });

        public double[] Mean { get; }
        public double[] Std { get; }

        /// <summary>A problem for a model of <paramref name="channels"/> channels, or null.</summary>
        public string? Problem(long channels)
        {
            if (Mean.Length != 1 && Mean.Length != channels) return $"{Mean.Length} means and standard deviations given for a model of {channels} channel{(channels == 1 ? "" : "s")}; give one, or one per channel";
            if (Std.Any(s => !(s > 0) || double.IsInfinity(s))) return "every standard deviation must be a positive number";
            if (Mean.Any(m => !double.IsFinite(m))) return "every mean must be a finite number";
            return null;
        }

        /// <summary>Normalises float images [N, C, H, W] in place and returns them.</summary>
        public torch.Tensor Apply(torch.Tensor images)
        {
            if (Mean.Length == 1) return images.sub_(Mean[0]).div_(Std[0]);
            using var scope = torch.NewDisposeScope();
            var mean = torch.tensor(Mean.Select(m => (float)m).ToArray(), new long[] { 1, Mean.Length, 1, 1 });
            var std = torch.tensor(Std.Select(s => (float)s).ToArray(), new long[] { 1, Std.Length, 1, 1 });
            images.sub_(mean).div_(std);
            return images;
        }

        /// <summary>Bytes [N, C, H, W] (uint8) to normalised float32.</summary>
        public torch.Tensor FromBytes(torch.Tensor bytes) => Apply(bytes.to_type(torch.ScalarType.Float32).div_(255.0));

        /// <summary>The value a pixel of 0 takes, per channel (the background a shift fills in).</summary>
        public double[] ZeroLevel(long channels) =>
            Enumerable.Range(0, (int)channels).Select(c => -Mean[Mean.Length == 1 ? 0 : c] / Std[Std.Length == 1 ? 0 : c]).ToArray();

        /// <summary>"mean 0.485,0.456,0.406 std 0.229,0.224,0.225".</summary>
        public string Describe() => $"mean {Join(Mean)}, std {Join(Std)}";

        private static string Join(double[] values) => string.Join(",", values.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture)));
    }
}
