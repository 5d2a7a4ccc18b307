using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using TorchSharp;

namespace CnnDsl.Runtime.Weights
{
    /// <summary>The .safetensors layout: an 8-byte little-endian header length N, N bytes of JSON
    /// (<c>{"key": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
    /// "__metadata__": {"text": "text"}}</c>), then the tensors' bytes, offsets counted from the
    /// end of the header. Reading checks every offset and size before a byte is allocated;
    /// TorchSharp.PyBridge then reads the tensors.</summary>
    internal static class SafetensorsFormat
    {
        private const string MetadataKey = "__metadata__";

        /// <summary>The keys in the header's order and the text metadata.</summary>
        public sealed record Header(IReadOnlyList<string> Keys, IReadOnlyDictionary<string, string> Metadata);

        private static readonly Dictionary<string, int> ElementBytes = new(StringComparer.Ordinal)
        {
            ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
        };

        private static readonly Dictionary<torch.ScalarType, string> Names = new()
        {
            [torch.ScalarType.Float64] = "F64", [torch.ScalarType.Float32] = "F32", [torch.ScalarType.Float16] = "F16",
            [torch.ScalarType.BFloat16] = "BF16", [torch.ScalarType.Int64] = "I64", [torch.ScalarType.Int32] = "I32",
            [torch.ScalarType.Int16] = "I16", [torch.ScalarType.Int8] = "I8", [torch.ScalarType.Byte] = "U8", [torch.ScalarType.Bool] = "BOOL",
        };

        public static Header ReadHeader(Stream stream, long fileLength, string path)
        {
            WeightFileException Bad(string what) => new($"{path}: not a readable .safetensors file: {what}.");
            var lengthBytes = new byte[8];
            stream.ReadExactly(lengthBytes);
            var headerLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            if (headerLength > (ulong)StateDictFile.MaxHeaderBytes || headerLength > (ulong)(fileLength - 8))
            {
                throw Bad($"its header claims {headerLength:N0} bytes (the file has {fileLength:N0})");
            }

            var json = new byte[headerLength];
            stream.ReadExactly(json);
            var dataLength = fileLength - 8 - (long)headerLength;
            var keys = new List<string>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            try
            {
                using var document = JsonDocument.Parse(json);
                if (document.RootElement.ValueKind != JsonValueKind.Object) throw Bad("its header is not a JSON object");
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Name == MetadataKey)
                    {
                        foreach (var item in property.Value.EnumerateObject())
                        {
                            if (item.Value.ValueKind == JsonValueKind.String) metadata[item.Name] = item.Value.GetString()!;
                        }

                        continue;
                    }

                    var entry = property.Value;
                    var dtype = entry.GetProperty("dtype").GetString() ?? "";
                    if (!ElementBytes.TryGetValue(dtype, out var size)) throw Bad($"`{property.Name}` has dtype `{dtype}`, which cannot be loaded");
                    var elements = 1L;
                    foreach (var dimension in entry.GetProperty("shape").EnumerateArray())
                    {
                        var d = dimension.GetInt64();
                        if (d < 0) throw Bad($"`{property.Name}` has a negative dimension");
                        elements = checked(elements * d);
                    }

                    var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
                    if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                    {
                        throw Bad($"`{property.Name}`'s data_offsets lie outside the file's {dataLength:N0} bytes of data");
                    }

                    if (checked(elements * size) != offsets[1] - offsets[0])
                    {
                        throw Bad($"`{property.Name}` has {elements:N0} {dtype} elements but {offsets[1] - offsets[0]:N0} bytes");
                    }

                    keys.Add(property.Name);
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or OverflowException)
            {
                throw Bad($"its header is not valid ({e.Message})");
            }

            return new Header(keys, metadata);
        }

        public static void Write(Stream stream, IReadOnlyList<KeyValuePair<string, torch.Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                if (metadata is { Count: > 0 })
                {
                    json.WriteStartObject(MetadataKey);
                    foreach (var item in metadata) json.WriteString(item.Key, item.Value);
                    json.WriteEndObject();
                }

                long offset = 0;
                foreach (var (key, tensor) in tensors)
                {
                    if (!Names.TryGetValue(tensor.dtype, out var dtype)) throw new ArgumentException($"`{key}` is {tensor.dtype}, which .safetensors cannot hold");
                    var bytes = checked(tensor.NumberOfElements * tensor.ElementSize);
                    json.WriteStartObject(key);
                    json.WriteString("dtype", dtype);
                    json.WriteStartArray("shape");
                    foreach (var d in tensor.shape) json.WriteNumberValue(d);
                    json.WriteEndArray();
                    json.WriteStartArray("data_offsets");
                    json.WriteNumberValue(offset);
                    json.WriteNumberValue(offset + bytes);
                    json.WriteEndArray();
                    json.WriteEndObject();
                    offset += bytes;
                }

                json.WriteEndObject();
            }

            // The data after the header starts 8-byte aligned, as the reference writer does.
            while (buffer.Length % 8 != 0) buffer.WriteByte((byte)' ');
            var lengthBytes = new byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)buffer.Length);
            stream.Write(lengthBytes);
            buffer.Position = 0;
            buffer.CopyTo(stream);
            foreach (var (_, tensor) in tensors) tensor.WriteBytesToStream(stream);
        }
    }
}
