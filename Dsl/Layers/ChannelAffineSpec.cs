using System.Globalization;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;

namespace CnnDsl.Dsl.Layers;

/// <summary>A fixed per-channel affine map, <c>x * scale[c] + shift[c]</c> on a C x H x W input,
/// with no tensors of its own (nothing in the <c>state_dict</c>). torchvision's pretrained
/// GoogLeNet and Inception v3 begin with one (<c>transform_input=True</c>): scale
/// <c>std[c] / 0.5</c> and shift <c>(mean[c] - 0.5) / 0.5</c> with ImageNet's mean and std, which
/// turns an ImageNet-normalised image into one normalised with mean and std 0.5.</summary>
public sealed record ChannelAffineSpec(double[] Scale, double[] Shift) : LayerSpec
{
    public override string Kind => "channel_affine";
    public override ModuleRecipe Recipe(Shape input) => Runtime("ChannelAffine", Positional(Scale), Positional(Shift));

    // One multiply-add per element. torchvision writes it as tensor arithmetic inside forward, so
    // fvcore, ptflops and torchinfo see no module of theirs.
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        LayerCost.Own(CostCategory.Multiplication, output.Elements);

    public override GraphFamily Family => GraphFamily.Multiplication;

    // The backward of x * s + t needs only s.
    public override InPlaceRule InPlace => InPlaceRule.OutputFree;

    public override string Describe() => $"scale {List(Scale)}, shift {List(Shift)}";

    public override LayerOutcome Infer(Shape input)
    {
        if (!input.IsImage) return NeedsImage(Kind, input);
        if (Scale.Length != input.Channels || Shift.Length != input.Channels)
        {
            return LayerOutcome.Fail(DiagnosticCodes.InvalidValue,
                $"channel_affine has {Scale.Length} scales and {Shift.Length} shifts, but its input has {input.Channels} channels",
                "give one scale and one shift per channel");
        }

        return LayerOutcome.Ok(input, WindowEffect.Pointwise);
    }

    // Records compare arrays by reference; two layers with the same numbers are the same layer.
    public bool Equals(ChannelAffineSpec? other) =>
        other is not null && Scale.SequenceEqual(other.Scale) && Shift.SequenceEqual(other.Shift);

    public override int GetHashCode() => Scale.Length * 31 + Shift.Length;

    private static string List(double[] values) =>
        "[" + string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
}
