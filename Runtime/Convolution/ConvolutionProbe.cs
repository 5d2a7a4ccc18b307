using System;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace CnnDsl.Runtime.Convolution
{
    /// <summary>
    /// One small convolution of the self-test: input N x C x S x S, C -> C channels, a K x K
    /// kernel, stride 1, padding K / 2, with bias. Channel counts above 16 and not a multiple of
    /// 16 and kernels above 1x1 are where libtorch 2.10's oneDNN was measured wrong
    /// (docs/convolution-fault.md).
    /// </summary>
    public sealed class ConvolutionProbe
    {
        /// <summary>Creates a probe.</summary>
        public ConvolutionProbe(int batch, int channels, int size, int kernel)
        {
            Batch = batch;
            Channels = channels;
            Size = size;
            Kernel = kernel;
        }

        /// <summary>N.</summary>
        public int Batch { get; }

        /// <summary>C, input and output channels.</summary>
        public int Channels { get; }

        /// <summary>S, height and width of input and output.</summary>
        public int Size { get; }

        /// <summary>K, the kernel's height and width (odd).</summary>
        public int Kernel { get; }

        /// <summary>Padding on each side, K / 2, so that the output is S x S too.</summary>
        public int Padding => Kernel / 2;

        /// <summary>How the probe reads in a message, e.g. <c>conv2d 2x24x8x8, 3x3 kernel, 24 output channels</c>.</summary>
        public override string ToString() => string.Format(
            CultureInfo.InvariantCulture,
            "conv2d of a {0}x{1}x{2}x{2} input, {3}x{3} kernel, {1} output channels",
            Batch,
            Channels,
            Size,
            Kernel);

        /// <summary>The probe's inputs: deterministic values in [-1, 1] (input, upstream gradient)
        /// and scaled by 1 / sqrt(C K K) (weight), so that no output is near zero by chance and
        /// the torch random generator is left untouched.</summary>
        internal ProbeData Data()
        {
            int inputCount = Batch * Channels * Size * Size;
            int weightCount = Channels * Channels * Kernel * Kernel;
            double scale = 1.0 / Math.Sqrt(Channels * Kernel * Kernel);
            return new ProbeData(
                Values(inputCount, 1, 1.0),
                Values(weightCount, 2, scale),
                Values(Channels, 3, 0.1),
                Values(inputCount, 4, 1.0));
        }

        // A fixed low-discrepancy sequence, rounded to float32 (what the float32 run sees).
        private static float[] Values(int count, int stream, double scale)
        {
            var values = new float[count];
            double step = 0.6180339887498949 + 0.1 * stream;
            double phase = 0.5 / stream;
            for (int i = 0; i < count; i++)
            {
                double unit = (phase + step * i) % 1.0;
                values[i] = (float)((2.0 * unit - 1.0) * scale);
            }

            return values;
        }

        /// <summary>Float64 forward pass and gradients, by the definition of a convolution
        /// (cross-correlation): y[n,o,i,j] = b[o] + sum over c, u, v of x[n,c,i+u-P,j+v-P] w[o,c,u,v],
        /// and the gradients of sum(y g) with respect to x and w.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal ProbeResult Reference(ProbeData data)
        {
            int n = Batch, c = Channels, s = Size, k = Kernel, p = Padding;
            var output = new double[n * c * s * s];
            var inputGrad = new double[n * c * s * s];
            var weightGrad = new double[c * c * k * k];
            for (int b = 0; b < n; b++)
            {
                for (int o = 0; o < c; o++)
                {
                    for (int i = 0; i < s; i++)
                    {
                        for (int j = 0; j < s; j++)
                        {
                            int outIndex = ((b * c + o) * s + i) * s + j;
                            double sum = data.Bias[o];
                            double upstream = data.Upstream[outIndex];
                            for (int ci = 0; ci < c; ci++)
                            {
                                for (int u = 0; u < k; u++)
                                {
                                    int row = i + u - p;
                                    if (row < 0 || row >= s)
                                    {
                                        continue;
                                    }

                                    for (int v = 0; v < k; v++)
                                    {
                                        int column = j + v - p;
                                        if (column < 0 || column >= s)
                                        {
                                            continue;
                                        }

                                        int inIndex = ((b * c + ci) * s + row) * s + column;
                                        int weightIndex = ((o * c + ci) * k + u) * k + v;
                                        double x = data.Input[inIndex];
                                        double w = data.Weight[weightIndex];
                                        sum += x * w;
                                        inputGrad[inIndex] += upstream * w;
                                        weightGrad[weightIndex] += upstream * x;
                                    }
                                }
                            }

                            output[outIndex] = sum;
                        }
                    }
                }
            }

            return new ProbeResult(output, inputGrad, weightGrad);
        }
    }

    /// <summary>A probe's float32 inputs, flat, in NCHW (input, upstream gradient) and OIHW (weight) order.</summary>
    internal sealed class ProbeData
    {
        public ProbeData(float[] input, float[] weight, float[] bias, float[] upstream)
        {
            Input = input;
            Weight = weight;
            Bias = bias;
            Upstream = upstream;
        }

        public float[] Input { get; }

        public float[] Weight { get; }

        public float[] Bias { get; }

        public float[] Upstream { get; }
    }

    /// <summary>A probe's output and gradients, flat, in the order of their inputs.</summary>
    internal sealed class ProbeResult
    {
        public ProbeResult(double[] output, double[] inputGrad, double[] weightGrad)
        {
            Output = output;
            InputGrad = inputGrad;
            WeightGrad = weightGrad;
        }

        public double[] Output { get; }

        public double[] InputGrad { get; }

        public double[] WeightGrad { get; }
    }
}
