using CnnDsl.Dsl.Diagnostics;

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

    public override ModuleRecipe Recipe(Shape input) => Function == ActivationKind.Softmax
        ? Torch("Softmax", Named("dim", Dimension))
        : Torch(Function.ToString());

    // ptflops' hooks count ReLU, one per element; fvcore ignores activations.
    public override LayerCost Cost(Shape input, Shape output, long multiplyAdds, long parameters) =>
        new(CostCategory.Activation, output.Elements, 0, Function == ActivationKind.ReLU ? output.Elements : 0, 0);

    public override GraphFamily Family => GraphFamily.Activation;

    // relu_ overwrites its input; ReLU's backward reads its own output.
    public override InPlaceRule InPlace => Function == ActivationKind.ReLU ? new InPlaceRule(true, "relu_") : InPlaceRule.Never;
    public override string Describe() => Function == ActivationKind.Softmax ? $"dim {Dimension}" : "";

    /// <summary>Softmax's <c>dim</c> counts the batch dimension as PyTorch does: 1 is the channels
    /// of an image (or the features after flatten), and it must name a dimension the tensor has
    /// (<c>softmax(dim: 2)</c> after flatten is refused, as libtorch refuses it).</summary>
    public override LayerOutcome Infer(Shape input)
    {
        if (Function == ActivationKind.Softmax && Dimension > input.Rank)
        {
            return LayerOutcome.Fail(DiagnosticCodes.InvalidValue,
                $"softmax dim {Dimension} is not a dimension of its {input.Rank + 1}-dimensional input (batch x {input})",
                $"dim counts the batch as 0: give 1 to {input.Rank}");
        }

        // Over the rows (dim 2) or the columns (dim 3) of a map, every output sees its whole column or row.
        var window = Function == ActivationKind.Softmax && input.IsImage && Dimension >= 2
            ? new SpanWindow((int)Dimension - 2, Dimension == 2 ? input.Height : input.Width)
            : WindowEffect.Pointwise;
        return LayerOutcome.Ok(input, window);
    }
}
