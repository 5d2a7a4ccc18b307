namespace CnnDsl.Dsl.Layers;

/// <summary>PyTorch's output-size rules for sliding windows (conv and pooling).</summary>
public static class SpatialArithmetic
{
    public static long EffectiveKernel(long kernel, long dilation) => checked(dilation * (kernel - 1) + 1);

    /// <summary>floor((in + 2p - d(k-1) - 1) / s) + 1, or ceil with PyTorch's rule that the last
    /// window must start inside the input or its left padding.</summary>
    public static long OutputSize(long input, long kernel, long stride, long padding, long dilation, bool ceilMode)
    {
        var span = checked(input + 2 * padding - EffectiveKernel(kernel, dilation));
        if (span < 0) return 0;
        var output = ceilMode ? CeilDiv(span, stride) + 1 : span / stride + 1;
        if (ceilMode && (output - 1) * stride >= input + padding) output--;
        return output;
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
