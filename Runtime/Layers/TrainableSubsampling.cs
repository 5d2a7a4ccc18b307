using System;
using TorchSharp;
using TorchSharp.Modules;

namespace CnnDsl.Runtime.Layers
{
    /// <summary>
    /// The sub-sampling layer of LeCun et al. 1998 (LeNet-5's S2 and S4): each map's
    /// non-overlapping kernel x kernel windows are summed, the sum is multiplied by a trainable
    /// coefficient of that map and a trainable bias of that map is added:
    /// <c>y[n, c] = weight[c] * sum(window of x[n, c]) + bias[c]</c>. The squashing function is a
    /// separate layer (<see cref="ScaledTanh"/>).
    /// </summary>
    /// <remarks>
    /// <para>Tensors (<c>state_dict()</c> keys): <c>weight</c> [channels] and <c>bias</c>
    /// [channels]; 2 * channels parameters (S2: 12, S4: 32).</para>
    /// <para>The window sum is <c>avg_pool2d</c> with <c>divisor_override = 1</c> (no padding,
    /// floor mode), so it is a true sum, not an average rescaled.</para>
    /// <para>Initialisation: <c>weight</c> ~ uniform(-2.4/F, 2.4/F) with F = kernel * kernel, the
    /// fan-in of a sub-sampling unit (the paper's Appendix C rule); <c>bias</c> = 0.</para>
    /// </remarks>
    public sealed class TrainableSubsampling : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        // The field names equal the registered names, so that Module.to(...) updates them.
        private Parameter weight;
        private Parameter bias;

        private readonly long channels;
        private readonly long[] kernel;
        private readonly long[] stride;

        /// <summary>Creates the layer.</summary>
        /// <param name="channels">Number of maps (each has its own coefficient and bias).</param>
        /// <param name="kernel">Side of the square window that is summed.</param>
        /// <param name="stride">Step between windows (equal to <paramref name="kernel"/> in the paper).</param>
        /// <exception cref="ArgumentOutOfRangeException">A size is less than 1.</exception>
        public TrainableSubsampling(long channels, long kernel = 2, long stride = 2)
            : base(nameof(TrainableSubsampling))
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1L);
            ArgumentOutOfRangeException.ThrowIfLessThan(kernel, 1L);
            ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1L);
            this.channels = channels;
            this.kernel = new[] { kernel, kernel };
            this.stride = new[] { stride, stride };

            double bound = 2.4 / (kernel * kernel);
            using (torch.no_grad())
            {
                var w = torch.rand(channels).mul_(2 * bound).sub_(bound).DetachFromDisposeScope();
                weight = new Parameter(w, requires_grad: true);
                register_parameter(nameof(weight), weight);
                var b = torch.zeros(channels).DetachFromDisposeScope();
                bias = new Parameter(b, requires_grad: true);
                register_parameter(nameof(bias), bias);
            }
        }

        /// <summary>Number of maps.</summary>
        public long Channels => channels;

        /// <summary>Does nothing: every tensor of this layer is registered explicitly in the
        /// constructor. A parent's <c>RegisterComponents()</c> calls this on its children, and the
        /// default would register private tensor fields as buffers.</summary>
        protected override void RegisterComponents()
        {
        }

        /// <inheritdoc/>
        public override torch.Tensor forward(torch.Tensor input)
        {
            if (input.dim() != 4 || input.shape[1] != channels)
            {
                throw new ArgumentException(
                    $"Expected an input of shape [N, {channels}, H, W], got [{string.Join(", ", input.shape)}].", nameof(input));
            }

            using var sum = torch.nn.functional.avg_pool2d(input, kernel, stride, divisor_override: 1);
            using var w = weight.view(1, channels, 1, 1);
            using var b = bias.view(1, channels, 1, 1);
            using var scaled = sum.mul(w);
            return scaled.add(b);
        }
    }
}
