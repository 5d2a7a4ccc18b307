using CnnDsl.Dsl.Diagnostics;

namespace CnnDsl.Dsl.Layers;

public enum PoolKind
{
    Max,
    Average,
}

public sealed record Pool2dSpec(
    PoolKind Pooling, Pair Kernel, Pair Stride, Pair Padding, Pair Dilation, bool CeilMode, bool CountIncludePad)
    : LayerSpec
{
    public override string Kind => Pooling == PoolKind.Max ? "maxpool" : "avgpool";
    public override ModuleRecipe Recipe(Shape input) => Pooling == PoolKind.Max
        ? Torch("MaxPool2d",
            Named("kernel_size", Kernel), Named("stride", Stride), Named("padding", Padding),
            Named("dilation", Dilation), Named("ceil_mode", CeilMode))
        : Torch("AvgPool2d",
            Named("kernel_size", Kernel), Named("stride", Stride), Named("padding", Padding),
            Named("ceil_mode", CeilMode), Named("count_include_pad", CountIncludePad));

    // CnnDsl: one per window element per output; fvcore ignores it; ptflops one per input element.
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        new(CostCategory.Pooling, checked(output.Elements * Kernel.H * Kernel.W), 0, input.Elements, 0);

    public override GraphFamily Family => GraphFamily.Resampling;
    public override InPlaceRule InPlace => InPlaceRule.Never;

    public override string Describe() =>
        $"{Kernel.H}x{Kernel.W}"
        + (Stride != Kernel ? $", stride {Stride}" : "")
        + (Padding != Pair.Square(0) ? $", pad {Padding}" : "")
        + (CeilMode ? ", ceil" : "");

    public override LayerOutcome Infer(Shape input)
    {
        if (!input.IsImage) return NeedsImage(Kind, input);
        var kh = SpatialArithmetic.EffectiveKernel(Kernel.H, Dilation.H);
        var kw = SpatialArithmetic.EffectiveKernel(Kernel.W, Dilation.W);
        // libtorch: "pad should be at most half of effective kernel size", but it compares the
        // padding with half the kernel as given, kernel / 2 rounded down, whatever the dilation.
        if (Padding.H > Kernel.H / 2 || Padding.W > Kernel.W / 2)
        {
            return LayerOutcome.Fail(DiagnosticCodes.PoolPaddingTooLarge,
                $"{Kind} padding {Padding} is more than half its kernel {Kernel.H}x{Kernel.W}",
                "PyTorch allows at most half the kernel (rounded down, whatever the dilation) as padding on pooling layers");
        }

        var outH = SpatialArithmetic.OutputSize(input.Height, Kernel.H, Stride.H, Padding.H, Dilation.H, CeilMode);
        var outW = SpatialArithmetic.OutputSize(input.Width, Kernel.W, Stride.W, Padding.W, Dilation.W, CeilMode);
        if (outH < 1 || outW < 1)
        {
            // PyTorch: "Output size is too small". In ceil mode a window larger than its input
            // can still give one output, so this is judged on the output, not on the window.
            return LayerOutcome.Fail(DiagnosticCodes.NonPositiveOutput,
                $"{Kind} window {kh}x{kw} with stride {Stride} on a {input.Height}x{input.Width} input (padding {Padding}) gives an output of {outH}x{outW}",
                "remove this pooling layer, use a smaller window, or a larger input");
        }

        return LayerOutcome.Ok(Shape.Image(input.Channels, outH, outW), new SlidingWindow(Kernel, Stride, Padding, Dilation));
    }
}
