using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CnnDsl.Runtime.Data
{
    /// <summary>Grey-scale images with one class label each, as unsigned bytes in memory: MNIST's
    /// training or test set, or a part of one.</summary>
    public sealed class LabeledImages
    {
        /// <summary>The number of classes of handwritten digits.</summary>
        public const int DigitClasses = 10;

        public LabeledImages(string name, int rows, int columns, byte[] pixels, byte[] labels, int classes = DigitClasses)
        {
            ArgumentNullException.ThrowIfNull(pixels);
            ArgumentNullException.ThrowIfNull(labels);
            if (rows < 1 || columns < 1) throw new ArgumentOutOfRangeException(nameof(rows), "images need at least one row and one column");
            if ((long)labels.Length * rows * columns != pixels.LongLength)
            {
                throw new ArgumentException($"{labels.Length} labels need {(long)labels.Length * rows * columns} pixels of {rows}x{columns}, not {pixels.LongLength}", nameof(pixels));
            }

            Name = name;
            Rows = rows;
            Columns = columns;
            Pixels = pixels;
            Labels = labels;
            Classes = classes;
        }

        /// <summary>Where the images come from, for messages (a folder, a file, "training").</summary>
        public string Name { get; }

        public int Rows { get; }
        public int Columns { get; }

        /// <summary>Row-major pixels, image after image: 0 is background, 255 is ink.</summary>
        public byte[] Pixels { get; }

        /// <summary>One label per image, each below <see cref="Classes"/>.</summary>
        public byte[] Labels { get; }

        public int Classes { get; }

        public int Count => Labels.Length;

        public int PixelsPerImage => Rows * Columns;

        /// <summary>How many images each class has.</summary>
        public int[] ClassCounts()
        {
            var counts = new int[Classes];
            foreach (var label in Labels) counts[label]++;
            return counts;
        }

        /// <summary>The images at the given indices, in that order.</summary>
        public LabeledImages Subset(IReadOnlyList<int> indices, string? name = null)
        {
            var size = PixelsPerImage;
            var pixels = new byte[(long)indices.Count * size];
            var labels = new byte[indices.Count];
            for (var i = 0; i < indices.Count; i++)
            {
                Array.Copy(Pixels, (long)indices[i] * size, pixels, (long)i * size, size);
                labels[i] = Labels[indices[i]];
            }

            return new LabeledImages(name ?? Name, Rows, Columns, pixels, labels, Classes);
        }

        /// <summary>The first <paramref name="count"/> images (all if there are fewer).</summary>
        public LabeledImages Take(int count, string? name = null) =>
            Subset(Enumerable.Range(0, Math.Min(count, Count)).ToArray(), name);

        /// <summary>
        /// Splits off a stratified part: from each class, <paramref name="fraction"/> of its images
        /// (rounded by largest remainder so that the total is <c>round(fraction * Count)</c>),
        /// chosen by a <see cref="SplitMix64"/> shuffle of the class seeded with
        /// <paramref name="seed"/>. Both parts keep the original order of their images.
        /// </summary>
        public (LabeledImages Kept, LabeledImages Part) StratifiedSplit(double fraction, ulong seed, string restName, string partName)
        {
            var (rest, part) = StratifiedIndices(Labels, Classes, fraction, seed);
            return (Subset(rest, restName), Subset(part, partName));
        }

        /// <summary>The indices of a stratified split (see <see cref="StratifiedSplit"/>), each part ascending.</summary>
        public static (int[] Kept, int[] Part) StratifiedIndices(byte[] labels, int classes, double fraction, ulong seed) =>
            StratifiedIndices(Array.ConvertAll(labels, l => (int)l), classes, fraction, seed);

        /// <summary>The indices of a stratified split of any labels in [0, classes), each part ascending.</summary>
        public static (int[] Kept, int[] Part) StratifiedIndices(int[] labels, int classes, double fraction, ulong seed)
        {
            if (!(fraction >= 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), "the fraction must be in [0, 1)");
            var byClass = Enumerable.Range(0, classes).Select(_ => new List<int>()).ToArray();
            for (var i = 0; i < labels.Length; i++) byClass[labels[i]].Add(i);

            var quotas = PartSizes(byClass.Select(c => c.Count).ToArray(), fraction);
            var part = new List<int>();
            var random = new SplitMix64(seed);
            for (var c = 0; c < classes; c++)
            {
                var members = byClass[c].ToArray();
                random.Shuffle(members);
                part.AddRange(members.Take(quotas[c]));
            }

            var chosen = new bool[labels.Length];
            foreach (var i in part) chosen[i] = true;
            var partSorted = part.OrderBy(i => i).ToArray();
            var restSorted = Enumerable.Range(0, labels.Length).Where(i => !chosen[i]).ToArray();
            return (restSorted, partSorted);
        }

        /// <summary>Per class, how many go to a part of the given fraction: floors of the exact
        /// shares, then one more to the classes with the largest remainders (ties to the lower
        /// class) until the total is round(fraction * N).</summary>
        public static int[] PartSizes(int[] classCounts, double fraction)
        {
            var total = classCounts.Sum();
            var target = (int)Math.Round(fraction * total, MidpointRounding.AwayFromZero);
            var sizes = new int[classCounts.Length];
            var remainders = new double[classCounts.Length];
            for (var c = 0; c < classCounts.Length; c++)
            {
                var exact = fraction * classCounts[c];
                sizes[c] = (int)Math.Floor(exact);
                remainders[c] = exact - sizes[c];
            }

            var order = Enumerable.Range(0, classCounts.Length).OrderByDescending(c => remainders[c]).ThenBy(c => c).ToArray();
            for (var k = 0; sizes.Sum() < target && k < order.Length; k++)
            {
                if (sizes[order[k]] < classCounts[order[k]]) sizes[order[k]]++;
            }

            return sizes;
        }

        /// <summary>The images in an order shuffled with <see cref="SplitMix64"/>.</summary>
        public LabeledImages Shuffled(ulong seed, string? name = null)
        {
            var order = Enumerable.Range(0, Count).ToArray();
            new SplitMix64(seed).Shuffle(order);
            return Subset(order, name);
        }

        /// <summary>"8,000 digits of 28x28".</summary>
        public string Describe() =>
            $"{Count.ToString("N0", CultureInfo.InvariantCulture)} images of {Rows}x{Columns}";
    }
}
