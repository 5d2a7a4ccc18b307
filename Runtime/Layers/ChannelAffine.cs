using System;
using TorchSharp;

namespace CnnDsl.Runtime.Layers
{
    /// <summary>
    /// A fixed per-channel affine map, <c>x * scale[c] + shift[c]</c>, on an N x C x H x W input
    /// (torchvision's <c>transform_input</c> of GoogLeNet and Inception v3). It has no tensors: the
    /// factors are made on the input's device and type at each call (C numbers), so nothing of it
    /// is in the <c>state_dict</c>.
    /// </summary>
    public sealed class ChannelAffine : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        private readonly double[] scale;
        private readonly double[] shift;

        /// <summary>Creates the map.</summary>
        /// <param name="scale">The factor of each channel, C numbers.</param>
        /// <param name="shift">The term added to each channel, C numbers.</param>
        /// <exception cref="ArgumentException">The two lists differ in length or are empty.</exception>
        public ChannelAffine(double[] scale, double[] shift)
            : base(nameof(ChannelAffine))
        {
            ArgumentNullException.ThrowIfNull(scale);
            ArgumentNullException.ThrowIfNull(shift);
            if (scale.Length == 0 || scale.Length != shift.Length)
                throw new ArgumentException($"channel_affine needs one scale and one shift per channel; got {scale.Length} and {shift.Length}");
            this.scale = (double[])scale.Clone();
            this.shift = (double[])shift.Clone();
        }

        /// <inheritdoc/>
        public override torch.Tensor forward(torch.Tensor input)
        {
            using var scope = torch.NewDisposeScope();
            var shape = new long[] { 1, scale.Length, 1, 1 };
            var factors = torch.tensor(scale, dtype: input.dtype, device: input.device).view(shape);
            var terms = torch.tensor(shift, dtype: input.dtype, device: input.device).view(shape);
            return input.mul(factors).add_(terms).MoveToOuterDisposeScope();
        }
    }
}
