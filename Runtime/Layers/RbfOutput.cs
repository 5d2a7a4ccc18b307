using System;
using TorchSharp;

namespace CnnDsl.Runtime.Layers
{
    /// <summary>
    /// The output layer of LeCun et al. 1998 (LeNet-5): one Euclidean radial basis function unit
    /// per class, <c>y[n, i] = sum_j (x[n, j] - codes[i, j])^2</c>. The output [N, classes] is a
    /// distance: the smaller, the more likely the class (<see cref="Predict"/>). To train with a
    /// cross-entropy loss use <c>-distances</c> as the logits.
    /// </summary>
    /// <remarks>
    /// <para>Tensors: the buffer <c>codes</c> [classes, inFeatures] of +1/-1 values, fixed (it is in
    /// <c>state_dict()</c> but is not a parameter; the layer has no parameters).</para>
    /// <para>With 84 inputs and at most 10 classes, the code of class i is the stylised 7x12
    /// bitmap of the digit i drawn below (12 rows of 7 pixels, +1 ink, -1 background, flattened
    /// row by row), as in the paper's Fig. 3. Otherwise the codes come from
    /// <see cref="GeneratedCode"/>: SplitMix64 started at state 0, one output per element in
    /// row-major order (class by class, feature by feature), +1 where its top bit is set and -1
    /// where it is clear.</para>
    /// </remarks>
    public sealed class RbfOutput : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        /// <summary>Width of a digit bitmap.</summary>
        public const int BitmapWidth = 7;

        /// <summary>Height of a digit bitmap.</summary>
        public const int BitmapHeight = 12;

        // '#' is ink (+1), '.' is background (-1).
        private static readonly string[][] Digits =
        {
            new[]
            {
                ".......",
                "..###..",
                ".#...#.",
                "#.....#",
                "#.....#",
                "#.....#",
                "#.....#",
                "#.....#",
                "#.....#",
                ".#...#.",
                "..###..",
                ".......",
            },
            new[]
            {
                ".......",
                "...#...",
                "..##...",
                ".#.#...",
                "...#...",
                "...#...",
                "...#...",
                "...#...",
                "...#...",
                "...#...",
                ".#####.",
                ".......",
            },
            new[]
            {
                ".......",
                ".#####.",
                "#.....#",
                "......#",
                "......#",
                ".....#.",
                "....#..",
                "...#...",
                "..#....",
                ".#.....",
                "#######",
                ".......",
            },
            new[]
            {
                ".......",
                ".#####.",
                "#.....#",
                "......#",
                "......#",
                "..####.",
                "......#",
                "......#",
                "......#",
                "#.....#",
                ".#####.",
                ".......",
            },
            new[]
            {
                ".......",
                "....##.",
                "...#.#.",
                "..#..#.",
                ".#...#.",
                "#....#.",
                "#######",
                ".....#.",
                ".....#.",
                ".....#.",
                ".....#.",
                ".......",
            },
            new[]
            {
                ".......",
                "#######",
                "#......",
                "#......",
                "######.",
                "......#",
                "......#",
                "......#",
                "......#",
                "#.....#",
                ".#####.",
                ".......",
            },
            new[]
            {
                ".......",
                "..####.",
                ".#.....",
                "#......",
                "#......",
                "######.",
                "#.....#",
                "#.....#",
                "#.....#",
                "#.....#",
                ".#####.",
                ".......",
            },
            new[]
            {
                ".......",
                "#######",
                "......#",
                ".....#.",
                ".....#.",
                "....#..",
                "....#..",
                "...#...",
                "...#...",
                "...#...",
                "...#...",
                ".......",
            },
            new[]
            {
                ".......",
                ".#####.",
                "#.....#",
                "#.....#",
                "#.....#",
                ".#####.",
                "#.....#",
                "#.....#",
                "#.....#",
                "#.....#",
                ".#####.",
                ".......",
            },
            new[]
            {
                ".......",
                ".#####.",
                "#.....#",
                "#.....#",
                "#.....#",
                "#.....#",
                ".######",
                "......#",
                "......#",
                ".....#.",
                ".####..",
                ".......",
            },
        };

        // The field name equals the registered name, so that Module.to(...) updates it.
        private torch.Tensor codes;

        private readonly long inFeatures;
        private readonly long classes;

        /// <summary>Creates the layer and its fixed codes.</summary>
        /// <param name="inFeatures">Number of inputs (84 for LeNet-5's F6).</param>
        /// <param name="classes">Number of classes, one RBF unit each.</param>
        /// <exception cref="ArgumentOutOfRangeException">A size is less than 1.</exception>
        public RbfOutput(long inFeatures, long classes)
            : base(nameof(RbfOutput))
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1L);
            ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1L);
            this.inFeatures = inFeatures;
            this.classes = classes;

            float[] values = UsesDigitBitmaps(inFeatures, classes)
                ? DigitCodes(classes)
                : GeneratedCode(inFeatures, classes);
            codes = torch.tensor(values, new[] { classes, inFeatures }).DetachFromDisposeScope();
            register_buffer(nameof(codes), codes);
        }

        /// <summary>Number of inputs.</summary>
        public long InFeatures => inFeatures;

        /// <summary>Number of classes.</summary>
        public long Classes => classes;

        /// <summary>Whether a layer of this size uses the digit bitmaps (84 inputs, at most 10 classes).</summary>
        public static bool UsesDigitBitmaps(long inFeatures, long classes) =>
            inFeatures == BitmapWidth * BitmapHeight && classes <= Digits.Length;

        /// <summary>The bitmap of a digit as drawn in the source: 12 rows of 7 characters,
        /// <c>#</c> for ink (+1) and <c>.</c> for background (-1).</summary>
        public static string[] DigitBitmap(int digit)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(digit);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(digit, Digits.Length);
            return (string[])Digits[digit].Clone();
        }

        /// <summary>
        /// The codes used when the digit bitmaps do not apply, row-major [classes, inFeatures]:
        /// SplitMix64 from state 0, one output per element, +1 if its top bit is set, else -1.
        /// </summary>
        public static float[] GeneratedCode(long inFeatures, long classes)
        {
            var values = new float[checked(inFeatures * classes)];
            ulong state = 0;
            for (long k = 0; k < values.LongLength; k++)
            {
                unchecked
                {
                    state += 0x9E3779B97F4A7C15UL;
                    ulong z = state;
                    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                    z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                    z ^= z >> 31;
                    values[k] = (z >> 63) == 1 ? 1f : -1f;
                }
            }

            return values;
        }

        /// <summary>The most likely class of each row: the index of the smallest distance (argmin over dim 1).</summary>
        public static torch.Tensor Predict(torch.Tensor distances) => distances.argmin(1);

        /// <summary>Does nothing: every tensor of this layer is registered explicitly in the
        /// constructor. A parent's <c>RegisterComponents()</c> calls this on its children, and the
        /// default would register private tensor fields as buffers.</summary>
        protected override void RegisterComponents()
        {
        }

        /// <inheritdoc/>
        public override torch.Tensor forward(torch.Tensor input)
        {
            if (input.dim() != 2 || input.shape[1] != inFeatures)
            {
                throw new ArgumentException(
                    $"Expected an input of shape [N, {inFeatures}], got [{string.Join(", ", input.shape)}].", nameof(input));
            }

            using var rows = input.unsqueeze(1);
            using var centres = codes.unsqueeze(0);
            using var difference = rows.sub(centres);
            using var squared = difference.square();
            return squared.sum(2);
        }

        private static float[] DigitCodes(long classes)
        {
            var values = new float[classes * BitmapWidth * BitmapHeight];
            int k = 0;
            for (int digit = 0; digit < classes; digit++)
            {
                string[] rows = Digits[digit];
                if (rows.Length != BitmapHeight)
                {
                    throw new InvalidOperationException($"The bitmap of digit {digit} has {rows.Length} rows, not {BitmapHeight}.");
                }

                foreach (string row in rows)
                {
                    if (row.Length != BitmapWidth)
                    {
                        throw new InvalidOperationException($"A row of the bitmap of digit {digit} has {row.Length} pixels, not {BitmapWidth}.");
                    }

                    foreach (char pixel in row)
                    {
                        values[k++] = pixel switch
                        {
                            '#' => 1f,
                            '.' => -1f,
                            _ => throw new InvalidOperationException($"The bitmap of digit {digit} has the pixel '{pixel}'."),
                        };
                    }
                }
            }

            return values;
        }
    }
}
