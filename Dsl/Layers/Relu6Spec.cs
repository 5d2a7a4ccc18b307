namespace CnnDsl.Dsl.Layers;

/// <summary>min(max(x, 0), 6) (MobileNetV2).</summary>
public sealed record Relu6Spec : ElementwiseSpec
{
    public override string Kind => "relu6";
    public override ModuleRecipe Recipe(Shape input) => Torch("ReLU6");
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) => ElementCost(output, ptflopsCounts: true);

    // relu6_ is libtorch's hardtanh_(0, 6), whose backward reads its own output, as ReLU's does.
    public override InPlaceRule InPlace => new(true, "relu6_");
}
