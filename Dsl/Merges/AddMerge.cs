using System.Collections.Generic;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Dsl.Merges;

/// <summary>The element-wise sum of two parts of one shape (ResNet's residual addition).</summary>
public sealed record AddMerge : Merge
{
    public static AddMerge Instance { get; } = new();

    public override string Name => "add";
    public override string Symbol => "+";
    public override GraphFamily Family => GraphFamily.Addition;
    public override string? AccumulateMethod => "add_";

    public override MergeOutcome Join(IReadOnlyList<Shape> parts) =>
        parts.Count == 2 && parts[0].Equals(parts[1])
            ? MergeOutcome.Ok(parts[0])
            : MergeOutcome.Fail($"an addition needs two parts of one shape, but has {string.Join(" and ", parts)}");

    // One addition per output element; none of the tools counts it.
    public override LayerCost Cost(IReadOnlyList<Shape> parts, Shape output) => LayerCost.Own(CostCategory.Addition, output.Elements);

    public override T Apply<T>(ITensorAlgebra<T> algebra, IReadOnlyList<T> parts) => algebra.Add(parts[0], parts[1]);
}
