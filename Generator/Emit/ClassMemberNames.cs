using System;
using System.Collections.Generic;
using CnnDsl.Dsl.Analysis;

namespace CnnDsl.Generator.Emit;

/// <summary>The C# names of one generated class's members: a property and a field per layer,
/// each valid and unique in the class. A layer's natural names (<see cref="Identifiers"/>) are
/// kept where they are free; where two layers would share one (<c>conv1</c> and <c>Conv1</c>
/// both give the property <c>Conv1</c>; a label <c>a_b</c> and a layer <c>b</c> in a group
/// <c>a</c> both give the field <c>_a_b</c>) or a layer's would be a name the class already has
/// (<c>Summary</c>, <c>forward</c>, the class's own name, a member inherited from TorchSharp's
/// Module), the later one gets a suffix: <c>Conv1_2</c>. Properties are named first, in forward
/// order, so the public names are the natural ones wherever possible.</summary>
public sealed class ClassMemberNames
{
    /// <summary>Members every generated class declares (a test compares them with a generated
    /// class's), the function its forward pass calls
    /// through <c>using static</c> (a member of the same name would hide it), and every member a
    /// class inherits from <c>TorchSharp.torch.nn.Module&lt;Tensor, Tensor&gt;</c> in TorchSharp
    /// 0.107 (a property of the same name would hide it: warning CS0108). A test compares this
    /// list with TorchSharp's.</summary>
    public static IReadOnlyCollection<string> Reserved { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "ParameterCount", "AuxiliaryParameterCount", "BufferCount", "MultiplyAdds", "InputShape", "OutputShape", "Summary",
        "forward", "ForwardWithAuxiliary", "FuseForInference", "ForwardFolded", "_batchNormFolded", "input",
        "WeightLayout", "ModelsInFile", "LoadWeights", "SaveWeights", "ExportOnnx", "ExportPyTorch", "ExportAnalysis",
        "CnnDslEmbeddedSource", "Advance",
        "ClearModules", "ConditionallyRegisterBuffer", "ConditionallyRegisterParameter", "Create", "Dispose", "Equals", "Finalize",
        "GetDefaultDeviceAndType", "GetHashCode", "GetName", "GetType", "MemberwiseClone", "ReferenceEquals", "RegisterComponents",
        "ReplaceBuffer", "ReplaceParameter", "ToString", "_deviceIndex", "_deviceType", "_internal_buffers", "_internal_params",
        "_internal_submodules", "_named_buffers", "_named_parameters", "_parameters", "_to", "_toEpilog", "add_module", "apply",
        "buffers", "call", "children", "eval", "get_buffer", "get_parameter", "has_buffer", "has_parameter", "load",
        "load_state_dict", "module_post_hooks", "module_pre_hooks", "modules", "name", "named_buffers", "named_children",
        "named_modules", "named_parameters", "parameters", "post_hooks", "pre_hooks", "register_buffer", "register_forward_hook",
        "register_forward_pre_hook", "register_module", "register_parameter", "save", "save_state_dict", "state_dict", "train",
        "training", "zero_grad",
    };

    private readonly Dictionary<string, string> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _properties = new(StringComparer.Ordinal);

    /// <param name="methods">Methods of this class beside the <see cref="Reserved"/> ones (the
    /// parts of a large model's constructor).</param>
    public ClassMemberNames(string modelName, IReadOnlyList<LayerInfo> layers, IEnumerable<string>? methods = null)
    {
        // A member may not have its class's name (CS0542).
        var taken = new HashSet<string>(Reserved, StringComparer.Ordinal) { modelName };
        foreach (var method in methods ?? Array.Empty<string>()) taken.Add(method);
        foreach (var layer in layers) _properties[layer.Path] = Unique(Identifiers.Property(layer.Path), taken);
        foreach (var layer in layers) _fields[layer.Path] = Unique(Identifiers.Field(layer.Path), taken);
    }

    /// <summary>How the forward pass declares its locals: by their type, never <c>var</c>, which
    /// means a class wherever a model named <c>var</c> (of any file of the namespace, or any class
    /// the project declares) is in scope.</summary>
    public const string LocalType = "global::TorchSharp.torch.Tensor";

    public string Field(string path) => _fields[path];

    public string Property(string path) => _properties[path];

    /// <summary>The element names of the tuple <c>ForwardWithAuxiliary</c> returns: <c>Output</c>,
    /// then one per head from its label, unique and none a name C# keeps for tuples.</summary>
    public static IReadOnlyList<string> TupleElements(IEnumerable<string> headNames)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal) { "Output", "Rest", "ToString", "Equals", "GetHashCode", "GetType", "CompareTo" };
        var names = new List<string> { "Output" };
        foreach (var head in headNames)
        {
            var name = Identifiers.Property(head);
            // Item1, Item2, ... may only name their own position (CS8125).
            if (name.StartsWith("Item", StringComparison.Ordinal)) name = "Head" + name;
            names.Add(Unique(name, taken));
        }

        return names;
    }

    /// <summary>The name, or with the first free suffix; names are compared as C# does, without
    /// their <c>@</c>.</summary>
    private static string Unique(string name, HashSet<string> taken)
    {
        var bare = name.StartsWith("@", StringComparison.Ordinal) ? name.Substring(1) : name;
        var candidate = bare;
        for (var n = 2; !taken.Add(candidate); n++) candidate = bare + "_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Identifiers.Escape(candidate);
    }
}
