using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>A `let` constant that holds layers with weights makes new layers at each use; a model
/// that uses one twice gets CNN0042, a warning that names both uses (issue 11: a 3x3 convolution
/// used twice has 1,168 parameters, not 584).</summary>
public class WeightSharingTests
{
    [Fact]
    public void A_convolution_constant_used_twice_is_two_layers_and_a_warning_at_the_second_use()
    {
        const string source = """
            let c = conv(8, 3, pad: 1)
            model M input 8x8x8 = c -> relu -> c
            """;
        var result = Compile(source);
        // Still two layers with weights of their own: 2 x (8 * 8 * 9 + 8).
        Assert.Equal(1_168, Assert.Single(result.Models).Parameters);
        Assert.Equal(2 * (8 * 8 * 9 + 8), 1_168);

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(("CNN0042", Severity.Warning), (warning.Code, warning.Severity));
        Assert.Equal((1, 35), (warning.Location.StartLine, warning.Location.StartColumn));
        Assert.Equal("`c` holds layers with weights and model `M` uses it 2 times: each use is new layers with weights of their own (584 parameters each, 1,168 in all), not one layer applied twice", warning.Message);
        Assert.Equal(new[] { ((1, 22), "the first use of `c`"), ((0, 4), "`c` is defined here") },
            warning.Related.Select(r => ((r.Location.StartLine, r.Location.StartColumn), r.Label)));
        Assert.Contains("`block c = ...`", warning.Help);
    }

    [Fact]
    public void The_block_the_help_suggests_is_quiet_and_counts_the_same()
    {
        var model = Model("""
            block c = conv(8, 3, pad: 1)
            model M input 8x8x8 = c -> relu -> c
            """);
        Assert.Equal(1_168, model.Parameters);
    }

    [Fact]
    public void One_use_evaluated_in_a_loop_is_named_as_such()
    {
        var warning = Assert.Single(Compile("""
            let unit = conv(8, 3, pad: 1) -> batchnorm -> relu
            model M input 8x8x8 = repeat 3 { unit }
            """).Diagnostics);
        Assert.Equal("CNN0042", warning.Code);
        Assert.StartsWith("`unit` holds layers with weights and model `M` uses it 3 times (its one use is evaluated 3 times, in a loop or a block called more than once): each use is new layers with weights of their own (600 parameters each, 1,800 in all)", warning.Message);
        // The first use is the same place: only the definition is another.
        Assert.Equal(new[] { "`unit` is defined here" }, warning.Related.Select(r => r.Label));
    }

    [Fact]
    public void A_constant_used_twice_inside_another_constant_is_found_there()
    {
        var warning = Assert.Single(Compile("""
            let c = conv(8, 1)
            let pair = c -> c
            model M input 8x8x8 = pair
            """).Diagnostics);
        Assert.Equal(("CNN0042", 1, 16), (warning.Code, warning.Location.StartLine, warning.Location.StartColumn));
    }

    [Theory]
    [InlineData("let a = relu\nmodel M input 8x8x8 = conv(8, 1) -> a -> conv(8, 1) -> a")] // no weights
    [InlineData("let c = conv(8, 1)\nmodel M input 8x8x8 = c\nmodel N input 8x8x8 = c")] // once per model
    [InlineData("let c = conv(8, 1)\nmodel M input 8x8x8 = c -> conv(8, 1)")]
    [InlineData("let cfg = [8, 8]\nmodel M input 8x8x8 = for v in cfg { conv(v, 1) }")] // not layers
    public void Nothing_is_reported_where_no_weights_are_made_twice(string source) =>
        Assert.Empty(Compile(source).Diagnostics);

    [Fact]
    public void A_labeled_use_is_still_a_use()
    {
        var result = Compile("""
            let c = conv(8, 1)
            model M input 8x8x8 = first: c -> second: c
            """);
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(("CNN0042", 1, 42), (warning.Code, warning.Location.StartLine, warning.Location.StartColumn));
        // A label on a constant makes a group of its layers (docs/language.md, names, rule 2).
        Assert.Equal(new[] { "first.0.weight", "first.0.bias", "second.0.weight", "second.0.bias" }, Assert.Single(result.Models).Keys());
    }
}
