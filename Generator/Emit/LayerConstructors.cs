using System;
using System.Linq;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Generator.Emit;

/// <summary>Prints the C# that builds a layer's module from its Dsl recipe, every argument
/// spelled out.</summary>
public static class LayerConstructors
{
    public static string TypeOf(LayerSpec spec, Shape input) => TypeOf(spec.Recipe(input));

    public static string Construct(LayerSpec spec, Shape input)
    {
        var recipe = spec.Recipe(input);
        var arguments = string.Join(", ", recipe.Arguments.Select(a => (a.Name is null ? "" : a.Name + ": ") + Value(a.Value)));
        return recipe.Source == ModuleSource.TorchSharp
            ? $"global::TorchSharp.torch.nn.{recipe.TypeName}({arguments})"
            : $"new {TypeOf(recipe)}({arguments})";
    }

    private static string TypeOf(ModuleRecipe recipe) => recipe.Source == ModuleSource.TorchSharp
        ? "global::TorchSharp.Modules." + recipe.TypeName
        : "global::CnnDsl.Runtime.Layers." + recipe.TypeName;

    private static string Value(object value) => value switch
    {
        long l => Literals.Int(l),
        double d => Literals.Double(d),
        bool b => Literals.Bool(b),
        Pair p => Literals.Tuple(p.H, p.W),
        long[] values => "new long[] { " + string.Join(", ", values.Select(Literals.Int)) + " }",
        double[] values => "new double[] { " + string.Join(", ", values.Select(Literals.Double)) + " }",
        int[][] rows => "new int[][] { " + string.Join(", ", rows.Select(r => "new[] { " + string.Join(", ", r) + " }")) + " }",
        EnumArgument e => "global::" + e.EnumType + "." + e.Member,
        _ => throw new NotSupportedException($"no C# literal for a recipe argument of type {value.GetType().Name}"),
    };
}
