using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Merges;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Semantics;

/// <summary>The evaluated structure of a network: layers, named groups of layers, and the ways
/// paths split and merge, before shapes are known. A node keeps the source range it was written at.</summary>
public abstract record NetworkNode(string? Label, TextRange Range)
{
    public abstract string Describe();

    /// <summary>The uses of `let` constants this node was made by, innermost first: each use of a
    /// constant that holds layers makes new layers (CNN0042 warns when one makes them twice).</summary>
    public IReadOnlyList<ConstantUse> ConstantUses { get; init; } = System.Array.Empty<ConstantUse>();
}

/// <summary>One use of a `let` constant that holds layers: the constant's name and where it is
/// defined, where it is used, and which evaluation of that use this is (a use inside a loop or a
/// block called twice is evaluated more than once).</summary>
public sealed record ConstantUse(string Name, TextRange Definition, TextRange Use, int Occurrence);

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

/// <summary>A node where the path splits or merges. Unlabeled, it adds no segment to the names
/// of the layers inside it (torchvision's Inception names its branches `branch1`, not
/// `0.branch1`); labeled, it is a group of that name.</summary>
public abstract record StructureNode(string? Label, TextRange Range) : NetworkNode(Label, Range)
{
    /// <summary>The same structure with its parts replaced: each run of layers (a body, a head)
    /// through <paramref name="sequence"/>, each part that is one node (a concat branch, a custom
    /// shortcut) through <paramref name="single"/>, in the order the shape analysis visits them.</summary>
    internal abstract StructureNode MapParts(
        Func<IReadOnlyList<NetworkNode>, IReadOnlyList<NetworkNode>> sequence, Func<NetworkNode, NetworkNode> single);
}

/// <summary><c>concat [a, b]</c>: every branch sees the same input, the outputs join along
/// channels; <c>split [a, b]</c>: each branch sees its own equal chunk of the input's channels,
/// the outputs join along channels; <c>add [a, b]</c>: every branch sees the same input, the
/// outputs are added (<see cref="Structure"/> says which). Each branch is one node: a branch of several layers is an
/// unnamed group.</summary>
public sealed record ConcatNode(IReadOnlyList<NetworkNode> Branches, string? Label, TextRange Range)
    : StructureNode(Label, Range)
{
    /// <summary><see cref="Merges.Structure.Concat"/>, <see cref="Merges.Structure.Split"/> or <see cref="Merges.Structure.Sum"/>.</summary>
    public Structure Structure { get; init; } = Structure.Concat;

    /// <summary>Where each branch is written, in order (for diagnostics); empty when unknown.</summary>
    public IReadOnlyList<TextRange> BranchRanges { get; init; } = System.Array.Empty<TextRange>();

    public override string Describe() => Structure.Name;

    internal override StructureNode MapParts(
        Func<IReadOnlyList<NetworkNode>, IReadOnlyList<NetworkNode>> sequence, Func<NetworkNode, NetworkNode> single) =>
        this with { Branches = Branches.Select(single).ToList() };
}

public enum ShortcutKind
{
    /// <summary>The input is added as it is; the body must keep its shape.</summary>
    Identity,

    /// <summary>A 1x1 convolution and batch norm (`downsample`) where the body changes the shape,
    /// the identity elsewhere.</summary>
    Projection,

    /// <summary>Layers the author wrote.</summary>
    Custom,
}

/// <summary><c>residual(body, shortcut: ...)</c>: the body's output plus the shortcut's.</summary>
public sealed record ResidualNode(
    IReadOnlyList<NetworkNode> Body, ShortcutKind Shortcut, NetworkNode? CustomShortcut, string? Label, TextRange Range)
    : StructureNode(Label, Range)
{
    /// <summary>The name a projection or custom shortcut is saved under, as in torchvision.</summary>
    public const string ShortcutName = "downsample";

    /// <summary>Where the body is written (for diagnostics); the whole residual when unknown.</summary>
    public TextRange? BodyRange { get; init; }

    /// <summary>Where the `shortcut:` argument is written, if it is.</summary>
    public TextRange? ShortcutRange { get; init; }

    public override string Describe() => "residual";

    internal override StructureNode MapParts(
        Func<IReadOnlyList<NetworkNode>, IReadOnlyList<NetworkNode>> sequence, Func<NetworkNode, NetworkNode> single)
    {
        var body = sequence(Body);
        return this with { Body = body, CustomShortcut = CustomShortcut is null ? null : single(CustomShortcut) };
    }
}

/// <summary><c>dense(body)</c> and <c>gate(body)</c>: the body's output merged with the body's own
/// input by <see cref="Structure"/>'s merge, the input first: concatenated to it (DenseNet's
/// <c>dense</c>) or scaling it (squeeze-and-excitation's <c>gate</c>).</summary>
public sealed record BodyMergeNode(Structure Structure, IReadOnlyList<NetworkNode> Body, string? Label, TextRange Range)
    : StructureNode(Label, Range)
{
    /// <summary>Where the body is written (for diagnostics); the whole structure when unknown.</summary>
    public TextRange? BodyRange { get; init; }

    public override string Describe() => Structure.Name;

    internal override StructureNode MapParts(
        Func<IReadOnlyList<NetworkNode>, IReadOnlyList<NetworkNode>> sequence, Func<NetworkNode, NetworkNode> single) =>
        this with { Body = sequence(Body) };
}

/// <summary><c>aux(head)</c>: a training-only head that reads the tensor passing by; the main
/// path continues unchanged, and its parameters are counted apart from the model's.</summary>
public sealed record AuxNode(IReadOnlyList<NetworkNode> Head, string? Label, TextRange Range) : StructureNode(Label, Range)
{
    public override string Describe() => "aux";

    internal override StructureNode MapParts(
        Func<IReadOnlyList<NetworkNode>, IReadOnlyList<NetworkNode>> sequence, Func<NetworkNode, NetworkNode> single) =>
        this with { Head = sequence(Head) };
}
