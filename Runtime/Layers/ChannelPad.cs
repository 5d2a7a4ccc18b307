using TorchSharp;

namespace CnnDsl.Runtime.Layers
{
    /// <summary>
    /// Adds zero channels before and after its input's: N x C x H x W in,
    /// N x (before + C + after) x H x W out, as PyTorch's <c>F.pad(x, (0, 0, 0, 0, before, after))</c>
    /// (the CIFAR ResNets' parameter-free "option A" shortcut). It has no tensors.
    /// </summary>
    public sealed class ChannelPad : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        /// <summary>Creates the padding.</summary>
        /// <param name="before">Zero channels in front of the input's, at least 0.</param>
        /// <param name="after">Zero channels after the input's, at least 0.</param>
        public ChannelPad(long before, long after)
            : base(nameof(ChannelPad))
        {
            Before = before;
            After = after;
        }

        /// <summary>Zero channels in front of the input's.</summary>
        public long Before { get; }

        /// <summary>Zero channels after the input's.</summary>
        public long After { get; }

        /// <inheritdoc/>
        public override torch.Tensor forward(torch.Tensor input) =>
            torch.nn.functional.pad(input, new[] { 0L, 0L, 0L, 0L, Before, After });
    }
}
