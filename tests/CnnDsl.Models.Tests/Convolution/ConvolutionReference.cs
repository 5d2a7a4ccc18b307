using System;

namespace CnnDsl.Models.Tests.Convolution;

/// <summary>
/// A convolution by its definition, in float64, for checking libtorch (whose float64 path is no
/// oracle for its float32 one: both are libtorch). Forward (cross-correlation, bias added) and
/// the gradients of sum(output * upstream) with respect to input and weight, for conv2d and
/// conv_transpose2d (the transposed convolution scatters each input value through the kernel).
/// Flat arrays, NCHW and the weight layouts of <see cref="ConvolutionShape"/>.
/// </summary>
public static class ConvolutionReference
{
    public static (double[] Output, double[] InputGrad, double[] WeightGrad) Compute(
        ConvolutionShape c, float[] input, float[] weight, float[] bias, float[] upstream)
    {
        int s = c.Size, t = c.OutSize, k = c.Kernel;
        int inPerGroup = c.InChannels / c.Groups, outPerGroup = c.OutChannels / c.Groups;
        var output = new double[c.Batch * c.OutChannels * t * t];
        var inputGrad = new double[input.Length];
        var weightGrad = new double[weight.Length];
        for (int n = 0; n < c.Batch; n++)
        {
            for (int o = 0; o < c.OutChannels; o++)
            {
                for (int p = 0; p < t * t; p++)
                {
                    output[(n * c.OutChannels + o) * t * t + p] = bias[o];
                }
            }
        }

        for (int n = 0; n < c.Batch; n++)
        {
            for (int g = 0; g < c.Groups; g++)
            {
                for (int oi = 0; oi < outPerGroup; oi++)
                {
                    int o = g * outPerGroup + oi;
                    for (int ci = 0; ci < inPerGroup; ci++)
                    {
                        int channel = g * inPerGroup + ci;
                        for (int u = 0; u < k; u++)
                        {
                            for (int v = 0; v < k; v++)
                            {
                                int w = c.Transposed
                                    ? ((channel * outPerGroup + oi) * k + u) * k + v
                                    : ((o * inPerGroup + ci) * k + u) * k + v;
                                Accumulate(c, n, o, channel, u, v, w, input, weight, upstream, output, inputGrad, weightGrad);
                            }
                        }
                    }
                }
            }
        }

        return (output, inputGrad, weightGrad);
    }

    // Every (input position, output position) pair that kernel tap (u, v) connects.
    private static void Accumulate(
        ConvolutionShape c, int n, int o, int channel, int u, int v, int w,
        float[] input, float[] weight, float[] upstream, double[] output, double[] inputGrad, double[] weightGrad)
    {
        int s = c.Size, t = c.OutSize;
        double wv = weight[w];
        for (int i = 0; i < (c.Transposed ? s : t); i++)
        {
            for (int j = 0; j < (c.Transposed ? s : t); j++)
            {
                // conv2d: output (i, j) reads input (i S - P + u D, j S - P + v D);
                // conv_transpose2d: input (i, j) writes output (i S - P + u D, j S - P + v D).
                int row = i * c.Stride - c.Padding + u * c.Dilation;
                int column = j * c.Stride - c.Padding + v * c.Dilation;
                int bound = c.Transposed ? t : s;
                if (row < 0 || row >= bound || column < 0 || column >= bound)
                {
                    continue;
                }

                int inIndex = c.Transposed
                    ? ((n * c.InChannels + channel) * s + i) * s + j
                    : ((n * c.InChannels + channel) * s + row) * s + column;
                int outIndex = c.Transposed
                    ? ((n * c.OutChannels + o) * t + row) * t + column
                    : ((n * c.OutChannels + o) * t + i) * t + j;
                double x = input[inIndex];
                double g = upstream[outIndex];
                output[outIndex] += x * wv;
                inputGrad[inIndex] += g * wv;
                weightGrad[w] += g * x;
            }
        }
    }

    /// <summary>max |actual - expected| / max |expected|; NaN anywhere in actual gives infinity.</summary>
    public static double RelativeError(double[] actual, double[] expected)
    {
        double scale = 0, error = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            double difference = Math.Abs(actual[i] - expected[i]);
            if (!double.IsFinite(difference)) return double.PositiveInfinity;
            error = Math.Max(error, difference);
        }

        return scale == 0 ? error : error / scale;
    }
}
