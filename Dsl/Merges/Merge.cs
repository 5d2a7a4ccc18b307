using System.Collections.Generic;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Dsl.Merges;

/// <summary>The tensor operations merges are made of. The generator implements it with C# text,
/// the runtime with TorchSharp tensors; a merge that needs a new operation adds it here, and the
/// compiler then requires both. Tensors carry the batch first: channels are dimension 1.</summary>
public interface ITensorAlgebra<T>
{
    /// <summary>Joins tensors of equal batch, height and width along channels.</summary>
    T Concatenate(IReadOnlyList<T> parts);

    /// <summary>Element-wise sum of two tensors of one shape.</summary>
    T Add(T left, T right);

    /// <summary>Element-wise product with broadcasting (a N x C x 1 x 1 gate scales N x C x H x W).</summary>
    T Multiply(T left, T right);

    /// <summary>Channels [start, start + length) of a tensor, a view sharing its storage
    /// (<c>torch.narrow</c> along dimension 1: one of <c>torch.chunk</c>'s pieces).</summary>
    T Narrow(T input, long start, long length);
}

/// <summary>A verdict on the shapes a merge is given: its output, or why it cannot join them.</summary>
public sealed record MergeOutcome(Shape? Output, string? Error, string? Help)
{
    public static MergeOutcome Ok(Shape output) => new(output, null, null);

    public static MergeOutcome Fail(string error, string? help = null) => new(null, error, help);
}

/// <summary>How the outputs of a structure's branches become one tensor: its shape rule, its
/// cost under each counting convention, the tensor operation it stands for, how it is drawn and
/// what may run in place. Every consumer (generator, interpreter, verify, summaries, counting,
/// graph) reads it here and none switches on the kind of merge.</summary>
public abstract record Merge
{
    /// <summary>The operation's name in summaries: <c>concat</c>, <c>add</c>, <c>multiply</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The label of the join in <c>cnn graph</c>: <c>concat</c>, <c>+</c>, <c>×</c>.</summary>
    public abstract string Symbol { get; }

    public abstract GraphFamily Family { get; }

    /// <summary>The output shape for the branches' shapes, in branch order.</summary>
    public abstract MergeOutcome Join(IReadOnlyList<Shape> parts);

    /// <summary>The work of joining, for one sample.</summary>
    public abstract LayerCost Cost(IReadOnlyList<Shape> parts, Shape output);

    /// <summary>The join as tensor operations of <paramref name="algebra"/>.</summary>
    public abstract T Apply<T>(ITensorAlgebra<T> algebra, IReadOnlyList<T> parts);

    /// <summary>The TorchSharp method that accumulates the other part into the first in place
    /// (<c>add_</c>, as torchvision's <c>out += identity</c>), or null when there is none.
    /// Autograd allows it only where the first part's producer does not need its own output for
    /// its backward and nothing else reads it (<see cref="Analysis.InPlace"/>).</summary>
    public abstract string? AccumulateMethod { get; }
}
