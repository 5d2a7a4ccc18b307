using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnDsl.Dsl.Analysis;

namespace CnnDsl.Generator.Emit;

/// <summary>How the constructor of a large model is split. The C# compiler's nullable analysis
/// of one method costs about (assignments to fields) x (fields already assigned), so a
/// constructor that assigns 20,000 fields takes minutes and gigabytes to compile
/// (benchmarks/RESULTS.md, issue 13). Above <see cref="MaxLayersPerPart"/> layers the
/// constructor instead calls static methods that each create a part of the layers into its
/// fields (as <c>out</c> arguments, so the fields stay readonly), then methods that each
/// register a part of the members. Each part is analysed on its own, so the cost grows
/// linearly with the model. Models this small or smaller keep the one-method constructor.</summary>
public static class ConstructorParts
{
    /// <summary>Layers per creating method, and about as many per registering method. Larger
    /// than every shipped architecture but DenseNet-161, -169 and -201.</summary>
    public const int MaxLayersPerPart = 256;

    public static bool Needed(int layers) => layers > MaxLayersPerPart;

    /// <summary>The names of the methods the constructor of a model calls (none for a small
    /// model), so that no layer's member takes one of them.</summary>
    public static IEnumerable<string> MethodNames(ModelInfo model, IReadOnlyList<LayerInfo> layers)
    {
        if (!Needed(layers.Count)) return Enumerable.Empty<string>();
        var registering = Registrations(model.Root.Members().ToList()).Count;
        return Enumerable.Range(0, Creations(layers).Count).Select(CreateMethod)
            .Concat(Enumerable.Range(0, registering).Select(RegisterMethod));
    }

    public static string CreateMethod(int part) => "CreateLayers" + part.ToString(CultureInfo.InvariantCulture);

    public static string RegisterMethod(int part) => "RegisterLayers" + part.ToString(CultureInfo.InvariantCulture);

    /// <summary>The layers in forward order, <see cref="MaxLayersPerPart"/> per part.</summary>
    public static IReadOnlyList<IReadOnlyList<LayerInfo>> Creations(IReadOnlyList<LayerInfo> layers)
    {
        var parts = new List<IReadOnlyList<LayerInfo>>();
        for (var start = 0; start < layers.Count; start += MaxLayersPerPart)
        {
            parts.Add(layers.Skip(start).Take(MaxLayersPerPart).ToList());
        }

        return parts;
    }

    /// <summary>The model's members in registration order, cut into runs that register about
    /// <see cref="MaxLayersPerPart"/> layers each. A member is never cut: one group of more
    /// layers is a part of its own.</summary>
    public static IReadOnlyList<IReadOnlyList<LayerInfo>> Registrations(IReadOnlyList<LayerInfo> members)
    {
        var parts = new List<IReadOnlyList<LayerInfo>>();
        var current = new List<LayerInfo>();
        var layers = 0;
        foreach (var member in members)
        {
            var size = member.IsGroup ? member.DescendantsAndSelf().Count(n => !n.IsGroup) : 1;
            if (current.Count > 0 && layers + size > MaxLayersPerPart)
            {
                parts.Add(current);
                current = new List<LayerInfo>();
                layers = 0;
            }

            current.Add(member);
            layers += size;
        }

        if (current.Count > 0) parts.Add(current);
        return parts;
    }
}
