using System.Globalization;

namespace CnnDsl.Dsl.Layers;

public enum UpsampleMode
{
    Nearest,
    Bilinear,
}

/// <summary>Upsampling by an integer factor: nearest neighbour or bilinear interpolation.</summary>
public sealed record UpsampleSpec(Pair Scale, UpsampleMode Mode, bool AlignCorners) : LayerSpec
{
    public override string Kind => "upsample";
    public override string ModuleType(Shape input) => "Upsample";

    public override string Describe() =>
        $"x{Scale}, {Mode.ToString().ToLowerInvariant()}" + (AlignCorners ? ", align corners" : "");

    public override LayerOutcome Infer(Shape input)
    {
        if (!input.IsImage) return NeedsImage(Kind, input);
        var output = Shape.Image(input.Channels, checked(input.Height * Scale.H), checked(input.Width * Scale.W));
        // Neighbouring outputs read the same input pixel (nearest) or pair (bilinear): followed exactly.
        var window = Scale == Pair.Square(1) && Mode == UpsampleMode.Nearest
            ? WindowEffect.Pointwise
            : new UpsampleWindow(Scale, Mode == UpsampleMode.Bilinear, AlignCorners);
        return LayerOutcome.Ok(output, window);
    }

    public string ModeName => Mode.ToString().ToLower(CultureInfo.InvariantCulture);
}
