using System.Globalization;
using System.Linq;

namespace CnnDsl.Cli.Rendering;

/// <summary>Number formatting shared by every renderer: invariant culture, always.</summary>
public static class Numbers
{
    private static readonly string[] Prefixes = { "", "K", "M", "G", "T", "P", "E" };

    /// <summary>What every prefix <see cref="Scaled"/> may print stands for, for a legend:
    /// "K/M/G/T/P/E = 10^3/10^6/10^9/10^12/10^15/10^18" (short enough for the summary's footer on
    /// a 100-column terminal). Made from the prefixes themselves, so that a legend never leaves
    /// one out.</summary>
    public static string PrefixLegend { get; } =
        string.Join("/", Prefixes.Skip(1)) + " = " + string.Join("/", Prefixes.Skip(1).Select((_, i) => "10^" + (3 * (i + 1)).ToString(CultureInfo.InvariantCulture)));

    /// <summary>138357544 -> "138,357,544".</summary>
    public static string Grouped(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>15470264320 -> "15.47 G"; values under a thousand stay whole: "840".</summary>
    public static string Scaled(double value)
    {
        var (number, prefix) = Split(value);
        return prefix.Length == 0 ? number : number + " " + prefix;
    }

    /// <summary>The compute cost as people quote it: "15.47 G multiply-adds (30.94 GFLOPs)".
    /// A multiply-add (MAC) is two floating-point operations.</summary>
    public static string Compute(long multiplyAdds)
    {
        var (flops, prefix) = Split(2.0 * multiplyAdds);
        return $"{Scaled(multiplyAdds)} multiply-adds ({flops} {prefix}FLOPs)";
    }

    /// <summary>Bytes in decimal megabytes, as torchinfo reports sizes: "553.43 MB".</summary>
    public static string Megabytes(long bytes) =>
        (bytes / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " MB";

    /// <summary>Bytes as a number of decimal megabytes with two decimals, as torchinfo prints
    /// its sizes: 602112 -> "0.60", 602247136 -> "602.25".</summary>
    public static string MegabytesValue(long bytes) =>
        (bytes / 1e6).ToString("#,##0.00", CultureInfo.InvariantCulture);

    /// <summary>A value as a number with two decimals and an SI prefix (K, M, G, ...).</summary>
    private static (string Number, string Prefix) Split(double value)
    {
        var index = 0;
        while (System.Math.Abs(value) >= 999.995 && index < Prefixes.Length - 1)
        {
            value /= 1000;
            index++;
        }

        var number = index == 0
            ? value.ToString("0.##", CultureInfo.InvariantCulture)
            : value.ToString("0.00", CultureInfo.InvariantCulture);
        return (number, Prefixes[index]);
    }
}
