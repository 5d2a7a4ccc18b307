using CnnDsl.Cli.Rendering;
using Xunit;

namespace CnnDsl.Cli.Tests;

public class NumbersTests
{
    [Theory]
    [InlineData(0, "0")]
    [InlineData(999, "999")]
    [InlineData(61_706, "61,706")]
    [InlineData(138_357_544, "138,357,544")]
    public void Grouped_uses_commas(long value, string expected) => Assert.Equal(expected, Numbers.Grouped(value));

    [Theory]
    [InlineData(15_470_264_320, "15.47 G multiply-adds (30.94 GFLOPs)")]
    [InlineData(416_520, "416.52 K multiply-adds (833.04 KFLOPs)")]
    [InlineData(840, "840 multiply-adds (1.68 KFLOPs)")]
    [InlineData(0, "0 multiply-adds (0 FLOPs)")]
    [InlineData(714_188_480, "714.19 M multiply-adds (1.43 GFLOPs)")]
    public void Compute_spells_out_macs_and_flops(long macs, string expected) => Assert.Equal(expected, Numbers.Compute(macs));

    [Theory]
    [InlineData(999_996, "1.00 M")]
    [InlineData(999_994, "999.99 K")]
    public void Scaled_rounds_into_the_next_unit(long value, string expected) => Assert.Equal(expected, Numbers.Scaled(value));

    /// <summary>The cases: `cnn list` printed "75.50 T" and "5.02 E" under a legend that
    /// named K, M and G only. Every prefix a figure up to long.MaxValue can take is in the legend,
    /// with its power of ten.</summary>
    [Fact]
    public void The_legend_defines_every_prefix_a_figure_can_have()
    {
        Assert.Equal("K/M/G/T/P/E = 10^3/10^6/10^9/10^12/10^15/10^18", Numbers.PrefixLegend);
        var names = Numbers.PrefixLegend.Split(" = ")[0].Split('/');
        var powers = Numbers.PrefixLegend.Split(" = ")[1].Split('/');
        for (var value = 1000L; value > 0 && value <= long.MaxValue / 10; value *= 10)
        {
            var scaled = Numbers.Scaled(value);
            var prefix = scaled.Split(' ')[^1];
            var index = System.Array.IndexOf(names, prefix);
            Assert.True(index >= 0, $"{value} prints as {scaled}, whose prefix the legend does not define");
            var shown = double.Parse(scaled.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(value, shown * System.Math.Pow(10, 3 * (index + 1)), value * 1e-3);
            Assert.Equal("10^" + (3 * (index + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture), powers[index]);
        }

        Assert.EndsWith(" E", Numbers.Scaled(long.MaxValue));
    }
}
