using CnnDsl.Dsl.Layers;

namespace CnnDsl.Dsl.Analysis;

/// <summary>The region of the input one output position sees, per axis: its size, the step
/// between neighbouring outputs in input pixels (effective stride), and how far the first
/// window starts before the input (effective padding). Grows by the seed formula
/// RF(i) = S(i) * (RF(i+1) - 1) + K(i), written forward: rf += (k_eff - 1) * jump.</summary>
public sealed record ReceptiveField(Pair Size, Pair Stride, Pair Padding, bool Global)
{
    public static ReceptiveField Pixel { get; } = new(Pair.Square(1), Pair.Square(1), Pair.Square(0), false);

    public ReceptiveField Through(WindowEffect window) => window switch
    {
        SlidingWindow w when !Global => new ReceptiveField(
            new Pair(
                checked(Size.H + (SpatialArithmetic.EffectiveKernel(w.Kernel.H, w.Dilation.H) - 1) * Stride.H),
                checked(Size.W + (SpatialArithmetic.EffectiveKernel(w.Kernel.W, w.Dilation.W) - 1) * Stride.W)),
            new Pair(checked(Stride.H * w.Stride.H), checked(Stride.W * w.Stride.W)),
            new Pair(checked(Padding.H + w.Padding.H * Stride.H), checked(Padding.W + w.Padding.W * Stride.W)),
            false),
        GlobalWindow => this with { Global = true },
        _ => this,
    };

    public override string ToString() => Global ? "all" : Size.ToString();
}
