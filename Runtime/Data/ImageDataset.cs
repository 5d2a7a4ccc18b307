using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace CnnDsl.Runtime.Data
{
    /// <summary>A file that could not be decoded and was left out.</summary>
    public sealed record SkippedImage(string Path, string Problem);

    /// <summary>
    /// The readable images of an <see cref="ImageFolder"/>, checked and preprocessed for one
    /// model: every file decoded once when loading (in parallel), so that corrupt files are known
    /// (and left out, with a warning each) and every image is known to be at least as large as the
    /// model's input. Decoded images are kept in memory up to a byte budget; the others are
    /// decoded again whenever a batch needs them.
    /// </summary>
    public sealed class ImageDataset
    {
        private readonly StoredImage?[] cache;

        private ImageDataset(string name, IReadOnlyList<string> classNames, ImageSample[] samples, StoredImage?[] cache, int channels, ImagePreprocessing preprocessing,
            IReadOnlyList<SkippedImage> skipped, double[] mean, double[] std, (int Height, int Width) smallest)
        {
            Name = name;
            ClassNames = classNames;
            Samples = samples;
            this.cache = cache;
            Channels = channels;
            Preprocessing = preprocessing;
            Skipped = skipped;
            Mean = mean;
            Std = std;
            Smallest = smallest;
        }

        /// <summary>For messages: the folder, or "validation".</summary>
        public string Name { get; }

        public IReadOnlyList<string> ClassNames { get; }
        public IReadOnlyList<ImageSample> Samples { get; }
        public int Count => Samples.Count;
        public int Channels { get; }
        public ImagePreprocessing Preprocessing { get; }

        /// <summary>Files left out because they could not be decoded.</summary>
        public IReadOnlyList<SkippedImage> Skipped { get; }

        /// <summary>Per channel, the mean and standard deviation of the pixel values in [0, 1]
        /// of every image after preprocessing (torchvision users compute these for <c>Normalize</c>).</summary>
        public double[] Mean { get; }

        public double[] Std { get; }

        /// <summary>The smallest height and width after preprocessing.</summary>
        public (int Height, int Width) Smallest { get; }

        /// <summary>Bytes of decoded images held in memory.</summary>
        public long CachedBytes => cache.Sum(c => c?.Bytes ?? 0);

        public int CachedCount => cache.Count(c => c is not null);

        public int[] Labels => Samples.Select(s => s.Label).ToArray();

        public int[] ClassCounts()
        {
            var counts = new int[ClassNames.Count];
            foreach (var sample in Samples) counts[sample.Label]++;
            return counts;
        }

        /// <summary>The image at <paramref name="index"/>, preprocessed.</summary>
        /// <exception cref="ImageDataException">It was readable when loaded but is not now.</exception>
        public StoredImage Image(int index)
        {
            var cached = cache[index];
            if (cached is not null) return cached;
            var path = Samples[index].Path;
            return ImageDecoder.TryLoad(path, Channels, Preprocessing, out var problem)
                ?? throw new ImageDataException(path, $"could be read when training started but not now: {problem}");
        }

        /// <summary>The samples at the given indices (sharing the decoded images).</summary>
        public ImageDataset Subset(IReadOnlyList<int> indices, string name) =>
            new(name, ClassNames, indices.Select(i => Samples[i]).ToArray(), indices.Select(i => cache[i]).ToArray(), Channels, Preprocessing, Skipped, Mean, Std, Smallest);

        /// <summary>A stratified split (see <see cref="LabeledImages.StratifiedIndices(int[], int, double, ulong)"/>).</summary>
        public (ImageDataset Kept, ImageDataset Part) StratifiedSplit(double fraction, ulong seed, string keptName, string partName)
        {
            var (kept, part) = LabeledImages.StratifiedIndices(Labels, ClassNames.Count, fraction, seed);
            return (Subset(kept, keptName), Subset(part, partName));
        }

        /// <summary>Decodes and checks every image of a folder.</summary>
        /// <param name="folder">The scanned folder.</param>
        /// <param name="channels">1 (grey) or 3 (RGB): the model's input channels.</param>
        /// <param name="preprocessing">Resizing and padding applied to each image when read.</param>
        /// <param name="height">The model's input height: every image must be at least this tall after preprocessing.</param>
        /// <param name="width">The model's input width.</param>
        /// <param name="cacheBytes">At most this many bytes of decoded images are kept in memory.</param>
        /// <param name="workers">Images decoded at once.</param>
        /// <param name="warn">Told of each file left out.</param>
        /// <exception cref="ImageDataException">No image can be read, a class has no readable
        /// image, or images are smaller than the model's input.</exception>
        public static ImageDataset Load(ImageFolder folder, int channels, ImagePreprocessing preprocessing, int height, int width,
            long cacheBytes, int workers, Action<string>? warn = null, string? name = null)
        {
            ArgumentNullException.ThrowIfNull(folder);
            var count = folder.Samples.Count;
            var images = new StoredImage?[count];
            var readable = new bool[count];
            var problems = new string?[count];
            var sizes = new (int Height, int Width)[count];
            long budget = cacheBytes;
            var sums = new long[channels];
            var squares = new long[channels];
            var gate = new object();
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers) },
                () => (Sum: new long[channels], Squares: new long[channels]),
                (i, _, local) =>
                {
                    var image = ImageDecoder.TryLoad(folder.Samples[i].Path, channels, preprocessing, out problems[i]);
                    if (image is null) return local;
                    readable[i] = true;
                    sizes[i] = (image.Height, image.Width);
                    var p = image.Pixels;
                    for (var k = 0; k < p.Length; k++)
                    {
                        var v = p[k];
                        local.Sum[k % channels] += v;
                        local.Squares[k % channels] += v * v;
                    }

                    if (Interlocked.Add(ref budget, -image.Bytes) >= 0) images[i] = image;
                    return local;
                },
                local =>
                {
                    lock (gate)
                    {
                        for (var c = 0; c < channels; c++)
                        {
                            sums[c] += local.Sum[c];
                            squares[c] += local.Squares[c];
                        }
                    }
                });

            var skipped = new List<SkippedImage>();
            for (var i = 0; i < count; i++)
            {
                if (readable[i]) continue;
                skipped.Add(new SkippedImage(folder.Samples[i].Path, problems[i] ?? "cannot be read"));
                warn?.Invoke($"{folder.Samples[i].Path}: skipped: {problems[i]}");
            }

            var kept = Enumerable.Range(0, count).Where(i => readable[i]).ToArray();
            if (kept.Length == 0) throw new ImageDataException(folder.Root, $"none of its {count} image files can be read");
            var counts = new int[folder.ClassNames.Count];
            foreach (var i in kept) counts[folder.Samples[i].Label]++;
            var present = folder.Samples.Select(s => s.Label).Distinct().ToHashSet();
            var emptied = Enumerable.Range(0, counts.Length).FirstOrDefault(c => present.Contains(c) && counts[c] == 0, -1);
            if (emptied >= 0)
            {
                throw new ImageDataException(System.IO.Path.Combine(folder.Root, folder.ClassNames[emptied]),
                    "class folder with no readable image: every file in it was skipped (see the warnings)");
            }

            var small = kept.Where(i => sizes[i].Height < height || sizes[i].Width < width).ToList();
            if (small.Count > 0)
            {
                var first = small[0];
                var (h, w) = sizes[first];
                var pad = (int)Math.Ceiling(Math.Max(height - h, width - w) / 2.0);
                var resized = preprocessing.Resize is null && preprocessing.Pad == 0 ? "" : " after --resize/--pad";
                throw new ImageDataException(folder.Samples[first].Path,
                    $"{w}x{h}{resized} is smaller than the model's input {width}x{height}"
                    + (small.Count > 1 ? $" ({N(small.Count)} of {N(kept.Length)} images are)" : "")
                    + $": images are centre-cropped to the input, never enlarged silently. Scale them with --resize {Math.Max(height, width)} (the shorter side, in pixels), or pad them with --pad {pad}.");
            }

            var pixels = kept.Sum(i => (double)sizes[i].Height * sizes[i].Width);
            var mean = sums.Select(s => s / pixels / 255).ToArray();
            var std = squares.Select((q, c) => Math.Sqrt(Math.Max(0, q / pixels / (255.0 * 255) - mean[c] * mean[c]))).ToArray();
            var smallest = (kept.Min(i => sizes[i].Height), kept.Min(i => sizes[i].Width));
            return new ImageDataset(name ?? folder.Root, folder.ClassNames, kept.Select(i => folder.Samples[i]).ToArray(), kept.Select(i => images[i]).ToArray(),
                channels, preprocessing, skipped, mean, std, smallest);
        }

        /// <summary>"1,234 images of 10 classes".</summary>
        public string Describe() => $"{N(Count)} images of {ClassNames.Count} classes";

        private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
