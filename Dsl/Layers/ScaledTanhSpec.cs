using System.Globalization;

namespace CnnDsl.Dsl.Layers;

/// <summary>LeCun's squashing function, amplitude * tanh(slope * x) (1.7159 and 2/3 in LeNet-5).</summary>
public sealed record ScaledTanhSpec(double Amplitude, double Slope) : LayerSpec
{
    public override string Kind => "scaled_tanh";
    public override string ModuleType(Shape input) => "ScaledTanh";

    public override string Describe() =>
        string.Format(CultureInfo.InvariantCulture, "{0:R} tanh({1:R} x)", Amplitude, Slope);

    public override LayerOutcome Infer(Shape input) => LayerOutcome.Ok(input, WindowEffect.Pointwise);
}
