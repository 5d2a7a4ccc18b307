using System;
using TorchSharp;
using TorchSharp.Modules;

namespace CnnDsl.Runtime.Layers
{
    /// <summary>
    /// Layer normalisation over the channels of an N x C x H x W tensor, at each position: the
    /// C values of one position are normalised to mean 0 and variance 1, then scaled by
    /// <c>weight</c> and shifted by <c>bias</c>. torchvision's <c>LayerNorm2d</c> (ConvNeXt), which
    /// TorchSharp does not have: it permutes to channels-last, applies <c>layer_norm</c> over the
    /// last dimension and permutes back, as torchvision does.
    /// </summary>
    /// <remarks>Tensors (<c>state_dict()</c> keys): <c>weight</c> [C], initialised to 1, and
    /// <c>bias</c> [C], initialised to 0, as <c>nn.LayerNorm</c>'s.</remarks>
    public sealed class LayerNorm2d : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        // The field names equal the registered names, so that Module.to(...) updates them.
        private Parameter weight;
        private Parameter bias;

        private readonly long[] normalizedShape;
        private readonly double eps;

        /// <summary>Creates the layer.</summary>
        /// <param name="channels">C, the size of dimension 1 of the input.</param>
        /// <param name="eps">Added to the variance before its square root (1e-6 in ConvNeXt).</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is less than 1
        /// or <paramref name="eps"/> is not positive.</exception>
        public LayerNorm2d(long channels, double eps = 1e-5)
            : base(nameof(LayerNorm2d))
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1L);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eps);
            normalizedShape = new[] { channels };
            this.eps = eps;
            weight = new Parameter(torch.ones(channels).DetachFromDisposeScope(), requires_grad: true);
            register_parameter(nameof(weight), weight);
            bias = new Parameter(torch.zeros(channels).DetachFromDisposeScope(), requires_grad: true);
            register_parameter(nameof(bias), bias);
        }

        /// <summary>Does nothing: every tensor of this layer is registered explicitly in the
        /// constructor (a parent's <c>RegisterComponents()</c> calls this on its children).</summary>
        protected override void RegisterComponents()
        {
        }

        /// <summary>Normalises an N x C x H x W input; the output has its shape.</summary>
        /// <exception cref="ArgumentException">The input is not 4-D with C channels.</exception>
        public override torch.Tensor forward(torch.Tensor input)
        {
            if (input.dim() != 4 || input.shape[1] != normalizedShape[0])
            {
                throw new ArgumentException(
                    $"Expected an input of shape [N, {normalizedShape[0]}, H, W], got [{string.Join(", ", input.shape)}].", nameof(input));
            }

            using var channelsLast = input.permute(0, 2, 3, 1);
            using var normalized = torch.nn.functional.layer_norm(channelsLast, normalizedShape, weight, bias, eps);
            return normalized.permute(0, 3, 1, 2);
        }
    }
}
