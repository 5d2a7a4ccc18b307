using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CnnDsl.Benchmarks.Harness;

/// <summary>Order statistics of a sample: median and the interquartile range as the spread.</summary>
/// <remarks><see cref="CiLow"/>..<see cref="CiHigh"/> is the distribution-free 95% confidence
/// interval of the median (order statistics at n/2 -+ 0.98 sqrt(n), binomial approximation).</remarks>
public readonly record struct Summary(int Count, double Median, double P25, double P75, double Min, double Max, double CiLow, double CiHigh)
{
    public static Summary Of(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) throw new ArgumentException("empty sample");
        var n = sorted.Length;
        var half = 0.98 * Math.Sqrt(n);
        var lo = Math.Max(0, (int)Math.Floor(n / 2.0 - half));
        var hi = Math.Min(n - 1, (int)Math.Ceiling(n / 2.0 + half) - 1);
        return new Summary(n, Quantile(sorted, 0.5), Quantile(sorted, 0.25), Quantile(sorted, 0.75), sorted[0], sorted[^1], sorted[lo], sorted[hi]);
    }

    /// <summary>"median (95% CI lo-hi) [p25, p75]".</summary>
    public string FormatWithCi(string format) => string.Create(CultureInfo.InvariantCulture,
        $"{Median.ToString(format, CultureInfo.InvariantCulture)} (CI {CiLow.ToString(format, CultureInfo.InvariantCulture)}-{CiHigh.ToString(format, CultureInfo.InvariantCulture)}) [{P25.ToString(format, CultureInfo.InvariantCulture)}, {P75.ToString(format, CultureInfo.InvariantCulture)}]");

    /// <summary>Linear interpolation between closest ranks (type 7, as numpy's default).</summary>
    public static double Quantile(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>"median [p25, p75]" with the given format.</summary>
    public string Format(string format) => string.Create(CultureInfo.InvariantCulture,
        $"{Median.ToString(format, CultureInfo.InvariantCulture)} [{P25.ToString(format, CultureInfo.InvariantCulture)}, {P75.ToString(format, CultureInfo.InvariantCulture)}]");
}

public static class Text
{
    public static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
