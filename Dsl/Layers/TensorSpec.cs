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

/// <summary>What one element of a tensor is.</summary>
public enum ElementType
{
    /// <summary>The model's floating-point type: float32 as built, float16 or bfloat16 after
    /// <c>model.half()</c> or <c>model.to(dtype)</c>, which convert every floating tensor.</summary>
    Float,

    /// <summary>A 64-bit integer (8 bytes) whatever the model's type: batch norm's
    /// <c>num_batches_tracked</c>, which <c>model.to(dtype)</c> leaves as it is (torch.nn.BatchNorm2d).</summary>
    Int64,
}

/// <summary>One tensor a layer owns, with the name it has in a <c>state_dict</c> and its element
/// type: its key is the layer's path, a dot and <see cref="Name"/>, or the layer's path alone when
/// the name is empty (a parameter-only layer such as <c>layer_scale</c>, whose parameter belongs
/// to the module around it: <see cref="ModuleRegistration.ParentParameter"/>).</summary>
public sealed record TensorSpec(string Name, IReadOnlyList<long> Shape, TensorRole Role, ElementType Type = ElementType.Float)
{
    public long Elements => Shape.Aggregate(1L, (a, d) => checked(a * d));

    /// <summary>Bytes of the tensor when the model's floating type has <paramref name="floatBytes"/>
    /// bytes an element (4 for float32): its own type's size, so an int64 counter is 8 bytes at any
    /// floating type.</summary>
    public long Bytes(int floatBytes) => checked(Elements * (Type == ElementType.Int64 ? 8 : floatBytes));

    /// <summary>The tensor's <c>state_dict</c> key for a layer at <paramref name="layerPath"/>.</summary>
    public string KeyAt(string layerPath) => Name.Length == 0 ? layerPath : layerPath + "." + Name;

    public static TensorSpec Parameter(string name, params long[] shape) => new(name, shape, TensorRole.Parameter);
    public static TensorSpec Buffer(string name, params long[] shape) => new(name, shape, TensorRole.Buffer);

    /// <summary>A buffer of 64-bit integers: a counter such as <c>num_batches_tracked</c> (a scalar: no shape).</summary>
    public static TensorSpec Counter(string name, params long[] shape) => new(name, shape, TensorRole.Buffer, ElementType.Int64);
}
