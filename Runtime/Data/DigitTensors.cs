using System;
using System.Collections.Generic;
using TorchSharp;

namespace CnnDsl.Runtime.Data
{
    /// <summary>
    /// Turns grey-scale images into the float tensor a model declares as its input: grey levels
    /// scaled to [0, 1], placed in the model's height and width (centred with background padding
    /// when the model's input is at least as large, as LeNet-5's 32x32 takes MNIST's 28x28;
    /// bilinear resizing otherwise), repeated over the channels the model wants, then
    /// standardised with MNIST's mean and standard deviation.
    /// </summary>
    public static class DigitTensors
    {
        /// <summary>Mean grey level of MNIST's training digits, in [0, 1].</summary>
        public const double Mean = 0.1307;

        /// <summary>Standard deviation of MNIST's training grey levels, in [0, 1].</summary>
        public const double StandardDeviation = 0.3081;

        /// <summary>Images [N, C, H, W] (float32) fitted to <paramref name="input"/> (C, H, W),
        /// and labels [N] (int64).</summary>
        public static (torch.Tensor Images, torch.Tensor Labels) Create(LabeledImages set, IReadOnlyList<long> input)
        {
            ArgumentNullException.ThrowIfNull(set);
            CheckInput(input);
            using var scope = torch.NewDisposeScope();
            var raw = torch.tensor(set.Pixels, new long[] { set.Count, 1, set.Rows, set.Columns });
            var images = Fit(raw.to_type(torch.ScalarType.Float32).div_(255.0), input);
            images = images.sub_(Mean).div_(StandardDeviation).contiguous();
            var labels = torch.tensor(set.Labels, new long[] { set.Count }).to_type(torch.ScalarType.Int64);
            return (images.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
        }

        /// <summary>Grey levels [N, 1, rows, columns] in [0, 1] placed into [N, C, H, W].</summary>
        public static torch.Tensor Fit(torch.Tensor images, IReadOnlyList<long> input)
        {
            CheckInput(input);
            var (channels, height, width) = (input[0], input[1], input[2]);
            var rows = images.shape[2];
            var columns = images.shape[3];
            torch.Tensor placed;
            if (height == rows && width == columns)
            {
                placed = images.alias();
            }
            else if (height >= rows && width >= columns)
            {
                var top = (height - rows) / 2;
                var left = (width - columns) / 2;
                placed = torch.nn.functional.pad(images, new[] { left, width - columns - left, top, height - rows - top }, PaddingModes.Constant, 0.0);
            }
            else
            {
                placed = torch.nn.functional.interpolate(images, new[] { height, width }, mode: torch.InterpolationMode.Bilinear, align_corners: false);
            }

            return channels == 1 ? placed : placed.expand(-1, channels, -1, -1).contiguous();
        }

        /// <summary>How images of rows x columns reach the input: "28x28 padded by 2 on each side to 1x32x32".</summary>
        public static string DescribeFit(int rows, int columns, IReadOnlyList<long> input)
        {
            CheckInput(input);
            var target = $"{input[0]}x{input[1]}x{input[2]}";
            var channels = input[0] == 1 ? "" : $", grey repeated over {input[0]} channels";
            if (input[1] == rows && input[2] == columns) return $"{rows}x{columns} as they are ({target}{channels})";
            if (input[1] >= rows && input[2] >= columns)
            {
                var vertical = input[1] - rows;
                var horizontal = input[2] - columns;
                var how = vertical == horizontal && vertical % 2 == 0
                    ? $"padded by {vertical / 2} on each side"
                    : $"padded by {vertical} rows and {horizontal} columns, centred";
                return $"{rows}x{columns} {how} to {target}{channels}";
            }

            return $"{rows}x{columns} resized (bilinear) to {target}{channels}";
        }

        private static void CheckInput(IReadOnlyList<long> input)
        {
            if (input is null || input.Count != 3 || input[0] < 1 || input[1] < 1 || input[2] < 1)
            {
                throw new ArgumentException("a model for images declares an input of channels x height x width", nameof(input));
            }
        }
    }
}
