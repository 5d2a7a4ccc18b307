using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Dsl.Merges;

/// <summary>Joins along channels: every part must have the same rank, and images the same height
/// and width; the output's channels are the sum (Inception, DenseNet, ShuffleNet).</summary>
public sealed record ConcatMerge : Merge
{
    public static ConcatMerge Instance { get; } = new();

    public override string Name => "concat";
    public override string Symbol => "concat";
    public override GraphFamily Family => GraphFamily.Concatenation;
    public override string? AccumulateMethod => null;

    public override MergeOutcome Join(IReadOnlyList<Shape> parts)
    {
        var first = parts[0];
        if (parts.Any(p => p.IsChannelsLast))
        {
            return MergeOutcome.Fail(
                $"concat joins along channels, dimension 1 of a CxHxW tensor, but a branch gives the channels-last {parts.First(p => p.IsChannelsLast)}",
                "end each branch with `permute(0, 3, 1, 2)`");
        }

        var agree = parts.All(p => p.Rank == first.Rank && p.IsImage == first.IsImage
            && (!first.IsImage || (p.Height == first.Height && p.Width == first.Width)));
        if (!agree)
        {
            return MergeOutcome.Fail(
                $"concat joins along channels, so every branch must give the same height and width, but they give {string.Join(", ", parts)}",
                "make the branches' strides and paddings agree");
        }

        var channels = parts.Aggregate(0L, (sum, p) => checked(sum + p.Channels));
        return MergeOutcome.Ok(first.IsImage ? Shape.Image(channels, first.Height, first.Width) : Shape.Features(channels));
    }

    // A copy of every output element; none of the tools counts it.
    public override LayerCost Cost(IReadOnlyList<Shape> parts, Shape output) => LayerCost.Own(CostCategory.Concatenation, output.Elements);

    public override T Apply<T>(ITensorAlgebra<T> algebra, IReadOnlyList<T> parts) => algebra.Concatenate(parts);
}
