using System;
using TorchSharp;

namespace CnnDsl.Runtime.Layers
{
    /// <summary>
    /// torchvision's <c>Permute</c>, which TorchSharp does not have: the input's dimensions in
    /// another order, batch dimension included (ConvNeXt: <c>(0, 2, 3, 1)</c> to channels-last,
    /// <c>(0, 3, 1, 2)</c> back). The output is a view of the input. It has no tensors.
    /// </summary>
    public sealed class Permute : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        private readonly long[] dims;

        /// <summary>Creates the layer.</summary>
        /// <param name="dims">For each output dimension, the input dimension it is.</param>
        /// <exception cref="ArgumentException"><paramref name="dims"/> is not a permutation of 0 to n - 1.</exception>
        public Permute(long[] dims)
            : base(nameof(Permute))
        {
            ArgumentNullException.ThrowIfNull(dims);
            var sorted = (long[])dims.Clone();
            Array.Sort(sorted);
            for (var i = 0; i < sorted.Length; i++)
            {
                if (sorted[i] != i) throw new ArgumentException($"({string.Join(", ", dims)}) is not a permutation of 0 to {dims.Length - 1}.", nameof(dims));
            }

            this.dims = (long[])dims.Clone();
        }

        /// <summary>For each output dimension, the input dimension it is.</summary>
        public ReadOnlySpan<long> Dims => dims;

        /// <summary>A view of the input with its dimensions permuted.</summary>
        public override torch.Tensor forward(torch.Tensor input) => input.permute(dims);
    }
}
