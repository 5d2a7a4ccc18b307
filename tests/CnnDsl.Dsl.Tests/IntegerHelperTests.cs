using System.Linq;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>round, floor, ceil, int, min, max and make_divisible, with the expected values worked
/// out by hand in the comments (Python's rules: round half to even, // rounds down).</summary>
public class IntegerHelperTests
{
    /// <summary>The value of one expression, as the compiler evaluates it: the channels of a 1x1
    /// convolution for integers, or the probability of a dropout for decimals.</summary>
    private static long Integer(string expression)
    {
        var model = Model($"model M input 1x2x2 = conv({expression}, 1)");
        return ((Layers.Conv2dSpec)model.Layers.Single().Spec!).OutChannels;
    }

    private static string Type(string expression) =>
        ((Layers.Conv2dSpec)Model($"let t = type({expression})\nmodel M input 1x2x2 = conv(if t == \"integer\" {{ 1 }} else {{ 2 }}, 1)")
            .Layers.Single().Spec!).OutChannels == 1 ? "integer" : "not an integer";

    [Theory]
    [InlineData("round(2.5)", 2)]     // half to even: 2
    [InlineData("round(3.5)", 4)]     // half to even: 4
    [InlineData("round(2.6)", 3)]
    [InlineData("round(7)", 7)]       // an integer is itself
    [InlineData("-round(-2.5) + 1", 3)] // round(-2.5) = -2
    [InlineData("floor(2.9)", 2)]
    [InlineData("floor(-1.5) + 3", 1)] // floor(-1.5) = -2
    [InlineData("ceil(2.1)", 3)]
    [InlineData("ceil(-1.5) + 2", 1)] // ceil(-1.5) = -1
    [InlineData("int(2.9)", 2)]
    [InlineData("int(-2.9) + 3", 1)]  // toward zero: -2
    [InlineData("int(32 * 0.75)", 24)]
    [InlineData("round(1280 * 1.4)", 1792)]
    public void Rounding_functions_follow_python(string expression, long expected) =>
        Assert.Equal(expected, Integer(expression));

    [Theory]
    [InlineData("min(4, 2, 8)", 2)]
    [InlineData("max(4, 2, 8)", 8)]
    [InlineData("min([4, 2, 8])", 2)]
    [InlineData("max([1, 16])", 16)]
    [InlineData("max(3, 2.5)", 3)]                                // the integer wins and stays one
    [InlineData("max(1, 9223372036854775807, 9223372036854775806) - 9223372036854775800", 7)] // exact above 2^53
    public void Min_and_max_of_numbers_or_a_list(string expression, long expected) =>
        Assert.Equal(expected, Integer(expression));

    [Fact]
    public void Min_and_max_keep_the_type_of_the_value_they_pick()
    {
        Assert.Equal("integer", Type("max(3, 2.5)"));
        Assert.Equal("not an integer", Type("max(1, 2.0)")); // 2.0 is the larger: a decimal, as in Python
        Assert.Equal("integer", Type("round(2.5)"));
    }

    [Theory]
    // new_v = max(min_value, int(v + divisor / 2) // divisor * divisor); + divisor if new_v < 0.9 v
    [InlineData("make_divisible(32 * 1.4, 8)", 48)]    // 44.8 + 4 = 48.8 -> 48 -> 48; 48 >= 40.32
    [InlineData("make_divisible(16 * 0.75, 8)", 16)]   // 12 + 4 = 16 -> 16
    [InlineData("make_divisible(24 * 0.5, 8)", 16)]    // 12 + 4 = 16 -> 16
    [InlineData("make_divisible(96 * 0.75, 8)", 72)]   // 72 + 4 = 76 -> 72
    [InlineData("make_divisible(20, 16)", 32)]         // 20 + 8 = 28 -> 16; 16 < 18, so 32
    [InlineData("make_divisible(3, 8, 1)", 9)]         // 3 + 4 = 7 -> 0 -> max(1, 0) = 1; 1 < 2.7, so 9
    [InlineData("make_divisible(3, 8, min_value: 1)", 9)]
    [InlineData("make_divisible(-5, 4)", 4)]           // -5 + 2 = -3 -> -3 // 4 = -1 -> -4 -> max(4, -4) = 4
    [InlineData("make_divisible(1280 * 1.4, 8)", 1792)]
    public void Make_divisible_is_torchvisions(string expression, long expected) =>
        Assert.Equal(expected, Integer(expression));

    [Fact]
    public void Mnasnet_depths_at_each_width()
    {
        // torchvision's _get_depths: _round_to_multiple_of(depth * alpha, 8) for each depth, worked
        // out as above: 0.5 -> [16, 8, 16, 24, 40, 48, 96, 160]; 0.75 -> [24, 16, 24, 32, 64, 72,
        // 144, 240]; 1.3 -> [40, 24, 32, 56, 104, 128, 248, 416].
        var source = """
            let depths = [32, 16, 24, 40, 80, 96, 192, 320]
            block widths(alpha) = for d in depths { conv(make_divisible(d * alpha, 8), 1) }
            model Half input 1x2x2 = widths(0.5)
            model ThreeQuarters input 1x2x2 = widths(0.75)
            model OneThree input 1x2x2 = widths(1.3)
            """;
        var models = CompileClean(source).Models.ToDictionary(m => m.Name);
        long[] Out(string name) => models[name].Layers.Select(l => ((Layers.Conv2dSpec)l.Spec!).OutChannels).ToArray();
        Assert.Equal(new long[] { 16, 8, 16, 24, 40, 48, 96, 160 }, Out("Half"));
        Assert.Equal(new long[] { 24, 16, 24, 32, 64, 72, 144, 240 }, Out("ThreeQuarters"));
        Assert.Equal(new long[] { 40, 24, 32, 56, 104, 128, 248, 416 }, Out("OneThree"));
    }

    [Fact]
    public void Decimal_width_multipliers_need_an_integer_for_a_layer_size()
    {
        // 32 * 0.75 is the decimal 24: a layer size must be an integer, so it is converted first.
        var result = Compile("model M input 1x2x2 = conv(32 * 0.75, 1)");
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CNN0014", diagnostic.Code);
        Assert.Contains("decimal 24", diagnostic.Message);
    }

    [Theory]
    [InlineData("make_divisible(8, 0)", "CNN0014", "`divisor` of make_divisible must be an integer of at least 1")]
    [InlineData("make_divisible(8, 2.0)", "CNN0014", "`divisor` of make_divisible must be an integer of at least 1")]
    [InlineData("make_divisible(\"a\", 8)", "CNN0014", "`v` of make_divisible must be a number")]
    [InlineData("make_divisible(8, 8, 1.5)", "CNN0014", "`min_value` of make_divisible must be an integer")]
    [InlineData("make_divisible(8)", "CNN0012", "make_divisible needs its `divisor` argument")]
    [InlineData("make_divisible(8, 8, minimum: 1)", "CNN0013", "make_divisible has no parameter `minimum`")]
    [InlineData("make_divisible(1e300, 8)", "CNN0004", "does not fit in a 64-bit integer")]
    [InlineData("round(\"a\")", "CNN0014", "round needs a number")]
    [InlineData("round(1e300)", "CNN0004", "round(1E+300) does not fit in a 64-bit integer")]
    [InlineData("floor(2.5, 1)", "CNN0012", "floor takes exactly one positional argument")]
    [InlineData("min(1)", "CNN0012", "min needs two or more numbers, or one list of numbers")]
    [InlineData("max([])", "CNN0018", "max of an empty list has no value")]
    [InlineData("max(1, \"a\")", "CNN0014", "max compares numbers")]
    [InlineData("min(a: 1, b: 2)", "CNN0013", "min takes numbers, not named arguments")]
    public void Misuse_is_one_located_diagnostic(string expression, string code, string message)
    {
        var result = Compile($"model M input 1x2x2 = conv({expression}, 1)");
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(code, diagnostic.Code);
        Assert.Contains(message, diagnostic.Message);
        // Inside the call: "model M input 1x2x2 = conv(" is 27 characters.
        Assert.InRange(diagnostic.Location.Range.Start, 27, 27 + expression.Length);
    }

    [Fact]
    public void The_helpers_are_names_a_declaration_cannot_take()
    {
        foreach (var name in new[] { "round", "floor", "ceil", "int", "min", "max", "make_divisible" })
        {
            var diagnostic = Assert.Single(Compile($"let {name} = 1\nmodel M input 1x2x2 = conv({name}, 1)").Diagnostics, d => d.Code == "CNN0011");
            Assert.Contains("builtin", diagnostic.Message);
        }
    }
}
