using System.Collections.Generic;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Semantics;

/// <summary>The evaluated structure of a network: layers and named groups of layers, before
/// shapes are known. A node keeps the source range it was written at.</summary>
public abstract record NetworkNode(string? Label, TextRange Range)
{
    public abstract string Describe();
}

public sealed record LayerNode(LayerSpec Spec, string? Label, TextRange Range) : NetworkNode(Label, Range)
{
    public override string Describe() => Spec.Kind;
}

/// <summary>A named container: a labeled run of layers, or a block whose layers have names of
/// their own (a ResNet block). Its name becomes one segment of the weight names below it.</summary>
public sealed record GroupNode(IReadOnlyList<NetworkNode> Children, string? Label, string? BlockName, TextRange Range)
    : NetworkNode(Label, Range)
{
    public override string Describe() => BlockName ?? "group";
}
