using TorchSharp;

namespace CnnDsl.Runtime
{
    /// <summary>
    /// A layer whose parameter belongs to the module around it, as torchvision registers
    /// ConvNeXt's <c>layer_scale</c> on <c>CNBlock</c>: its <c>state_dict</c> key is the layer's own
    /// path, not <c>path.weight</c>. The layer is not registered as a submodule; the generated
    /// classes, <see cref="ModuleGroup"/> and the interpreter call <see cref="RegisterOn"/> instead.
    /// </summary>
    public interface IParentParameterLayer
    {
        /// <summary>Registers the layer's parameter on <paramref name="parent"/> under
        /// <paramref name="layerName"/>; the layer reads it from there from then on.</summary>
        /// <exception cref="System.InvalidOperationException">It is registered already, or the
        /// parent has a parameter of that name.</exception>
        void RegisterOn(torch.nn.Module parent, string layerName);
    }
}
