using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using CnnDsl.Runtime.Data;
using TorchSharp;

namespace CnnDsl.Runtime.Training
{
    /// <summary>One tensor of a checkpoint, held as bytes (independent of any module).</summary>
    public sealed class StoredTensor
    {
        public StoredTensor(string name, torch.ScalarType type, long[] shape, byte[] data)
        {
            Name = name;
            Type = type;
            Shape = shape;
            Data = data;
        }

        /// <summary>Its <c>state_dict</c> key, such as <c>features.0.weight</c>.</summary>
        public string Name { get; }

        public torch.ScalarType Type { get; }
        public long[] Shape { get; }

        /// <summary>Its elements, little-endian, row-major.</summary>
        public byte[] Data { get; }

        /// <summary>The elements in all.</summary>
        public long Elements => Shape.Aggregate(1L, (a, b) => a * b);

        /// <summary>A new CPU tensor holding the values.</summary>
        public torch.Tensor ToTensor()
        {
            var tensor = torch.empty(Shape, Type);
            tensor.bytes = Data;
            return tensor;
        }

        /// <summary>"[6, 1, 5, 5]".</summary>
        public string ShapeText => FormatShape(Shape);

        public static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
    }

    /// <summary>
    /// A trained (or initialised) model on disk: every tensor of its <c>state_dict</c> under its
    /// name, the optimizer's state (to resume), and what produced it (as JSON: the model, the
    /// epoch, the options, the metrics of every epoch).
    /// </summary>
    /// <remarks>
    /// <para>The file, all integers little-endian: the 8 bytes <c>CNNDSLCK</c>; the format version
    /// (uint32, 1); the metadata as UTF-8 JSON (int32 length, bytes); the tensor count (int32), then
    /// per tensor its name (int32 length, UTF-8), its TorchSharp <c>ScalarType</c> (int32), its rank
    /// (int32), its sizes (int64 each), its byte count (int64) and its bytes; the optimizer state
    /// (int64 length, 0 for none, then the bytes TorchSharp's <c>save_state_dict</c> writes); and
    /// last the SHA-256 of everything before it (32 bytes), so a truncated or damaged file is
    /// recognised as such.</para>
    /// <para>Files are written with <see cref="AtomicFile"/>: a failure or a kill while saving
    /// leaves the previous file as it was. Loading into a model first checks every tensor's name,
    /// type and shape, and changes nothing unless all fit.</para>
    /// </remarks>
    public sealed class Checkpoint
    {
        private static readonly byte[] Magic = Encoding.ASCII.GetBytes("CNNDSLCK");
        private const uint Version = 1;
        private const int HashLength = 32;

        public Checkpoint(CheckpointInfo info, IReadOnlyList<StoredTensor> tensors, byte[]? optimizerState = null)
        {
            ArgumentNullException.ThrowIfNull(info);
            ArgumentNullException.ThrowIfNull(tensors);
            var duplicate = tensors.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null) throw new ArgumentException($"two tensors named `{duplicate.Key}`", nameof(tensors));
            Info = info;
            Tensors = tensors;
            OptimizerState = optimizerState;
        }

        public CheckpointInfo Info { get; }
        public IReadOnlyList<StoredTensor> Tensors { get; }

        /// <summary>The file it was loaded from (null for one made in memory).</summary>
        public string? FilePath { get; private set; }

        /// <summary>The optimizer's state as <c>save_state_dict</c> wrote it; null if not saved.</summary>
        public byte[]? OptimizerState { get; }

        /// <summary>The tensor with this name, or null.</summary>
        public StoredTensor? Find(string name) => Tensors.FirstOrDefault(t => t.Name == name);

        /// <summary>A copy of every tensor of the module's <c>state_dict</c>, in its order.</summary>
        public static Checkpoint Capture(torch.nn.Module module, CheckpointInfo info, torch.optim.Optimizer? optimizer = null)
        {
            ArgumentNullException.ThrowIfNull(module);
            var tensors = new List<StoredTensor>();
            foreach (var (name, tensor) in module.state_dict())
            {
                using var scope = torch.NewDisposeScope();
                var cpu = tensor.detach().cpu().contiguous();
                tensors.Add(new StoredTensor(name, cpu.dtype, cpu.shape, cpu.bytes.ToArray()));
            }

            byte[]? state = null;
            if (optimizer is TorchSharp.Modules.OptimizerHelper helper)
            {
                using var memory = new MemoryStream();
                using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
                {
                    helper.save_state_dict(writer);
                }

                state = memory.ToArray();
            }

            return new Checkpoint(info, tensors, state);
        }

        /// <summary>Writes the checkpoint atomically (see <see cref="AtomicFile"/>).</summary>
        /// <param name="path">The file to create or replace.</param>
        /// <param name="wrap">For tests: wraps the stream written to (to simulate a failure part-way).</param>
        public void Save(string path, Func<Stream, Stream>? wrap = null) =>
            AtomicFile.Write(path, stream =>
            {
                using var hashing = new HashingStream(stream);
                using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
                {
                    writer.Write(Magic);
                    writer.Write(Version);
                    WriteBlock(writer, Encoding.UTF8.GetBytes(Info.ToJson()));
                    writer.Write(Tensors.Count);
                    foreach (var tensor in Tensors)
                    {
                        WriteBlock(writer, Encoding.UTF8.GetBytes(tensor.Name));
                        writer.Write((int)tensor.Type);
                        writer.Write(tensor.Shape.Length);
                        foreach (var size in tensor.Shape) writer.Write(size);
                        writer.Write((long)tensor.Data.Length);
                        writer.Write(tensor.Data);
                    }

                    writer.Write((long)(OptimizerState?.Length ?? 0));
                    if (OptimizerState is not null) writer.Write(OptimizerState);
                }

                stream.Write(hashing.Hash());
            }, wrap);

        /// <summary>Reads a checkpoint, checking its structure and checksum. Nothing is allocated
        /// for its content before the file has shown it is one: the magic number is read first (so
        /// <c>/dev/zero</c> or a file of another kind is refused after 8 bytes), then its length is
        /// compared with the memory available, its SHA-256 trailer checked in one pass that keeps
        /// nothing, and only then is it parsed, every declared length checked against what is left
        /// of the file before its bytes are read.</summary>
        /// <exception cref="CheckpointException">The file is missing, truncated, damaged, too large
        /// for the memory available, or not a checkpoint.</exception>
        public static Checkpoint Load(string path)
        {
            if (Directory.Exists(path)) throw new CheckpointException(path, "is a folder, not a checkpoint");
            if (!File.Exists(path)) throw new CheckpointException(path, "checkpoint not found");
            try
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                return Load(file, path);
            }
            catch (Exception e) when (e is IOException and not CheckpointException or UnauthorizedAccessException or NotSupportedException)
            {
                throw new CheckpointException(path, $"cannot be read: {e.Message}", e);
            }
        }

        private static Checkpoint Load(FileStream file, string path)
        {
            var head = new byte[Magic.Length];
            var got = 0;
            while (got < head.Length)
            {
                var read = file.Read(head, got, head.Length - got);
                if (read == 0) break;
                got += read;
            }

            if (got < Magic.Length || !head.AsSpan().SequenceEqual(Magic))
            {
                throw new CheckpointException(path, "not a CnnDsl checkpoint (it does not start with CNNDSLCK)");
            }

            // A device or a pipe that starts like a checkpoint has no length to check against.
            if (!file.CanSeek || file.Length == 0) throw new CheckpointException(path, "not a regular file; copy the checkpoint to a file first");
            var length = file.Length;
            if (length < Magic.Length + 4 + HashLength)
            {
                throw new CheckpointException(path, $"truncated: {length} bytes is shorter than any checkpoint");
            }

            var available = ModelMemory.AvailableBytes();
            if (length > available)
            {
                throw new CheckpointException(path,
                    $"is {ModelMemory.Size(length)}, more than the {ModelMemory.Size(available)} of memory available to load it (is it a checkpoint of a much larger model?)");
            }

            var bodyLength = length - HashLength;
            file.Position = 0;
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[1 << 16];
                for (long done = 0; done < bodyLength;)
                {
                    var read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, bodyLength - done));
                    if (read == 0) throw new CheckpointException(path, "truncated: the file got shorter while it was read");
                    hash.AppendData(buffer, 0, read);
                    done += read;
                }

                var trailer = new byte[HashLength];
                file.ReadExactly(trailer);
                if (!hash.GetHashAndReset().AsSpan().SequenceEqual(trailer))
                {
                    throw new CheckpointException(path, "truncated or damaged: its SHA-256 trailer does not match its content (was the write interrupted, or the file copied partly?)");
                }
            }

            try
            {
                file.Position = 0;
                using var reader = new BinaryReader(file, Encoding.UTF8, leaveOpen: true);
                long Left() => bodyLength - reader.BaseStream.Position;
                reader.ReadBytes(Magic.Length);
                var version = reader.ReadUInt32();
                if (version != Version) throw new CheckpointException(path, $"format version {version}; this cnn reads version {Version}");
                var info = CheckpointInfo.FromJson(Encoding.UTF8.GetString(ReadBlock(reader, Left())));
                var count = reader.ReadInt32();
                if (count < 0 || count > Left()) throw new InvalidDataException($"tensor count {count}");
                var tensors = new List<StoredTensor>(count);
                for (var i = 0; i < count; i++)
                {
                    var name = Encoding.UTF8.GetString(ReadBlock(reader, Left()));
                    var type = (torch.ScalarType)reader.ReadInt32();
                    var rank = reader.ReadInt32();
                    if (rank < 0 || rank > 16) throw new InvalidDataException($"tensor `{name}` has rank {rank}");
                    var shape = new long[rank];
                    for (var d = 0; d < rank; d++)
                    {
                        shape[d] = reader.ReadInt64();
                        if (shape[d] < 0) throw new InvalidDataException($"tensor `{name}` has a negative size");
                    }

                    var byteCount = reader.ReadInt64();
                    var elements = shape.Aggregate(1L, (a, b) => checked(a * b));
                    if (byteCount < 0 || byteCount > Left() || byteCount > Array.MaxLength || byteCount != checked(elements * ElementSize(type, name)))
                    {
                        throw new InvalidDataException($"tensor `{name}` {StoredTensor.FormatShape(shape)} of {type} declares {byteCount} bytes ({Left()} left in the file)");
                    }

                    tensors.Add(new StoredTensor(name, type, shape, ReadExactly(reader, byteCount)));
                }

                var stateLength = reader.ReadInt64();
                if (stateLength < 0 || stateLength > Left() || stateLength > Array.MaxLength) throw new InvalidDataException($"optimizer state of {stateLength} bytes ({Left()} left in the file)");
                var state = stateLength == 0 ? null : ReadExactly(reader, stateLength);
                if (Left() != 0) throw new InvalidDataException($"{Left()} bytes after the optimizer state");
                return new Checkpoint(info, tensors, state) { FilePath = path };
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or OverflowException or System.Text.Json.JsonException or ArgumentException or KeyNotFoundException or InvalidOperationException)
            {
                throw new CheckpointException(path, $"damaged: {e.Message}", e);
            }
        }

        private static byte[] ReadExactly(BinaryReader reader, long count)
        {
            var bytes = reader.ReadBytes((int)count);
            if (bytes.Length != count) throw new EndOfStreamException();
            return bytes;
        }

        /// <summary>
        /// Copies every tensor into the module's <c>state_dict</c>, after checking that the two have
        /// exactly the same names, types and shapes. On any difference nothing is copied, and the
        /// exception names the first tensor (in the module's order) that differs and both shapes.
        /// </summary>
        /// <exception cref="CheckpointMismatchException">The checkpoint is of a different architecture.</exception>
        public void LoadInto(torch.nn.Module module, string? path = null, string? modelName = null)
        {
            ArgumentNullException.ThrowIfNull(module);
            var target = module.state_dict();
            var mismatch = FirstMismatch(target);
            if (mismatch is not null)
            {
                throw new CheckpointMismatchException(path ?? "checkpoint", Info.Model, modelName ?? module.GetName(), mismatch);
            }

            using var noGrad = torch.no_grad();
            foreach (var (name, tensor) in target)
            {
                using var source = Find(name)!.ToTensor();
                tensor.copy_(source);
            }
        }

        /// <summary>The first difference between this checkpoint and a state_dict, or null if they fit.</summary>
        public TensorMismatch? FirstMismatch(IDictionary<string, torch.Tensor> target)
        {
            foreach (var (name, tensor) in target)
            {
                var stored = Find(name);
                if (stored is null) return new TensorMismatch(name, null, tensor.shape, "is not in the checkpoint");
                if (!stored.Shape.SequenceEqual(tensor.shape)) return new TensorMismatch(name, stored.Shape, tensor.shape, "has a different shape");
                if (stored.Type != tensor.dtype) return new TensorMismatch(name, stored.Shape, tensor.shape, $"is {stored.Type} in the checkpoint but {tensor.dtype} in the model");
            }

            var extra = Tensors.FirstOrDefault(t => !target.ContainsKey(t.Name));
            return extra is null ? null : new TensorMismatch(extra.Name, extra.Shape, null, "is not in the model");
        }

        /// <summary>The first difference between this checkpoint and a model's tensors as its
        /// analysis lists them (names and shapes, no types), or null if they fit. Needs no module.</summary>
        public TensorMismatch? FirstMismatch(IEnumerable<(string Name, IReadOnlyList<long> Shape)> expected)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, shape) in expected)
            {
                names.Add(name);
                var stored = Find(name);
                if (stored is null) return new TensorMismatch(name, null, shape.ToArray(), "is not in the checkpoint");
                if (!stored.Shape.SequenceEqual(shape)) return new TensorMismatch(name, stored.Shape, shape.ToArray(), "has a different shape");
            }

            var extra = Tensors.FirstOrDefault(t => !names.Contains(t.Name));
            return extra is null ? null : new TensorMismatch(extra.Name, extra.Shape, null, "is not in the model");
        }

        /// <summary>Restores the optimizer's state, if the checkpoint has one.</summary>
        /// <param name="optimizer">The optimizer, of the kind that saved the state.</param>
        /// <param name="path">The checkpoint's file, for the message.</param>
        /// <exception cref="CheckpointException">The state cannot be read into this optimizer
        /// ("damaged: optimizer state"). TorchSharp's own messages are not passed on: reading
        /// damaged bytes as names puts those bytes in them.</exception>
        public bool RestoreOptimizer(torch.optim.Optimizer optimizer, string? path = null)
        {
            if (OptimizerState is null || optimizer is not TorchSharp.Modules.OptimizerHelper helper) return false;
            try
            {
                using var reader = new BinaryReader(new MemoryStream(OptimizerState, writable: false), Encoding.UTF8);
                helper.load_state_dict(reader);
                if (reader.BaseStream.Position != OptimizerState.Length) throw new InvalidDataException("bytes left over");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var kind = Info.Options?.Optimizer.ToString().ToLowerInvariant() ?? "optimizer";
                throw new CheckpointException(path ?? FilePath ?? "checkpoint",
                    $"damaged: optimizer state ({OptimizerState.Length:N0} bytes that do not read as {kind}'s state for this model: {e.GetType().Name}); train without --resume, or resume another checkpoint", e);
            }

            return true;
        }

        private static int ElementSize(torch.ScalarType type, string name) => type switch
        {
            torch.ScalarType.Byte or torch.ScalarType.Int8 or torch.ScalarType.Bool => 1,
            torch.ScalarType.Int16 or torch.ScalarType.Float16 or torch.ScalarType.BFloat16 => 2,
            torch.ScalarType.Int32 or torch.ScalarType.Float32 => 4,
            torch.ScalarType.Int64 or torch.ScalarType.Float64 => 8,
            _ => throw new InvalidDataException($"tensor `{name}` has the unsupported type {(int)type}"),
        };

        private static void WriteBlock(BinaryWriter writer, byte[] bytes)
        {
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }

        private static byte[] ReadBlock(BinaryReader reader, long limit)
        {
            var length = reader.ReadInt32();
            if (length < 0 || length > limit) throw new InvalidDataException($"a block of {length} bytes");
            var bytes = reader.ReadBytes(length);
            if (bytes.Length != length) throw new EndOfStreamException();
            return bytes;
        }

        /// <summary>Passes writes through and hashes them.</summary>
        private sealed class HashingStream : Stream
        {
            private readonly Stream inner;
            private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

            public HashingStream(Stream inner) => this.inner = inner;

            public byte[] Hash() => hash.GetHashAndReset();

            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() => inner.Flush();
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

            public override void Write(ReadOnlySpan<byte> buffer)
            {
                hash.AppendData(buffer);
                inner.Write(buffer);
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing) hash.Dispose();
                base.Dispose(disposing);
            }
        }
    }

    /// <summary>How a checkpoint and a model differ at one tensor.</summary>
    public sealed record TensorMismatch(string Name, long[]? CheckpointShape, long[]? ModelShape, string Problem)
    {
        public override string ToString()
        {
            var inCheckpoint = CheckpointShape is null ? "absent" : StoredTensor.FormatShape(CheckpointShape);
            var inModel = ModelShape is null ? "absent" : StoredTensor.FormatShape(ModelShape);
            return $"tensor `{Name}` {Problem}: checkpoint {inCheckpoint}, model {inModel}";
        }
    }

    /// <summary>A checkpoint file that cannot be used: missing, truncated, damaged.</summary>
    public class CheckpointException : IOException
    {
        public CheckpointException(string path, string problem, Exception? inner = null)
            : base($"{path}: {problem}", inner)
        {
            FilePath = path;
        }

        public string FilePath { get; }
    }

    /// <summary>A checkpoint of a different architecture than the model it was loaded into. The
    /// model was left unchanged.</summary>
    public sealed class CheckpointMismatchException : CheckpointException
    {
        public CheckpointMismatchException(string path, string checkpointModel, string model, TensorMismatch mismatch)
            : base(path, $"does not fit {model} (it holds {checkpointModel}): {mismatch}; nothing was loaded")
        {
            Mismatch = mismatch;
        }

        public TensorMismatch Mismatch { get; }
    }
}
