namespace CnnDsl.Dsl.Layers;

/// <summary>A function applied to every element on its own (an activation): any input (C x H x W,
/// channels-last or features), the same shape out, the receptive field unchanged. CnnDsl counts
/// one operation per output element.</summary>
public abstract record ElementwiseSpec : LayerSpec
{
    public override GraphFamily Family => GraphFamily.Activation;
    public override string Describe() => "";
    public override LayerOutcome Infer(Shape input) => LayerOutcome.Ok(input, WindowEffect.Pointwise);

    /// <summary>One per output element under CnnDsl's rule, none under fvcore's (it has no handle
    /// for activations) or torchinfo's (no weight); under ptflops' module hooks one per output
    /// element where <paramref name="ptflopsCounts"/> (its table lists ReLU, ReLU6, LeakyReLU, ELU,
    /// PReLU and GELU, and nothing else of these).</summary>
    protected static LayerCost ElementCost(Shape output, bool ptflopsCounts) =>
        new(CostCategory.Activation, output.Elements, 0, ptflopsCounts ? output.Elements : 0, 0);
}
