using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Semantics;

/// <summary>A model declaration evaluated to its layer structure and declared input.</summary>
public sealed record EvaluatedModel(string Name, Shape Input, GroupNode Root, TextRange NameRange)
{
    /// <summary>Where the input shape is declared: the model's own `input`, or its network's.</summary>
    public TextRange? InputRange { get; init; }
}
