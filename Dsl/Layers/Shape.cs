using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CnnDsl.Dsl.Layers;

/// <summary>The shape of one sample (batch size is never part of it): C x H x W for feature
/// maps, a single dimension after flatten or linear.</summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly long[] _dimensions;

    public Shape(params long[] dimensions) => _dimensions = (long[])dimensions.Clone();

    public static Shape Image(long channels, long height, long width) => new(channels, height, width);
    public static Shape Features(long count) => new(count);

    public IReadOnlyList<long> Dimensions => _dimensions;
    public int Rank => _dimensions.Length;
    public bool IsImage => Rank == 3;
    public long Channels => _dimensions[0];
    public long Height => IsImage ? _dimensions[1] : 1;
    public long Width => IsImage ? _dimensions[2] : 1;

    /// <summary>Elements in one sample; checked, since a huge declared input must not wrap.</summary>
    public long Elements => _dimensions.Aggregate(1L, (a, d) => checked(a * d));

    public override string ToString() =>
        string.Join("x", _dimensions.Select(d => d.ToString(CultureInfo.InvariantCulture)));

    public bool Equals(Shape? other) => other is not null && _dimensions.SequenceEqual(other._dimensions);
    public override bool Equals(object? obj) => Equals(obj as Shape);
    public override int GetHashCode() => unchecked(_dimensions.Aggregate(17, (h, d) => h * 31 + d.GetHashCode()));
}
