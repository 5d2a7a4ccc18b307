using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace CnnDsl.Inference;

/// <summary>A float32 tensor in the file format the ONNX child process reads and writes: the
/// bytes <c>CNNT</c>, the rank (int32), each dimension (int64), then the elements (float32),
/// all little-endian, row-major.</summary>
public sealed record TensorFile(long[] Shape, float[] Values)
{
    private static readonly byte[] Magic = "CNNT"u8.ToArray();

    /// <exception cref="InvalidDataException">Not such a file, or its size disagrees with its shape.</exception>
    public static TensorFile Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        if (!reader.ReadBytes(4).SequenceEqual(Magic)) throw new InvalidDataException($"{path}: not a CnnDsl tensor file");
        var rank = reader.ReadInt32();
        if (rank is < 0 or > 8) throw new InvalidDataException($"{path}: rank {rank}");
        var shape = new long[rank];
        for (var i = 0; i < rank; i++) shape[i] = reader.ReadInt64();
        var count = shape.Aggregate(1L, (a, d) => checked(a * d));
        if (count < 0 || reader.BaseStream.Length - reader.BaseStream.Position != checked(count * sizeof(float)))
        {
            throw new InvalidDataException($"{path}: the shape [{string.Join(", ", shape)}] disagrees with the file's size");
        }

        var values = new float[count];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return new TensorFile(shape, values);
    }

    public void Write(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(Magic);
        writer.Write(Shape.Length);
        foreach (var d in Shape) writer.Write(d);
        writer.Write(MemoryMarshal.AsBytes(Values.AsSpan()));
    }

    public static IReadOnlyList<long> ParseShape(string text) => text.Split('x').Select(long.Parse).ToArray();
}
