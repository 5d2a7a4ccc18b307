namespace CnnDsl.Dsl.Layers;

public sealed record AdaptiveAvgPool2dSpec(Pair OutputSize) : LayerSpec
{
    public override string Kind => "adaptive_avgpool";
    public override ModuleRecipe Recipe(Shape input) => Torch("AdaptiveAvgPool2d", Positional(OutputSize));

    // Every convention counts one operation per input element.
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        new(CostCategory.Pooling, input.Elements, input.Elements, input.Elements, 0);

    public override GraphFamily Family => GraphFamily.Resampling;
    public override InPlaceRule InPlace => InPlaceRule.Never;
    public override string Describe() => $"to {OutputSize.H}x{OutputSize.W}";

    public override LayerOutcome Infer(Shape input)
    {
        if (!input.IsImage) return NeedsImage(Kind, input);
        var output = Shape.Image(input.Channels, OutputSize.H, OutputSize.W);
        return LayerOutcome.Ok(output, Window(input.Height, OutputSize.H, input.Width, OutputSize.W));
    }

    /// <summary>A uniform window where the input divides evenly (the usual case: kernel and
    /// stride in / out); otherwise PyTorch's bins ([floor(i*in/out), ceil((i+1)*in/out))) vary in
    /// size and the receptive field follows them exactly, in either direction (out below or above
    /// in). The uniform bound beside them (the widest bin, the stride in/out rounded down, at
    /// least 1) serves axes too long to follow position by position.</summary>
    private static WindowEffect Window(long inH, long outH, long inW, long outW)
    {
        if (inH == outH && inW == outW) return WindowEffect.Pointwise;
        // One output position averages the whole map: it sees every input pixel, whatever
        // size the seed formula would give its last window.
        if (outH == 1 && outW == 1) return WindowEffect.Global;
        var stride = new Pair(System.Math.Max(1, inH / outH), System.Math.Max(1, inW / outW));
        var kernel = new Pair(WidestBin(inH, outH), WidestBin(inW, outW));
        var uniform = new SlidingWindow(kernel, stride, Pair.Square(0), Pair.Square(1));
        return inH % outH == 0 && inW % outW == 0 ? uniform : new AdaptiveWindow(uniform);
    }

    /// <summary>With in = k*out + c: every bin is k wide when c = 0; otherwise bins are k+1
    /// wide, and some k+2 when c exceeds gcd(c, out).</summary>
    private static long WidestBin(long input, long output)
    {
        var k = input / output;
        var c = input % output;
        if (c == 0) return k;
        return c > Gcd(c, output) ? k + 2 : k + 1;
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
