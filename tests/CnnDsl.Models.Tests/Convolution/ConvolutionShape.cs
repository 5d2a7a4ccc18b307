using System.Globalization;

namespace CnnDsl.Models.Tests.Convolution;

/// <summary>A 2-d convolution to check: input N x C_in x S x S, weight C_out x C_in/groups x K x K
/// (transposed: C_in x C_out/groups x K x K), square stride, padding and dilation.</summary>
public sealed record ConvolutionShape(
    int Batch, int InChannels, int OutChannels, int Size, int Kernel,
    int Stride = 1, int Padding = 0, int Dilation = 1, int Groups = 1, bool Transposed = false)
{
    public int OutSize => Transposed
        ? (Size - 1) * Stride - 2 * Padding + Dilation * (Kernel - 1) + 1
        : (Size + 2 * Padding - Dilation * (Kernel - 1) - 1) / Stride + 1;

    public long[] InputShape => new long[] { Batch, InChannels, Size, Size };

    public long[] OutputShape => new long[] { Batch, OutChannels, OutSize, OutSize };

    public long[] WeightShape => Transposed
        ? new long[] { InChannels, OutChannels / Groups, Kernel, Kernel }
        : new long[] { OutChannels, InChannels / Groups, Kernel, Kernel };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{(Transposed ? "conv_transpose2d" : "conv2d")} {Batch}x{InChannels}x{Size}x{Size} -> {OutChannels}, {Kernel}x{Kernel}, stride {Stride}, padding {Padding}, dilation {Dilation}, groups {Groups}");
}
