using System.Globalization;

namespace CnnDsl.Dsl.Layers;

/// <summary>Batch norm over channels (after conv) or features (after linear).</summary>
public sealed record BatchNormSpec(double Epsilon, double Momentum) : LayerSpec
{
    public override string Kind => "batchnorm";
    public override ModuleRecipe Recipe(Shape input) => Torch(input.IsImage ? "BatchNorm2d" : "BatchNorm1d",
        Positional(input.Channels), Named("eps", Epsilon), Named("momentum", Momentum));

    // One per output element (CnnDsl), two per input element (fvcore, ptflops), each parameter once (torchinfo).
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        new(CostCategory.Normalization, output.Elements, checked(2 * input.Elements), checked(2 * input.Elements), parameters);

    public override GraphFamily Family => GraphFamily.Normalization;
    public override InPlaceRule InPlace => InPlaceRule.OutputFree;

    public override string Describe() =>
        Epsilon == 1e-5 && Momentum == 0.1 ? "" : $"eps {Epsilon.ToString("R", CultureInfo.InvariantCulture)}, momentum {Momentum.ToString("R", CultureInfo.InvariantCulture)}";

    public override LayerOutcome Infer(Shape input)
    {
        // BatchNorm1d/2d normalise dimension 1, which a channels-last map has as its height.
        if (input.IsChannelsLast) return NeedsImage(Kind, input);
        var channels = input.Channels;
        return LayerOutcome.Ok(input, WindowEffect.Pointwise, 0,
            TensorSpec.Parameter("weight", channels),
            TensorSpec.Parameter("bias", channels),
            TensorSpec.Buffer("running_mean", channels),
            TensorSpec.Buffer("running_var", channels),
            TensorSpec.Buffer("num_batches_tracked"));
    }
}
