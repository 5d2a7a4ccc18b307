namespace CnnDsl.Dsl.Layers;

/// <summary>Passes its input through: a placeholder branch, or an explicit identity shortcut.</summary>
public sealed record IdentitySpec : LayerSpec
{
    public override string Kind => "identity";
    public override string ModuleType(Shape input) => "Identity";
    public override string Describe() => "";
    public override LayerOutcome Infer(Shape input) => LayerOutcome.Ok(input, WindowEffect.Pointwise);
}
