using System.Collections.Generic;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Dsl.Merges;

/// <summary>The element-wise sum of two parts of one shape (ResNet's residual addition, RegNet's
/// <c>proj(x) + f(x)</c>).</summary>
public sealed record AddMerge : Merge
{
    public static AddMerge Instance { get; } = new();

    public override string Name => "add";
    public override string Symbol => "+";
    public override GraphFamily Family => GraphFamily.Addition;
    public override string? AccumulateMethod => "add_";

    public override MergeOutcome Join(IReadOnlyList<Shape> parts) =>
        parts.Count != 2 ? MergeOutcome.Fail($"an addition takes two parts, but has {parts.Count}", "add the branches two at a time")
        : parts[0].Equals(parts[1]) ? MergeOutcome.Ok(parts[0])
        : MergeOutcome.Fail($"an addition needs two parts of one shape, but has {string.Join(" and ", parts)}",
            "make both branches give the same shape");

    // One addition per output element; none of the tools counts it.
    public override LayerCost Cost(IReadOnlyList<Shape> parts, Shape output) => LayerCost.Own(CostCategory.Addition, output.Elements);

    public override T Apply<T>(ITensorAlgebra<T> algebra, IReadOnlyList<T> parts) => algebra.Add(parts[0], parts[1]);
}
