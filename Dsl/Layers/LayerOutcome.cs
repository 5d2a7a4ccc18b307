using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;

namespace CnnDsl.Dsl.Layers;

/// <summary>How a layer moves the receptive field: a sliding window, nothing (pointwise),
/// everything (flatten, linear: each output sees the whole input), or windows that differ from
/// one output to the next (adaptive pooling, upsampling, transposed convolution).</summary>
public abstract record WindowEffect
{
    public static WindowEffect Pointwise { get; } = new PointwiseWindow();
    public static WindowEffect Global { get; } = new GlobalWindow();

    /// <summary>Along one axis (0: height, 1: width) of a layer that turns
    /// <paramref name="input"/> positions into <paramref name="output"/>: the input positions
    /// output position o reads (any outside 0 to input - 1 are padding).</summary>
    public abstract Func<long, IEnumerable<long>> Reads(int axis, long input, long output);

    /// <summary>A uniform window that reaches at least as far as this one: a bound for the seed formula.</summary>
    public abstract SlidingWindow Widest();

    protected static long On(Pair pair, int axis) => axis == 0 ? pair.H : pair.W;
}

public sealed record PointwiseWindow : WindowEffect
{
    public override Func<long, IEnumerable<long>> Reads(int axis, long input, long output) => o => new[] { o };
    public override SlidingWindow Widest() => new(Pair.Square(1), Pair.Square(1), Pair.Square(0), Pair.Square(1));
}

public sealed record GlobalWindow : WindowEffect
{
    public override Func<long, IEnumerable<long>> Reads(int axis, long input, long output) => _ => Range(0, input);
    public override SlidingWindow Widest() => throw new NotSupportedException("a global window has no uniform bound");

    private static IEnumerable<long> Range(long start, long count)
    {
        for (var i = 0L; i < count; i++) yield return start + i;
    }
}

public sealed record SlidingWindow(Pair Kernel, Pair Stride, Pair Padding, Pair Dilation) : WindowEffect
{
    public override Func<long, IEnumerable<long>> Reads(int axis, long input, long output)
    {
        long k = On(Kernel, axis), s = On(Stride, axis), p = On(Padding, axis), d = On(Dilation, axis);
        return o => Taps(o * s - p, k, d);
    }

    public override SlidingWindow Widest() => this;

    private static IEnumerable<long> Taps(long start, long kernel, long dilation)
    {
        for (var t = 0L; t < kernel; t++) yield return start + t * dilation;
    }
}

/// <summary>PyTorch's adaptive average pooling: output o of n inputs into m outputs averages
/// inputs floor(o * n / m) to ceil((o + 1) * n / m) - 1. <paramref name="Bound"/> is a uniform
/// window at least as wide, for axes too long to follow position by position.</summary>
public sealed record AdaptiveWindow(SlidingWindow Bound) : WindowEffect
{
    public override Func<long, IEnumerable<long>> Reads(int axis, long input, long output) => o =>
    {
        var start = checked(o * input) / output;
        var end = (checked((o + 1) * input) + output - 1) / output;
        return Enumerable.Range(0, (int)(end - start)).Select(i => start + i);
    };

    public override SlidingWindow Widest() => Bound;
}

/// <summary>PyTorch's upsampling by an integer scale: nearest reads input floor(o / scale);
/// bilinear the one or two inputs around (o + 0.5) / scale - 0.5 (align_corners false) or
/// o * (input - 1) / (output - 1) (true) that have a weight above 0.</summary>
public sealed record UpsampleWindow(Pair Scale, bool Bilinear, bool AlignCorners) : WindowEffect
{
    public override Func<long, IEnumerable<long>> Reads(int axis, long input, long output)
    {
        var scale = On(Scale, axis);
        if (!Bilinear) return o => new[] { o / scale };
        return o =>
        {
            // In exact rationals: source = numerator / denominator.
            long numerator, denominator;
            if (AlignCorners)
            {
                (numerator, denominator) = output > 1 ? (checked(o * (input - 1)), output - 1) : (0, 1);
            }
            else
            {
                (numerator, denominator) = (Math.Max(0, checked((2 * o + 1) - scale)), 2 * scale);
            }

            var low = Math.Min(numerator / denominator, input - 1);
            var weighted = numerator % denominator != 0 && low + 1 < input;
            return weighted ? new[] { low, low + 1 } : new[] { low };
        };
    }

    public override SlidingWindow Widest() => new(Pair.Square(2), Pair.Square(1), Pair.Square(0), Pair.Square(1));
}

/// <summary>A layer that mixes every position along one axis (0: height, 1: width) and none
/// across it: softmax over the rows or the columns of a map. <paramref name="Length"/> is the
/// axis's size, for the uniform bound.</summary>
public sealed record SpanWindow(int Axis, long Length) : WindowEffect
{
    public override Func<long, IEnumerable<long>> Reads(int axis, long input, long output) =>
        axis == Axis ? _ => Span(input) : o => new[] { o };

    public override SlidingWindow Widest() => new(
        Axis == 0 ? new Pair(Length, 1) : new Pair(1, Length), Pair.Square(1), Pair.Square(0), Pair.Square(1));

    private static IEnumerable<long> Span(long count)
    {
        for (var i = 0L; i < count; i++) yield return i;
    }
}

/// <summary>PyTorch's transposed convolution: output o receives input i wherever
/// o = i * stride - padding + t * dilation for a tap t of the kernel.</summary>
public sealed record TransposedWindow(Pair Kernel, Pair Stride, Pair Padding, Pair Dilation) : WindowEffect
{
    public override Func<long, IEnumerable<long>> Reads(int axis, long input, long output)
    {
        long k = On(Kernel, axis), s = On(Stride, axis), p = On(Padding, axis), d = On(Dilation, axis);
        return o => Sources(o + p, k, s, d);
    }

    /// <summary>Each input position reaches at most ceil(dilated kernel / stride) outputs' worth.</summary>
    public override SlidingWindow Widest() => new(
        new Pair(Math.Max(1, (SpatialArithmetic.EffectiveKernel(Kernel.H, Dilation.H) + Stride.H - 1) / Stride.H),
                 Math.Max(1, (SpatialArithmetic.EffectiveKernel(Kernel.W, Dilation.W) + Stride.W - 1) / Stride.W)),
        Pair.Square(1), Pair.Square(0), Pair.Square(1));

    private static IEnumerable<long> Sources(long shifted, long kernel, long stride, long dilation)
    {
        for (var t = 0L; t < kernel; t++)
        {
            var at = shifted - t * dilation;
            if (at % stride == 0) yield return at / stride;
        }
    }
}

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
