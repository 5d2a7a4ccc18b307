using System;
using TorchSharp;

namespace CnnDsl.Runtime.Layers
{
    /// <summary>What <see cref="StochasticDepth"/> drops at once.</summary>
    public enum StochasticDepthMode
    {
        /// <summary>Each sample of the batch on its own (torchvision's <c>"row"</c>).</summary>
        Row,

        /// <summary>The whole batch together (torchvision's <c>"batch"</c>).</summary>
        Batch,
    }

    /// <summary>
    /// torchvision's <c>StochasticDepth</c> (Huang et al., 2016, "Deep Networks with Stochastic
    /// Depth"), which TorchSharp does not have. In eval mode, or with p = 0, it returns its input.
    /// In training it multiplies the input by a noise tensor: per sample (<see cref="StochasticDepthMode.Row"/>)
    /// or for the whole batch (<see cref="StochasticDepthMode.Batch"/>), 0 with probability p and
    /// 1 / (1 - p) otherwise (0 everywhere when p = 1), so the expected output is the input. It
    /// has no tensors.
    /// </summary>
    public sealed class StochasticDepth : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        /// <summary>Creates the layer.</summary>
        /// <param name="p">The probability that a sample (or the batch) is zeroed, from 0 to 1.</param>
        /// <param name="mode">Whether samples are dropped one by one or all together.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
        public StochasticDepth(double p, StochasticDepthMode mode = StochasticDepthMode.Row)
            : base(nameof(StochasticDepth))
        {
            if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "The drop probability must be between 0 and 1.");
            Probability = p;
            Mode = mode;
        }

        /// <summary>The probability that a sample (or the batch) is zeroed in training.</summary>
        public double Probability { get; }

        /// <summary>Whether samples are dropped one by one or all together.</summary>
        public StochasticDepthMode Mode { get; }

        /// <summary>The input (eval mode), or the input times the noise (training); same shape.</summary>
        public override torch.Tensor forward(torch.Tensor input)
        {
            if (!training || Probability == 0) return input;
            var survival = 1.0 - Probability;
            var size = new long[input.dim()];
            Array.Fill(size, 1L);
            if (Mode == StochasticDepthMode.Row) size[0] = input.shape[0];
            using var noise = torch.empty(size, dtype: input.dtype, device: input.device).bernoulli_(survival);
            if (survival > 0) noise.div_(survival);
            return input.mul(noise);
        }
    }
}
