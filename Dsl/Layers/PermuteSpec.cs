using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;

namespace CnnDsl.Dsl.Layers;

/// <summary>torchvision's <c>Permute(dims)</c>, batch dimension included, for the two orders
/// ConvNeXt uses: <c>(0, 2, 3, 1)</c> turns a C x H x W map into a channels-last H x W x C one
/// (so that <c>linear</c> and <c>layernorm</c> work on each position's channels), and
/// <c>(0, 3, 1, 2)</c> turns it back. A view: nothing is copied or counted.</summary>
public sealed record PermuteSpec(IReadOnlyList<long> Order) : LayerSpec
{
    /// <summary>To channels-last.</summary>
    public static IReadOnlyList<long> ToChannelsLast { get; } = new long[] { 0, 2, 3, 1 };

    /// <summary>Back to channels-first.</summary>
    public static IReadOnlyList<long> ToChannelsFirst { get; } = new long[] { 0, 3, 1, 2 };

    public override string Kind => "permute";
    public override ModuleRecipe Recipe(Shape input) => Runtime("Permute", Positional(Order.ToArray()));
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) => LayerCost.None;
    public override GraphFamily Family => GraphFamily.Plain;

    // Its output is a view of its input.
    public override InPlaceRule InPlace => InPlaceRule.Never;
    public override string Describe() => string.Join(", ", Order);

    public bool IsToChannelsLast => Order.SequenceEqual(ToChannelsLast);

    public override LayerOutcome Infer(Shape input)
    {
        if (IsToChannelsLast)
        {
            return input.IsImage
                ? LayerOutcome.Ok(Shape.ChannelsLast(input.Height, input.Width, input.Channels), WindowEffect.Pointwise)
                : NeedsImage("permute(0, 2, 3, 1)", input);
        }

        return input.IsChannelsLast
            ? LayerOutcome.Ok(Shape.Image(input.Channels, input.Height, input.Width), WindowEffect.Pointwise)
            : LayerOutcome.Fail(DiagnosticCodes.LayoutMismatch,
                $"permute(0, 3, 1, 2) puts the channels of a channels-last HxWxC tensor first, but receives {(input.IsImage ? "the CxHxW tensor " + input : input + " features")}",
                input.IsImage ? "remove it: the channels are first already" : "it undoes `permute(0, 2, 3, 1)`; use it only after that");
    }
}
