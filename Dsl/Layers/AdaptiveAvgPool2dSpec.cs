namespace CnnDsl.Dsl.Layers;

public sealed record AdaptiveAvgPool2dSpec(Pair OutputSize) : LayerSpec
{
    public override string Kind => "adaptive_avgpool";
    public override string ModuleType(Shape input) => "AdaptiveAvgPool2d";
    public override string Describe() => $"to {OutputSize.H}x{OutputSize.W}";

    public override LayerOutcome Infer(Shape input)
    {
        if (!input.IsImage) return NeedsImage(Kind, input);
        var output = Shape.Image(input.Channels, OutputSize.H, OutputSize.W);
        return LayerOutcome.Ok(output, Window(input.Height, OutputSize.H, input.Width, OutputSize.W));
    }

    /// <summary>Exact when the input divides evenly (the usual case); otherwise PyTorch's bins
    /// vary in size and this is the widest one.</summary>
    private static WindowEffect Window(long inH, long outH, long inW, long outW)
    {
        if (inH == outH && inW == outW) return WindowEffect.Pointwise;
        var stride = new Pair(System.Math.Max(1, inH / outH), System.Math.Max(1, inW / outW));
        var kernel = new Pair(inH - (outH - 1) * stride.H, inW - (outW - 1) * stride.W);
        return new SlidingWindow(kernel, stride, Pair.Square(0), Pair.Square(1));
    }
}
