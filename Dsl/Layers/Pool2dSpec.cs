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
    public override string ModuleType(Shape input) => Pooling == PoolKind.Max ? "MaxPool2d" : "AvgPool2d";

    public override string Describe() =>
        $"{Kernel.H}x{Kernel.W}"
        + (Stride != Kernel ? $", stride {Stride}" : "")
        + (Padding != Pair.Square(0) ? $", pad {Padding}" : "")
        + (CeilMode ? ", ceil" : "");

    public override LayerOutcome Infer(Shape input)
    {
        if (!input.IsImage) return NeedsImage(Kind, input);
        if (Padding.H * 2 > Kernel.H || Padding.W * 2 > Kernel.W)
        {
            return LayerOutcome.Fail(DiagnosticCodes.PoolPaddingTooLarge,
                $"{Kind} padding {Padding} is more than half its kernel {Kernel.H}x{Kernel.W}",
                "PyTorch allows at most kernel/2 padding on pooling layers");
        }

        var kh = SpatialArithmetic.EffectiveKernel(Kernel.H, Dilation.H);
        var kw = SpatialArithmetic.EffectiveKernel(Kernel.W, Dilation.W);
        var paddedH = input.Height + 2 * Padding.H;
        var paddedW = input.Width + 2 * Padding.W;
        if (kh > paddedH || kw > paddedW)
        {
            return LayerOutcome.Fail(DiagnosticCodes.KernelLargerThanInput,
                $"{Kind} window {kh}x{kw} is larger than its padded input {paddedH}x{paddedW} (input {input})",
                "remove this pooling layer, use a smaller window, or a larger input");
        }

        var outH = SpatialArithmetic.OutputSize(input.Height, Kernel.H, Stride.H, Padding.H, Dilation.H, CeilMode);
        var outW = SpatialArithmetic.OutputSize(input.Width, Kernel.W, Stride.W, Padding.W, Dilation.W, CeilMode);
        return LayerOutcome.Ok(Shape.Image(input.Channels, outH, outW), new SlidingWindow(Kernel, Stride, Padding, Dilation));
    }
}
