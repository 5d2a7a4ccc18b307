using CnnDsl.Dsl.Diagnostics;

namespace CnnDsl.Dsl.Layers;

public sealed record LinearSpec(long OutFeatures, bool Bias) : LayerSpec
{
    public override string Kind => "linear";
    public override string ModuleType(Shape input) => "Linear";
    public override string Describe() => $"{OutFeatures}" + (Bias ? "" : ", no bias");

    public override LayerOutcome Infer(Shape input)
    {
        if (input.Rank != 1)
        {
            return LayerOutcome.Fail(DiagnosticCodes.LinearNeedsFlatInput,
                $"linear({OutFeatures}) is fed a {input} tensor; it needs a flat vector of features",
                $"insert `flatten` before it (it would receive {input.Elements} features)");
        }

        var inFeatures = input.Channels;
        var macs = checked(inFeatures * OutFeatures);
        var weight = TensorSpec.Parameter("weight", OutFeatures, inFeatures);
        return Bias
            ? LayerOutcome.Ok(Shape.Features(OutFeatures), WindowEffect.Global, macs, weight, TensorSpec.Parameter("bias", OutFeatures))
            : LayerOutcome.Ok(Shape.Features(OutFeatures), WindowEffect.Global, macs, weight);
    }
}
