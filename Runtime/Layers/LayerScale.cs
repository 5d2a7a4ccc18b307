using System;
using TorchSharp;
using TorchSharp.Modules;

namespace CnnDsl.Runtime.Layers
{
    /// <summary>
    /// A learnable per-channel scale that multiplies an N x C x H x W input (ConvNeXt's
    /// <c>layer_scale</c>, <c>C x 1 x 1</c>, every element starting at the given value). As in
    /// torchvision, the parameter belongs to the module around the layer: <see cref="RegisterOn"/>
    /// registers it there under the layer's name, so its <c>state_dict</c> key is the layer's own
    /// path (<c>features.1.0.layer_scale</c>), and this module itself is not registered.
    /// </summary>
    public sealed class LayerScale : torch.nn.Module<torch.Tensor, torch.Tensor>, IParentParameterLayer
    {
        private readonly Parameter initial;
        private torch.nn.Module? owner;
        private string? registeredName;

        /// <summary>Creates the scale.</summary>
        /// <param name="channels">C, the size of dimension 1 of the input.</param>
        /// <param name="init">The starting value of every element (1e-6 in ConvNeXt).</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is less than 1.</exception>
        public LayerScale(long channels, double init = 1e-6)
            : base(nameof(LayerScale))
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1L);
            initial = new Parameter(torch.full(new[] { channels, 1L, 1L }, init).DetachFromDisposeScope(), requires_grad: true);
        }

        /// <summary>The parameter, <c>C x 1 x 1</c>: the one registered on the owner, looked up by
        /// name each time so that it is the current one after the owner's <c>to(...)</c> replaced it.</summary>
        public Parameter Scale => owner?.get_parameter(registeredName!) ?? initial;

        /// <inheritdoc/>
        public void RegisterOn(torch.nn.Module parent, string layerName)
        {
            ArgumentNullException.ThrowIfNull(parent);
            ArgumentException.ThrowIfNullOrEmpty(layerName);
            if (owner is not null) throw new InvalidOperationException($"This layer scale is registered already, as `{registeredName}`.");
            parent.register_parameter(layerName, initial);
            owner = parent;
            registeredName = layerName;
        }

        /// <summary>Does nothing: the parameter belongs to the owner, not to this module.</summary>
        protected override void RegisterComponents()
        {
        }

        /// <summary>The input times the scale, broadcast over height and width; same shape.</summary>
        public override torch.Tensor forward(torch.Tensor input) => input.mul(Scale);
    }
}
