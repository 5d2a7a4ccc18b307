namespace CnnDsl.Dsl.Layers;

/// <summary>LeNet-5's trainable subsampling (S2, S4): each window's sum times a trainable
/// coefficient plus a trainable bias, one pair per channel.</summary>
public sealed record SubsamplingSpec(Pair Kernel, Pair Stride) : LayerSpec
{
    public override string Kind => "subsample";
    public override ModuleRecipe Recipe(Shape input) => Runtime("TrainableSubsampling", Positional(input.Channels), Positional(Kernel.H), Positional(Stride.H));

    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        new(CostCategory.Conv, multiplyAdds, multiplyAdds, multiplyAdds, parameters);

    public override GraphFamily Family => GraphFamily.Convolution;
    public override InPlaceRule InPlace => InPlaceRule.Never;
    public override string Describe() => $"{Kernel.H}x{Kernel.W}" + (Stride != Kernel ? $", stride {Stride}" : "");

    public override LayerOutcome Infer(Shape input)
    {
        if (!input.IsImage) return NeedsImage(Kind, input);
        var outH = SpatialArithmetic.OutputSize(input.Height, Kernel.H, Stride.H, 0, 1, false);
        var outW = SpatialArithmetic.OutputSize(input.Width, Kernel.W, Stride.W, 0, 1, false);
        if (outH < 1 || outW < 1)
        {
            return LayerOutcome.Fail(Diagnostics.DiagnosticCodes.NonPositiveOutput,
                $"subsample window {Kernel.H}x{Kernel.W} on a {input.Height}x{input.Width} input gives an output of {outH}x{outW}",
                "use a smaller window or a larger input");
        }

        var output = Shape.Image(input.Channels, outH, outW);
        return LayerOutcome.Ok(output, new SlidingWindow(Kernel, Stride, Pair.Square(0), Pair.Square(1)),
            checked(output.Elements),
            TensorSpec.Parameter("weight", input.Channels),
            TensorSpec.Parameter("bias", input.Channels));
    }
}
