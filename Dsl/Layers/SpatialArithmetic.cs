namespace CnnDsl.Dsl.Layers;

/// <summary>PyTorch's output-size rules for sliding windows (conv and pooling).</summary>
public static class SpatialArithmetic
{
    public static long EffectiveKernel(long kernel, long dilation) => checked(dilation * (kernel - 1) + 1);

    /// <summary>floor((in + 2p - d(k-1) - 1) / s) + 1, or ceil with PyTorch's rule that the last
    /// window must start inside the input or its left padding. Division rounds toward negative
    /// infinity, as PyTorch's does, so a window larger than its padded input gives 0 or less in
    /// floor mode (and may still give 1 in ceil mode, as in PyTorch); callers report a result
    /// below 1.</summary>
    public static long OutputSize(long input, long kernel, long stride, long padding, long dilation, bool ceilMode)
    {
        var span = checked(input + 2 * padding - EffectiveKernel(kernel, dilation));
        var output = FloorDiv(ceilMode ? checked(span + stride - 1) : span, stride) + 1;
        if (ceilMode && (output - 1) * stride >= input + padding) output--;
        return output;
    }

    private static long FloorDiv(long a, long b)
    {
        var quotient = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient;
    }
}
