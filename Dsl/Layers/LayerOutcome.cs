using System;
using System.Collections.Generic;
using CnnDsl.Dsl.Diagnostics;

namespace CnnDsl.Dsl.Layers;

/// <summary>How a layer moves the receptive field: a sliding window, nothing (pointwise), or
/// everything (flatten, linear: each output sees the whole input).</summary>
public abstract record WindowEffect
{
    public static WindowEffect Pointwise { get; } = new PointwiseWindow();
    public static WindowEffect Global { get; } = new GlobalWindow();
}

public sealed record PointwiseWindow : WindowEffect;

public sealed record GlobalWindow : WindowEffect;

public sealed record SlidingWindow(Pair Kernel, Pair Stride, Pair Padding, Pair Dilation) : WindowEffect;

/// <summary>A shape rule's verdict: either the output with the layer's tensors and cost, or a
/// reason the layer cannot take this input.</summary>
public sealed record LayerOutcome(
    Shape? Output,
    IReadOnlyList<TensorSpec> Tensors,
    long MultiplyAdds,
    WindowEffect Window,
    DiagnosticDescriptor? Error = null,
    string? ErrorMessage = null,
    string? Help = null)
{
    public bool Succeeded => Error is null;

    public static LayerOutcome Ok(Shape output, WindowEffect window, long multiplyAdds = 0, params TensorSpec[] tensors) =>
        new(output, tensors, multiplyAdds, window);

    public static LayerOutcome Fail(DiagnosticDescriptor error, string message, string? help = null) =>
        new(null, Array.Empty<TensorSpec>(), 0, WindowEffect.Pointwise, error, message, help);
}
