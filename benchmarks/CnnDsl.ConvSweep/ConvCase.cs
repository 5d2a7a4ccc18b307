using System;
using System.Globalization;

namespace CnnDsl.ConvSweep;

/// <summary>
/// One float32 convolution to check: input N x C_in x H x W, weight C_out x (C_in / groups) x K x K
/// (transposed: C_in x (C_out / groups) x K x K), padding K / 2 * dilation unless <see cref="Padding"/>.
/// </summary>
public sealed record ConvCase(
    int Batch, int InChannels, int OutChannels, int Size, int Kernel,
    int Stride = 1, int Dilation = 1, int Groups = 1, int? Padding = null, bool Transposed = false)
{
    public int EffectivePadding => Padding ?? Kernel / 2 * Dilation;

    /// <summary>Multiply-adds of the forward pass (an estimate for transposed convolutions).</summary>
    public double MultiplyAdds
    {
        get
        {
            int outSize = Transposed
                ? (Size - 1) * Stride - 2 * EffectivePadding + Dilation * (Kernel - 1) + 1
                : (Size + 2 * EffectivePadding - Dilation * (Kernel - 1) - 1) / Stride + 1;
            int spatial = Transposed ? Size : outSize;
            return (double)Batch * OutChannels * InChannels / Groups * Kernel * Kernel * spatial * spatial;
        }
    }

    public string Kind => Transposed ? "conv_transpose2d" : "conv2d";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Kind} N={Batch} Cin={InChannels} Cout={OutChannels} HxW={Size}x{Size} k={Kernel} s={Stride} d={Dilation} g={Groups} p={EffectivePadding}");

    public string[] Columns() => new[]
    {
        Kind, Batch.ToString(CultureInfo.InvariantCulture), InChannels.ToString(CultureInfo.InvariantCulture),
        OutChannels.ToString(CultureInfo.InvariantCulture), Size.ToString(CultureInfo.InvariantCulture),
        Kernel.ToString(CultureInfo.InvariantCulture), Stride.ToString(CultureInfo.InvariantCulture),
        Dilation.ToString(CultureInfo.InvariantCulture), Groups.ToString(CultureInfo.InvariantCulture),
        EffectivePadding.ToString(CultureInfo.InvariantCulture),
    };

    public static readonly string[] ColumnNames = { "op", "batch", "cin", "cout", "size", "kernel", "stride", "dilation", "groups", "padding" };

    public static ConvCase Parse(string[] cells, int offset = 0)
    {
        int I(int i) => int.Parse(cells[offset + i], CultureInfo.InvariantCulture);
        return new ConvCase(I(1), I(2), I(3), I(4), I(5), I(6), I(7), I(8), I(9), cells[offset] == "conv_transpose2d");
    }
}
