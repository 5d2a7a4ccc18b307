using System.Collections.Generic;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Dsl.Merges;

/// <summary>The element-wise product of two parts, the second broadcast over the first where it
/// has size 1 (squeeze-and-excitation: a C x 1 x 1 gate scales C x H x W).</summary>
public sealed record MultiplyMerge : Merge
{
    public static MultiplyMerge Instance { get; } = new();

    public override string Name => "multiply";
    public override string Symbol => "×";
    public override GraphFamily Family => GraphFamily.Multiplication;
    public override string? AccumulateMethod => null;

    public override MergeOutcome Join(IReadOnlyList<Shape> parts)
    {
        if (parts.Count != 2) return MergeOutcome.Fail($"a product needs two parts, but has {parts.Count}");
        var (x, gate) = (parts[0], parts[1]);
        var fits = x.Rank == gate.Rank && x.IsChannelsLast == gate.IsChannelsLast;
        for (var i = 0; fits && i < x.Rank; i++)
        {
            fits = gate.Dimensions[i] == x.Dimensions[i] || gate.Dimensions[i] == 1;
        }

        return fits
            ? MergeOutcome.Ok(x)
            : MergeOutcome.Fail(
                $"a gate must match its input or be 1 along each dimension to scale it, but scales {x} by {gate}",
                "end the gate with as many channels as its input (a 1x1 conv), and pool it to 1x1 or keep the size");
    }

    // One multiplication per output element; none of the tools counts it.
    public override LayerCost Cost(IReadOnlyList<Shape> parts, Shape output) => LayerCost.Own(CostCategory.Multiplication, output.Elements);

    public override T Apply<T>(ITensorAlgebra<T> algebra, IReadOnlyList<T> parts) => algebra.Multiply(parts[0], parts[1]);
}
