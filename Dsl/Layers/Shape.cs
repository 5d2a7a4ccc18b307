using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CnnDsl.Dsl.Layers;

/// <summary>The shape of one sample (batch size is never part of it): C x H x W for feature
/// maps, a single dimension after flatten or linear, or H x W x C for a feature map in
/// channels-last order (after ConvNeXt's <c>permute(0, 2, 3, 1)</c>). <see cref="Dimensions"/>
/// are always in the tensor's own order, so they are what <c>tensor.shape</c> shows after the
/// batch dimension.</summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly long[] _dimensions;

    public Shape(params long[] dimensions) => _dimensions = (long[])dimensions.Clone();

    private Shape(long[] dimensions, bool channelsLast)
    {
        _dimensions = dimensions;
        IsChannelsLast = channelsLast;
    }

    public static Shape Image(long channels, long height, long width) => new(channels, height, width);
    public static Shape Features(long count) => new(count);

    /// <summary>A feature map stored position by position: dimensions H, W, C.</summary>
    public static Shape ChannelsLast(long height, long width, long channels) => new(new[] { height, width, channels }, true);

    public IReadOnlyList<long> Dimensions => _dimensions;
    public int Rank => _dimensions.Length;

    /// <summary>A feature map in PyTorch's usual order, C x H x W: what convolutions and pooling take.</summary>
    public bool IsImage => Rank == 3 && !IsChannelsLast;

    /// <summary>A feature map in H x W x C order: channels are the last dimension.</summary>
    public bool IsChannelsLast { get; }

    /// <summary>The channels of a feature map (in either order), or the features of a flat shape.</summary>
    public long Channels => IsChannelsLast ? _dimensions[2] : _dimensions[0];
    public long Height => IsImage ? _dimensions[1] : IsChannelsLast ? _dimensions[0] : 1;
    public long Width => IsImage ? _dimensions[2] : IsChannelsLast ? _dimensions[1] : 1;

    /// <summary>Elements in one sample; checked, since a huge declared input must not wrap.</summary>
    public long Elements => _dimensions.Aggregate(1L, (a, d) => checked(a * d));

    /// <summary><c>64x56x56</c>, <c>1000</c>, or <c>56x56x64 (HxWxC)</c> for channels-last.</summary>
    public override string ToString() =>
        string.Join("x", _dimensions.Select(d => d.ToString(CultureInfo.InvariantCulture))) + (IsChannelsLast ? " (HxWxC)" : "");

    public bool Equals(Shape? other) =>
        other is not null && IsChannelsLast == other.IsChannelsLast && _dimensions.SequenceEqual(other._dimensions);

    public override bool Equals(object? obj) => Equals(obj as Shape);
    public override int GetHashCode() => _dimensions.Aggregate(IsChannelsLast ? 19 : 17, (h, d) => h * 31 + d.GetHashCode());
}
