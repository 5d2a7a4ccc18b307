using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace CnnDsl.Runtime.Data
{
    /// <summary>
    /// What <c>cnn data mnist</c> wrote into a folder. It is written twice: first marked
    /// incomplete, before any data file, so that a run killed part-way leaves a folder the next run
    /// recognises as its own and completes; then, last, complete with the SHA-256 of every output.
    /// </summary>
    public sealed record MnistManifest(
        string Format,
        bool Complete,
        string Tarball,
        IReadOnlyDictionary<string, string> Hashes,
        int[] TrainClassCounts,
        int[] TestClassCounts)
    {
        /// <summary>Reads a manifest; null if there is none. A manifest that cannot be parsed is
        /// still ours (nobody else writes that name): it is read as an incomplete one.</summary>
        public static MnistManifest? Read(string path, string format)
        {
            if (!File.Exists(path)) return null;
            try
            {
                // Ours, a few hundred bytes: anything longer under its name is not one we wrote.
                var bytes = Dsl.Text.BoundedFile.Read(path, 1 << 20, out var truncated);
                return truncated ? Incomplete(format, "") : Parse(new System.Text.UTF8Encoding(false).GetString(bytes));
            }
            catch (Exception e) when (e is JsonException or IOException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                return Incomplete(format, "");
            }
        }

        /// <summary>The manifest written before the data files.</summary>
        public static MnistManifest Incomplete(string format, string tarball) =>
            new(format, false, tarball, new Dictionary<string, string>(), Array.Empty<int>(), Array.Empty<int>());

        /// <summary>Whether the folder holds exactly what this manifest lists.</summary>
        public bool Matches(string folder, Func<string, string, string?> hashOf) =>
            Complete && Hashes.Count > 0
            && Hashes.All(h => hashOf(folder, h.Key) == h.Value);

        public void Write(string path) =>
            AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(ToJson())));

        public string ToJson()
        {
            using var memory = new MemoryStream();
            using (var writer = new Utf8JsonWriter(memory, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteString("package", MnistPackage.PackageSpec);
                writer.WriteString("integrity", MnistPackage.Integrity);
                writer.WriteString("tarball", Tarball);
                writer.WriteString("format", Format);
                writer.WriteBoolean("complete", Complete);
                writer.WriteString("split", $"stratified {MnistPackage.TrainCount} training / {MnistPackage.TestCount} test, seed 0x{MnistPackage.SplitSeed:X16}");
                writer.WriteStartObject("sha256");
                foreach (var (name, hash) in Hashes) writer.WriteString(name, hash);
                writer.WriteEndObject();
                WriteCounts(writer, "trainClassCounts", TrainClassCounts);
                WriteCounts(writer, "testClassCounts", TestClassCounts);
                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(memory.ToArray()) + "\n";
        }

        private static MnistManifest Parse(string json)
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var samePackage = root.GetProperty("package").GetString() == MnistPackage.PackageSpec
                && root.GetProperty("integrity").GetString() == MnistPackage.Integrity;
            // Manifests from before the two-step write have no "complete": they were written last.
            var complete = samePackage && (!root.TryGetProperty("complete", out var c) || c.GetBoolean());
            return new MnistManifest(
                root.TryGetProperty("format", out var f) ? f.GetString() ?? "idx" : "idx",
                complete,
                root.GetProperty("tarball").GetString() ?? "",
                root.GetProperty("sha256").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
                root.GetProperty("trainClassCounts").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                root.GetProperty("testClassCounts").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        }

        private static void WriteCounts(Utf8JsonWriter writer, string name, int[] counts)
        {
            writer.WriteStartArray(name);
            foreach (var count in counts) writer.WriteNumberValue(count);
            writer.WriteEndArray();
        }
    }
}
