using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>One run reports every independent mistake once: a stray character does not hide the
/// file, a broken declaration does not echo where it is used, and one mistake is one diagnostic.</summary>
public class RecoveryTests
{
    [Fact]
    public void A_stray_character_does_not_hide_the_rest_of_the_file()
    {
        var result = Compile("""
            model A input 1x8x8 = conv(4, 3) $ relu
            model B input 1x8x8 = conv(4, 3) -> rleu
            model C input 1x8x8 = conv(8, 3) @ -> relu
            model D input 1x8x8 = conv(8, 3) -> relu
            """);
        Assert.Equal(new[] { ("CNN0002", 0, 33), ("CNN0010", 1, 36), ("CNN0002", 2, 33) },
            result.Diagnostics.Select(d => (d.Code, d.Location.StartLine, d.Location.StartColumn)));
        // The declarations with a hole are left out quietly; the others are checked and built.
        Assert.Equal(new[] { "D" }, result.Models.Select(m => m.Name));
    }

    [Fact]
    public void Junk_after_the_last_token_of_a_declaration_changes_nothing()
    {
        var result = Compile("let width = 8;\nmodel M input 1x8x8 = conv(width, 3);\n");
        Assert.Equal(new[] { ("CNN0002", 0), ("CNN0002", 1) }, result.Diagnostics.Select(d => (d.Code, d.Location.StartLine)));
        Assert.Equal(8 * 9 + 8, Assert.Single(result.Models).Parameters);
    }

    [Fact]
    public void A_run_of_bad_characters_is_one_diagnostic()
    {
        var diagnostic = Assert.Single(Compile("model M input 1x8x8 = relu $$@@ -> tanh").Diagnostics);
        Assert.Equal(("CNN0002", 27, 31), (diagnostic.Code, diagnostic.Location.Range.Start, diagnostic.Location.Range.End));
        Assert.Equal("unexpected characters `$$@@`: no token starts with them", diagnostic.Message);
    }

    [Theory]
    [InlineData("let cfg = [6, 'M', 16]", "strings use double quotes, not single ones: 'M'", 14, 17)]
    [InlineData("let s = \"conv{i}\nlet t = 1", "this string is not closed", 8, 16)]
    [InlineData("let n = 64abc", "`64abc` is neither a number nor a name", 8, 13)]
    [InlineData("let n = 3x", "`3x` is neither a number nor a name", 8, 10)]
    [InlineData("let b = ! true", "`!` is not an operator on its own", 8, 9)]
    [InlineData("let x = réseau", "`réseau` is not a name: names are made of the letters A to Z, digits and '_'", 8, 14)]
    [InlineData("let x = inceptioé4d", "`inceptioé4d` is not a name: names are made of the letters A to Z, digits and '_'", 8, 19)]
    public void Each_lexical_mistake_is_one_diagnostic_over_its_text(string source, string message, int start, int end)
    {
        var result = Compile(source + "\nmodel M input 1x8x8 = relu");
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("CNN0002", message, start, end), (diagnostic.Code, diagnostic.Message, diagnostic.Location.Range.Start, diagnostic.Location.Range.End));
        Assert.Equal("M", Assert.Single(result.Models).Name);
    }

    [Fact]
    public void Uses_of_a_declaration_that_did_not_parse_are_not_reported_again()
    {
        var result = Compile("""
            block stem = conv(64, 7 -> relu
            let widths = [64, 128
            model A input 3x32x32 = stem -> for w in widths { conv(w, 3) }
            model B input 3x32x32 = stem(3)
            model C input 3x32x32 = conv(8, 3) -> relu
            """);
        Assert.Equal(new[] { "CNN0001", "CNN0001" }, result.Diagnostics.Select(d => d.Code));
        Assert.Equal(new[] { "C" }, result.Models.Select(m => m.Name));
    }

    [Fact]
    public void A_positional_argument_after_a_named_one_is_one_diagnostic()
    {
        var diagnostic = Assert.Single(Compile("model M input 1x8x8 = conv(out: 4, 3)").Diagnostics);
        Assert.Equal("CNN0024", diagnostic.Code);
        Assert.Equal("a positional argument of conv follows the named argument `out`", diagnostic.Message);
        Assert.Equal("positional arguments come first: name it (`kernel: 3`) or move it before `out`", diagnostic.Help);
        Assert.Equal(("the first named argument", 27), (Assert.Single(diagnostic.Related).Label, diagnostic.Related[0].Location.Range.Start));

        // Blocks and structures bind their arguments the same way.
        Assert.Equal("CNN0024", Assert.Single(Compile("block b(c, k) = conv(c, k)\nmodel M input 1x8x8 = b(c: 4, 3)").Diagnostics).Code);
    }

    [Fact]
    public void Missing_arguments_are_one_diagnostic_that_names_them_all()
    {
        var bare = Assert.Single(Compile("model M input 1x8x8 = conv").Diagnostics);
        Assert.Equal(("CNN0012", "conv needs its `out` and `kernel` arguments"), (bare.Code, bare.Message));
        var three = Assert.Single(Compile("block b(x, y, z) = conv(x, y, stride: z)\nmodel M input 1x8x8 = b()").Diagnostics);
        Assert.Equal("b needs its `x`, `y` and `z` arguments", three.Message);
    }

    [Fact]
    public void A_mistake_in_a_block_used_by_several_models_is_reported_once()
    {
        var result = Compile("""
            block stem = conv(8, 3, padding: 1) -> relu
            model A input 3x32x32 = stem
            model B input 3x64x64 = stem -> relu
            """);
        Assert.Equal("CNN0013", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void A_mistake_in_a_block_called_with_different_arguments_is_reported_once_with_the_first_values()
    {
        var result = Compile("""
            block head(c) = conv(c, 3) -> linear(10)
            model A input 1x8x8 = head(4)
            model B input 1x8x8 = head(8)
            """);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("CNN0033", "in model `A`, layer `1` (linear): linear(10) is fed a 4x6x6 tensor; it needs a flat vector of features"), (diagnostic.Code, diagnostic.Message));
    }

    [Fact]
    public void Every_error_in_a_file_is_reported_once_even_with_stray_characters()
    {
        var result = Compile("""
            let a = 1
            let a = 2;
            block b(c) = conv(c, 3) -> rleu
            model M input 1x8x8 = b(4) -> conv(4, 3, padding: 1)
            model N input 3x8x8 = conv(4, 3, groups: 2) # é in a comment is fine
            model O input 3x8x8 = conv(4, 3) ->
            """);
        Assert.Equal(new[] { "CNN0011", "CNN0002", "CNN0010", "CNN0013", "CNN0034", "CNN0001" }, result.Diagnostics.Select(d => d.Code));
    }
}
