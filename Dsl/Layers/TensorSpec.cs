using System.Collections.Generic;
using System.Linq;

namespace CnnDsl.Dsl.Layers;

public enum TensorRole
{
    /// <summary>Trained by the optimiser: appears in <c>parameters()</c>.</summary>
    Parameter,

    /// <summary>State that is saved but not trained, such as batch norm's running statistics.</summary>
    Buffer,
}

/// <summary>One tensor a layer owns, with the name it has in a <c>state_dict</c>: its key is the
/// layer's path, a dot and <see cref="Name"/>, or the layer's path alone when the name is empty
/// (a parameter-only layer such as <c>layer_scale</c>, whose parameter belongs to the module
/// around it: <see cref="ModuleRegistration.ParentParameter"/>).</summary>
public sealed record TensorSpec(string Name, IReadOnlyList<long> Shape, TensorRole Role)
{
    public long Elements => Shape.Aggregate(1L, (a, d) => checked(a * d));

    /// <summary>The tensor's <c>state_dict</c> key for a layer at <paramref name="layerPath"/>.</summary>
    public string KeyAt(string layerPath) => Name.Length == 0 ? layerPath : layerPath + "." + Name;

    public static TensorSpec Parameter(string name, params long[] shape) => new(name, shape, TensorRole.Parameter);
    public static TensorSpec Buffer(string name, params long[] shape) => new(name, shape, TensorRole.Buffer);
}
