using System.Collections.Generic;

namespace CnnDsl.Dsl.Layers;

/// <summary>Where the module a recipe builds comes from.</summary>
public enum ModuleSource
{
    /// <summary>A factory of <c>TorchSharp.torch.nn</c>: <c>torch.nn.Conv2d(...)</c>; the module
    /// type is <c>TorchSharp.Modules.{TypeName}</c>.</summary>
    TorchSharp,

    /// <summary>A constructor of <c>CnnDsl.Runtime.Layers.{TypeName}</c> (LeNet-5's own layers).</summary>
    Runtime,
}

/// <summary>How the module a recipe builds is registered on the module that contains the layer.</summary>
public enum ModuleRegistration
{
    /// <summary>As a submodule under the layer's name: its tensors are <c>name.weight</c>, ... (every
    /// layer but the parameter-only ones).</summary>
    Submodule,

    /// <summary>Its one parameter is registered on the containing module under the layer's name,
    /// and the module itself is not registered: the <c>state_dict</c> key is the layer's own path
    /// (ConvNeXt's <c>features.1.0.layer_scale</c>). Such a module implements
    /// <c>CnnDsl.Runtime.IParentParameterLayer</c>, and the spec names its tensor "".</summary>
    ParentParameter,
}

/// <summary>An enum member argument, such as <c>UpsampleMode.Bilinear</c>.</summary>
public sealed record EnumArgument(string EnumType, string Member);

/// <summary>One argument of a recipe: positional when <see cref="Name"/> is null. The value is a
/// long, double, bool, <see cref="Pair"/> (a height/width tuple), long[], double[], int[][] or
/// <see cref="EnumArgument"/>.</summary>
public sealed record RecipeArgument(string? Name, object Value);

/// <summary>How to build the TorchSharp module of one layer, as data: the generator prints it
/// as C#, the runtime interpreter calls it. One description serves both, so a new layer kind
/// is taught to both in one place.</summary>
public sealed record ModuleRecipe(ModuleSource Source, string TypeName, IReadOnlyList<RecipeArgument> Arguments)
{
    public ModuleRegistration Registration { get; init; } = ModuleRegistration.Submodule;
}
