using System;
using TorchSharp;

namespace CnnDsl.Runtime
{
    /// <summary>
    /// A named container of modules with no forward pass of its own. It exists so that
    /// <c>state_dict()</c> keys nest the way PyTorch's do (<c>features.0.weight</c>) while the
    /// generated code keeps the leaf layers in fields and calls them directly.
    /// </summary>
    /// <remarks>
    /// Register the group on its parent under the group's name (a field of that name picked
    /// up by <c>RegisterComponents()</c>, or <c>register_module(name, group)</c>). The leaf
    /// layers must then be registered through the group only: a leaf that is also a field of
    /// the parent found by <c>RegisterComponents()</c> appears twice in <c>state_dict()</c>.
    /// </remarks>
    public sealed class ModuleGroup : torch.nn.Module
    {
        /// <summary>Creates the group and registers each child under its name.</summary>
        /// <param name="name">The group's name, as its parent registers it (for example <c>features</c>).</param>
        /// <param name="children">The children in order, each with its name within the group (for example <c>0</c>).</param>
        public ModuleGroup(string name, params (string Name, torch.nn.Module Module)[] children)
            : base(name)
        {
            ArgumentNullException.ThrowIfNull(children);
            foreach ((string childName, torch.nn.Module module) in children)
            {
                ArgumentException.ThrowIfNullOrEmpty(childName, nameof(children));
                ArgumentNullException.ThrowIfNull(module, nameof(children));
                Register(this, childName, module);
            }
        }

        /// <summary>Registers a member on <paramref name="parent"/> under <paramref name="name"/>:
        /// as a submodule, or, for a layer whose parameter belongs to its parent
        /// (<see cref="IParentParameterLayer"/>, ConvNeXt's <c>layer_scale</c>), its parameter.</summary>
        public static void Register(torch.nn.Module parent, string name, torch.nn.Module member)
        {
            ArgumentNullException.ThrowIfNull(parent);
            if (member is IParentParameterLayer layer) layer.RegisterOn(parent, name);
            else parent.register_module(name, member);
        }
    }
}
