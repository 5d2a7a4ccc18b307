using System.Collections.Generic;
using System.Globalization;

namespace CnnDsl.Dsl.Layers;

/// <summary>Instance normalisation (Ulyanov et al., 2016): each channel of each sample normalised
/// over its positions (<c>InstanceNorm2d</c>). With <see cref="Affine"/>, a learnable scale and
/// shift per channel (<c>weight</c>, <c>bias</c>); with <see cref="TrackRunningStats"/>, running
/// statistics used in eval mode (buffers <c>running_mean</c>, <c>running_var</c>,
/// <c>num_batches_tracked</c>). PyTorch's defaults: neither.</summary>
public sealed record InstanceNormSpec(double Epsilon, bool Affine, bool TrackRunningStats) : LayerSpec
{
    public override string Kind => "instancenorm";

    public override ModuleRecipe Recipe(Shape input) => Torch("InstanceNorm2d",
        Positional(input.Channels), Named("eps", Epsilon), Named("affine", Affine), Named("track_running_stats", TrackRunningStats));

    // ptflops: 1 per input element, 2 with `affine`.
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        new(CostCategory.Normalization, NormCost.PerElement(input, Affine), NormCost.PerElement(input, Affine),
            checked((Affine ? 2 : 1) * input.Elements), parameters);

    public override GraphFamily Family => GraphFamily.Normalization;

    // Its output is a view of batch norm's on the reshaped input: kept as it is.
    public override InPlaceRule InPlace => InPlaceRule.Never;

    public override string Describe()
    {
        var parts = new List<string>();
        if (Epsilon != 1e-5) parts.Add("eps " + Epsilon.ToString("R", CultureInfo.InvariantCulture));
        if (Affine) parts.Add("affine");
        if (TrackRunningStats) parts.Add("running stats");
        return string.Join(", ", parts);
    }

    public override LayerOutcome Infer(Shape input)
    {
        if (!input.IsImage) return NeedsImage(Kind, input);
        var channels = input.Channels;
        var tensors = new List<TensorSpec>();
        if (Affine)
        {
            tensors.Add(TensorSpec.Parameter("weight", channels));
            tensors.Add(TensorSpec.Parameter("bias", channels));
        }

        if (TrackRunningStats)
        {
            tensors.Add(TensorSpec.Buffer("running_mean", channels));
            tensors.Add(TensorSpec.Buffer("running_var", channels));
            tensors.Add(TensorSpec.Buffer("num_batches_tracked"));
        }

        return LayerOutcome.Ok(input, WindowEffect.Pointwise, 0, tensors.ToArray());
    }
}
