using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using TorchSharp;
using TorchSharp.PyBridge;

namespace CnnDsl.Runtime.Weights
{
    /// <summary>The tensors of a weights file under their state_dict keys, in the file's order,
    /// with the file's text metadata (a .safetensors file's <c>__metadata__</c>; empty for .pth).
    /// Owns the tensors: dispose it when they have been copied.</summary>
    public sealed class StateDictFile : IDisposable
    {
        /// <summary>Longest .safetensors header read (the JSON index); real ones are kilobytes.</summary>
        public const long MaxHeaderBytes = 100L << 20;

        /// <summary>Largest pickle read from a .pth (it holds keys and shapes, not the tensors' bytes).</summary>
        public const long MaxPickleBytes = 256L << 20;

        public StateDictFile(string path, IReadOnlyList<KeyValuePair<string, torch.Tensor>> entries, IReadOnlyDictionary<string, string> metadata)
        {
            Path = path;
            Entries = entries;
            Metadata = metadata;
        }

        /// <summary>The file it was read from.</summary>
        public string Path { get; }

        /// <summary>Every tensor under its key, in the order the file lists them.</summary>
        public IReadOnlyList<KeyValuePair<string, torch.Tensor>> Entries { get; }

        /// <summary>Text metadata (.safetensors <c>__metadata__</c>), such as <c>labels</c>.</summary>
        public IReadOnlyDictionary<string, string> Metadata { get; }

        /// <summary>Reads a PyTorch state_dict (<c>torch.save</c>'s zip format, any extension:
        /// .pth, .pt, .bin) or a .safetensors file, told apart by their first bytes.</summary>
        /// <exception cref="WeightFileException">The file is missing, unreadable, refused (its
        /// pickle names something other than tensors: <see cref="PickleGuard"/>), in PyTorch's
        /// legacy (before 1.6) format, or malformed.</exception>
        public static StateDictFile Read(string path)
        {
            byte[] head;
            long length;
            try
            {
                using var stream = File.OpenRead(path);
                length = stream.Length;
                head = new byte[(int)Math.Min(16, length)];
                stream.ReadExactly(head);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                // NotSupportedException: a pipe, whose length cannot be known before it is read.
                // A directory reads as "access denied" (even for root): say what it is instead.
                throw new WeightFileException(Directory.Exists(path) ? $"{path}: is a directory, not a weights file" : $"{path}: cannot read: {e.Message}", e);
            }

            if (head.Length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return ReadTorchZip(path);
            if (head.Length >= 9 && head[8] == '{') return ReadSafetensors(path, length);
            if (head.Length >= 2 && head[0] == 0x80)
            {
                // A bare pickle: PyTorch's format before 1.6, or no PyTorch file at all. Say which
                // callable it names if it names a dangerous one, before anything else.
                PickleGuard.Check(ReadBounded(path, MaxPickleBytes), path);
                throw new WeightFileException($"{path}: saved in PyTorch's legacy format (before 1.6), which cannot be read here; "
                    + "re-save it in Python with torch.save(torch.load(path), new_path), or export .safetensors.");
            }

            throw new WeightFileException($"{path}: neither a PyTorch state_dict (torch.save writes a zip) nor a .safetensors file.");
        }

        /// <summary>Writes tensors as a .safetensors file (the Hugging Face format: an 8-byte
        /// little-endian header length, a JSON index, then the raw little-endian bytes), atomically:
        /// readers see the old file or the whole new one.</summary>
        /// <param name="metadata">Text entries for <c>__metadata__</c> (e.g. <c>labels</c>), or null.</param>
        public static void WriteSafetensors(string path, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
        {
            var list = tensors.Select(t => new KeyValuePair<string, torch.Tensor>(t.Key, t.Value.detach().cpu().contiguous())).ToList();
            try
            {
                Data.AtomicFile.Write(path, stream => SafetensorsFormat.Write(stream, list, metadata));
            }
            finally
            {
                foreach (var entry in list) entry.Value.Dispose();
            }
        }

        public void Dispose()
        {
            foreach (var entry in Entries) entry.Value.Dispose();
        }

        private static StateDictFile ReadTorchZip(string path)
        {
            IReadOnlyList<string> strings;
            try
            {
                using (var archive = ZipFile.OpenRead(path))
                {
                    var pickles = archive.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) || e.FullName == "data.pkl").ToList();
                    if (pickles.Count != 1)
                    {
                        throw new WeightFileException($"{path}: a zip file but not one torch.save wrote: it has {pickles.Count} data.pkl entries (expected one).");
                    }

                    // The tensors' bytes are stored entries of the archive: what their sizes add
                    // up to is what loading allocates, so it must fit before anything is read.
                    var total = archive.Entries.Aggregate(0L, (sum, e) => sum + Math.Min(long.MaxValue - sum, Math.Max(0, e.Length)));
                    var available = ModelMemory.AvailableBytes();
                    if (total > available)
                    {
                        throw new WeightFileException($"{path}: its entries hold {ModelMemory.Size(total)}, more than the {ModelMemory.Size(available)} of memory available to load them.");
                    }

                    if (pickles[0].Length > MaxPickleBytes)
                    {
                        throw new WeightFileException($"{path}: its pickle is {pickles[0].Length:N0} bytes, more than the {MaxPickleBytes:N0} a state_dict's index needs.");
                    }

                    using var pickle = pickles[0].Open();
                    var bytes = new byte[pickles[0].Length];
                    pickle.ReadExactly(bytes);
                    strings = PickleGuard.Check(bytes, path);
                }
            }
            catch (InvalidDataException e)
            {
                throw new WeightFileException($"{path}: a damaged zip file: {e.Message}", e);
            }

            Hashtable table;
            try
            {
                table = PyTorchUnpickler.UnpickleStateDict(path);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new WeightFileException($"{path}: not a PyTorch state_dict that can be read: {e.Message}", e);
            }

            var entries = new List<KeyValuePair<string, torch.Tensor>>();
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Key is not string key || entry.Value is not torch.Tensor tensor)
                {
                    foreach (DictionaryEntry other in table) (other.Value as IDisposable)?.Dispose();
                    throw new WeightFileException($"{path}: holds a `{entry.Key?.GetType().Name}` -> `{entry.Value?.GetType().Name}` entry; a state_dict maps names to tensors.");
                }

                entries.Add(new(key, tensor));
            }

            // A Hashtable has no order: put the keys back in the order the pickle wrote them.
            var order = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var text in strings) order.TryAdd(text, order.Count);
            entries.Sort((a, b) => order.GetValueOrDefault(a.Key, int.MaxValue).CompareTo(order.GetValueOrDefault(b.Key, int.MaxValue)));
            return new StateDictFile(path, entries, new Dictionary<string, string>());
        }

        private static StateDictFile ReadSafetensors(string path, long length)
        {
            var available = ModelMemory.AvailableBytes();
            if (length > available)
            {
                throw new WeightFileException($"{path}: {ModelMemory.Size(length)}, more than the {ModelMemory.Size(available)} of memory available to load it.");
            }

            SafetensorsFormat.Header header;
            using (var stream = File.OpenRead(path))
            {
                header = SafetensorsFormat.ReadHeader(stream, length, path);
            }

            Dictionary<string, torch.Tensor> tensors;
            try
            {
                tensors = Safetensors.LoadStateDict(path);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new WeightFileException($"{path}: not a .safetensors file that can be read: {e.Message}", e);
            }

            var entries = header.Keys.Select(k => new KeyValuePair<string, torch.Tensor>(k, tensors[k])).ToList();
            return new StateDictFile(path, entries, header.Metadata);
        }

        private static byte[] ReadBounded(string path, long limit)
        {
            using var stream = File.OpenRead(path);
            if (stream.Length > limit) throw new WeightFileException($"{path}: {stream.Length:N0} bytes of pickle, more than the {limit:N0} read.");
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
    }
}
