using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Dsl.Analysis;

/// <summary>The region of the input one output position sees, per axis: its size, the step
/// between neighbouring outputs in input pixels (effective stride), and how far the first
/// window starts before the input (effective padding). Grows by the seed formula
/// RF(i) = S(i) * (RF(i+1) - 1) + K(i), written forward: rf += (k_eff - 1) * jump, which is
/// exact while every layer is a uniform sliding window.
///
/// A layer whose windows are not uniform (adaptive pooling whose size does not divide its
/// input, upsampling, transposed convolution) is followed exactly instead: the field keeps, per
/// output row and column, the first and last input pixel it sees, and each later layer maps
/// those through the input positions each of its outputs reads (<see cref="ExactWindows"/>).
/// The size is then the widest of them, so it is never larger than the input the layer can
/// reach; a position in a layer's padding adds nothing.</summary>
public sealed record ReceptiveField(Pair Size, Pair Stride, Pair Padding, bool Global)
{
    /// <summary>Above this many positions on an axis the field is not followed position by
    /// position (it would cost memory in proportion): the seed formula's bound is kept instead.</summary>
    public const long MaxExactPositions = 1 << 16;

    public static ReceptiveField Pixel { get; } = new(Pair.Square(1), Pair.Square(1), Pair.Square(0), false);

    /// <summary>The input pixels each output row and column sees, once a layer read unevenly;
    /// null while the seed formula is exact.</summary>
    public ExactWindows? Exact { get; init; }

    /// <summary>The field after a layer that turns <paramref name="input"/> into
    /// <paramref name="output"/> with the given window.</summary>
    public ReceptiveField Through(WindowEffect window, Shape input, Shape output)
    {
        if (Global || window is GlobalWindow) return this with { Global = true, Exact = null };
        if (window is PointwiseWindow) return output.IsImage ? this : this with { Exact = null };
        if (Exact is null && window is SlidingWindow uniform) return Formula(uniform);
        if (!input.IsImage || !output.IsImage) return this with { Exact = null };
        if (input.Height > MaxExactPositions || input.Width > MaxExactPositions
            || output.Height > MaxExactPositions || output.Width > MaxExactPositions)
        {
            return Bound(window);
        }

        var rows = AxisWindows.Through(Exact?.Rows ?? AxisWindows.Affine(input.Height, Size.H, Stride.H, Padding.H),
            output.Height, window.Reads(0, input.Height, output.Height));
        var columns = AxisWindows.Through(Exact?.Columns ?? AxisWindows.Affine(input.Width, Size.W, Stride.W, Padding.W),
            output.Width, window.Reads(1, input.Width, output.Width));
        return new ReceptiveField(
            new Pair(rows.Size, columns.Size), new Pair(rows.Stride, columns.Stride), new Pair(rows.Padding, columns.Padding), false)
        {
            Exact = new ExactWindows(rows, columns),
        };
    }

    /// <summary>The seed formula through a uniform window.</summary>
    private ReceptiveField Formula(SlidingWindow w) => new(
        new Pair(
            checked(Size.H + (SpatialArithmetic.EffectiveKernel(w.Kernel.H, w.Dilation.H) - 1) * Stride.H),
            checked(Size.W + (SpatialArithmetic.EffectiveKernel(w.Kernel.W, w.Dilation.W) - 1) * Stride.W)),
        new Pair(checked(Stride.H * w.Stride.H), checked(Stride.W * w.Stride.W)),
        new Pair(checked(Padding.H + w.Padding.H * Stride.H), checked(Padding.W + w.Padding.W * Stride.W)),
        false);

    /// <summary>For an axis too long to follow position by position: the seed formula through
    /// the window's widest reach, an upper bound.</summary>
    private ReceptiveField Bound(WindowEffect window) => (Exact is null ? this : new ReceptiveField(Size, Stride, Padding, false))
        .Formula(window.Widest());

    public override string ToString() => Global ? "all" : Size.ToString();
}

/// <summary>The exact windows of a field, per row and per column of the layer's output.</summary>
public sealed record ExactWindows(AxisWindows Rows, AxisWindows Columns);

/// <summary>For each output position along one axis, the first and last input pixel it sees
/// (as in the seed formula, a window may start before the input: that is its padding). Compared
/// by value.</summary>
public sealed class AxisWindows : IEquatable<AxisWindows>
{
    private readonly long[] _first;
    private readonly long[] _last;

    private AxisWindows(long[] first, long[] last)
    {
        _first = first;
        _last = last;
    }

    public long Count => _first.LongLength;

    /// <summary>The widest window.</summary>
    public long Size { get; private set; }

    /// <summary>The largest step between the starts of neighbouring windows (0 or more).</summary>
    public long Stride { get; private set; }

    /// <summary>How far the first window starts before the input (0 or more).</summary>
    public long Padding { get; private set; }

    /// <summary>The windows of the seed formula at <paramref name="count"/> positions: position q
    /// sees [q * stride - padding, q * stride - padding + size - 1].</summary>
    public static AxisWindows Affine(long count, long size, long stride, long padding)
    {
        var first = new long[count];
        var last = new long[count];
        for (var q = 0; q < count; q++)
        {
            first[q] = checked(q * stride - padding);
            last[q] = checked(first[q] + size - 1);
        }

        return Made(first, last);
    }

    /// <summary>The windows after a layer: output position o sees the union of what the input
    /// positions it reads see. A position that reads nothing (only padding) sees nothing and
    /// counts for no size.</summary>
    public static AxisWindows Through(AxisWindows previous, long count, Func<long, IEnumerable<long>> reads)
    {
        var first = new long[count];
        var last = new long[count];
        for (var o = 0; o < count; o++)
        {
            first[o] = long.MaxValue;
            last[o] = long.MinValue;
            foreach (var q in reads(o))
            {
                if (q < 0 || q >= previous.Count) continue;
                first[o] = Math.Min(first[o], previous._first[q]);
                last[o] = Math.Max(last[o], previous._last[q]);
            }
        }

        return Made(first, last);
    }

    private static AxisWindows Made(long[] first, long[] last)
    {
        var windows = new AxisWindows(first, last);
        long size = 0, stride = 0, start = long.MaxValue;
        var seen = -1;
        for (var o = 0; o < first.Length; o++)
        {
            if (first[o] > last[o]) continue;
            size = Math.Max(size, checked(last[o] - first[o] + 1));
            start = Math.Min(start, first[o]);
            if (seen >= 0) stride = Math.Max(stride, first[o] - first[seen]);
            seen = o;
        }

        windows.Size = size;
        windows.Stride = stride;
        windows.Padding = start == long.MaxValue ? 0 : Math.Max(0, -start);
        return windows;
    }

    public bool Equals(AxisWindows? other) => other is not null && _first.SequenceEqual(other._first) && _last.SequenceEqual(other._last);

    public override bool Equals(object? obj) => Equals(obj as AxisWindows);

    public override int GetHashCode() => unchecked(_first.Length * 31 + (int)Size);
}
