namespace CnnDsl.Dsl.Layers;

public sealed record FlattenSpec : LayerSpec
{
    public override string Kind => "flatten";
    public override string ModuleType(Shape input) => "Flatten";
    public override string Describe() => "";

    /// <summary>Each flattened feature still sees the region its map position saw.</summary>
    public override LayerOutcome Infer(Shape input) => LayerOutcome.Ok(Shape.Features(input.Elements), WindowEffect.Pointwise);
}
