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
}
