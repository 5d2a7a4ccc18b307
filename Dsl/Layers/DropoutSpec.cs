using System.Globalization;

namespace CnnDsl.Dsl.Layers;

public sealed record DropoutSpec(double Probability) : LayerSpec
{
    public override string Kind => "dropout";
    public override string ModuleType(Shape input) => "Dropout";
    public override string Describe() => "p " + Probability.ToString("R", CultureInfo.InvariantCulture);
    public override LayerOutcome Infer(Shape input) => LayerOutcome.Ok(input, WindowEffect.Pointwise);
}
