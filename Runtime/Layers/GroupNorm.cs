using System;
using TorchSharp;
using TorchSharp.Modules;

namespace CnnDsl.Runtime.Layers
{
    /// <summary>
    /// Group normalisation (Wu and He, 2018) as PyTorch's <c>nn.GroupNorm(groups, channels, eps)</c>:
    /// the channels of each sample split into <c>groups</c> groups, each normalised over its
    /// channels and positions, then scaled by <c>weight</c> and shifted by <c>bias</c>, per channel.
    /// TorchSharp 0.107's own <c>GroupNorm</c> leaves <c>weight</c> and <c>bias</c> uninitialised
    /// (<c>torch.empty</c>, where PyTorch starts them at 1 and 0) and refuses an N x C input, which
    /// PyTorch accepts; this one does neither.
    /// </summary>
    /// <remarks>Tensors (<c>state_dict()</c> keys): <c>weight</c> [C], initialised to 1, and
    /// <c>bias</c> [C], initialised to 0.</remarks>
    public sealed class GroupNorm : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        // The field names equal the registered names, so that Module.to(...) updates them.
        private Parameter weight;
        private Parameter bias;

        private readonly long groups;
        private readonly long channels;
        private readonly double eps;

        /// <summary>Creates the layer.</summary>
        /// <param name="groups">How many groups the channels split into; it divides <paramref name="channels"/>.</param>
        /// <param name="channels">C, the size of dimension 1 of the input.</param>
        /// <param name="eps">Added to each group's variance before its square root.</param>
        /// <exception cref="ArgumentOutOfRangeException">A count is below 1, <paramref name="groups"/>
        /// does not divide <paramref name="channels"/>, or <paramref name="eps"/> is not positive.</exception>
        public GroupNorm(long groups, long channels, double eps = 1e-5)
            : base(nameof(GroupNorm))
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1L);
            ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1L);
            if (channels % groups != 0) throw new ArgumentOutOfRangeException(nameof(groups), groups, $"The groups must divide the {channels} channels.");
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eps);
            this.groups = groups;
            this.channels = channels;
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

        /// <summary>Normalises an N x C x ... input; the output has its shape.</summary>
        /// <exception cref="ArgumentException">Dimension 1 of the input is not C.</exception>
        public override torch.Tensor forward(torch.Tensor input)
        {
            if (input.dim() < 2 || input.shape[1] != channels)
            {
                throw new ArgumentException($"Expected an input of shape [N, {channels}, ...], got [{string.Join(", ", input.shape)}].", nameof(input));
            }

            return torch.nn.functional.group_norm(input, groups, weight, bias, eps);
        }
    }
}
