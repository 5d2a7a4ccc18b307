using System.Globalization;
using CnnDsl.Dsl.Diagnostics;

namespace CnnDsl.Dsl.Layers;

/// <summary>Group normalisation (Wu and He, 2018): the channels split into <see cref="Groups"/>
/// groups, each normalised over its channels and positions, then a learnable scale and shift
/// per channel (<c>weight</c>, <c>bias</c>, C each). Channels must be dimension 1: a C x H x W map
/// or features.</summary>
public sealed record GroupNormSpec(long Groups, double Epsilon) : LayerSpec
{
    public override string Kind => "groupnorm";
    // TorchSharp 0.107's GroupNorm leaves its weight and bias uninitialised and refuses N x C inputs.
    public override ModuleRecipe Recipe(Shape input) => Runtime("GroupNorm", Positional(Groups), Positional(input.Channels), Named("eps", Epsilon));

    // ptflops: 2 per input element (GroupNorm's `affine` is true).
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        new(CostCategory.Normalization, NormCost.PerElement(input, true), NormCost.PerElement(input, true), checked(2 * input.Elements), parameters);

    public override GraphFamily Family => GraphFamily.Normalization;

    // native_group_norm's backward reads its input and statistics, not its output.
    public override InPlaceRule InPlace => InPlaceRule.OutputFree;

    public override string Describe() =>
        $"{Groups} groups" + (Epsilon == 1e-5 ? "" : ", eps " + Epsilon.ToString("R", CultureInfo.InvariantCulture));

    public override LayerOutcome Infer(Shape input)
    {
        if (input.IsChannelsLast) return NeedsImage(Kind, input);
        if (input.Channels % Groups != 0)
        {
            return LayerOutcome.Fail(DiagnosticCodes.GroupsDoNotDivide,
                $"groupnorm with {Groups} groups needs channels divisible by {Groups}, but its input has {input.Channels}",
                "choose a number of groups that divides the channels");
        }

        return LayerOutcome.Ok(input, WindowEffect.Pointwise, 0,
            TensorSpec.Parameter("weight", input.Channels),
            TensorSpec.Parameter("bias", input.Channels));
    }
}
