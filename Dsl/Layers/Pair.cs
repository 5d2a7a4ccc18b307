using System.Globalization;

namespace CnnDsl.Dsl.Layers;

/// <summary>A height/width pair: kernel size, stride, padding or dilation.</summary>
public readonly record struct Pair(long H, long W)
{
    public static Pair Square(long value) => new(value, value);
    public bool IsSquare => H == W;

    public override string ToString() => IsSquare
        ? H.ToString(CultureInfo.InvariantCulture)
        : $"{H.ToString(CultureInfo.InvariantCulture)}x{W.ToString(CultureInfo.InvariantCulture)}";
}
