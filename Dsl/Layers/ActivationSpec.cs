namespace CnnDsl.Dsl.Layers;

public enum ActivationKind
{
    ReLU,
    Sigmoid,
    Tanh,
    Softmax,
}

/// <summary>An element-wise (or, for softmax, per-position) function without parameters.</summary>
public sealed record ActivationSpec(ActivationKind Function, long Dimension = 1) : LayerSpec
{
    public override string Kind => Function switch
    {
        ActivationKind.ReLU => "relu",
        ActivationKind.Sigmoid => "sigmoid",
        ActivationKind.Tanh => "tanh",
        _ => "softmax",
    };

    public override string ModuleType(Shape input) => Function.ToString();
    public override string Describe() => Function == ActivationKind.Softmax ? $"dim {Dimension}" : "";

    public override LayerOutcome Infer(Shape input) => LayerOutcome.Ok(input, WindowEffect.Pointwise);
}
