using System;
using System.Globalization;

namespace CnnDsl.Dsl.Analysis;

/// <summary>The largest count a model may have: 2^53 = 9,007,199,254,740,992 elements in a
/// shape, parameters, buffer elements or multiply-adds, for one layer or summed over a model.
/// Up to 2^53 every count is exact as a JSON number (a double), and what tools derive from it
/// for one sample stays far inside 64 bits: 2 FLOPs per multiply-add, 8 bytes per element, the
/// forward and backward activations. A model beyond it is a CNN0037 error, so that a file that
/// passes <c>check</c> never overflows a figure later.</summary>
public static class CountLimit
{
    public const long Max = 1L << 53;

    public static string MaxText { get; } = "2^53 = " + Max.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The value, or an <see cref="OverflowException"/> when it exceeds <see cref="Max"/>.</summary>
    public static long Within(long value) => value <= Max ? value : throw new OverflowException();

    public static bool Exceeds(long value) => value > Max;
}
