using System;
using System.Collections.Generic;
using System.Linq;

namespace CnnDsl.Export;

/// <summary>The element types a <c>state_dict</c> of a CnnDsl model holds.</summary>
public enum StateElementType
{
    /// <summary>Parameters and most buffers.</summary>
    Float32,

    /// <summary>Batch norm's <c>num_batches_tracked</c>.</summary>
    Int64,
}

/// <summary>One tensor of a <c>state_dict</c> as plain bytes: its shape, its element type and its
/// elements, little-endian, in row-major order. The exporters take weights in this form so that
/// they never need TorchSharp (nor the process that holds libtorch).</summary>
public sealed record StateTensor(IReadOnlyList<long> Shape, StateElementType ElementType, ReadOnlyMemory<byte> Data)
{
    /// <summary>The number of elements, the product of <see cref="Shape"/>.</summary>
    public long Elements => Shape.Aggregate(1L, (a, d) => checked(a * d));

    /// <summary>A float32 tensor made of <paramref name="values"/> (copied).</summary>
    /// <exception cref="ArgumentException">The values are not as many as the shape holds.</exception>
    public static StateTensor FromFloats(IReadOnlyList<long> shape, float[] values)
    {
        var tensor = new StateTensor(shape, StateElementType.Float32, ToBytes(values));
        if (tensor.Elements != values.Length) throw new ArgumentException($"{values.Length} values for the shape [{string.Join(", ", shape)}]", nameof(values));
        return tensor;
    }

    /// <summary>The elements of a float32 tensor.</summary>
    /// <exception cref="InvalidOperationException">The tensor is not float32.</exception>
    public float[] ToFloats()
    {
        if (ElementType != StateElementType.Float32) throw new InvalidOperationException($"the tensor is {ElementType}, not float32");
        var values = new float[Data.Length / sizeof(float)];
        Buffer.BlockCopy(Data.ToArray(), 0, values, 0, Data.Length);
        return values;
    }

    private static byte[] ToBytes(float[] values)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("state tensors are little-endian");
        var bytes = new byte[checked(values.Length * sizeof(float))];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }
}
