using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Layers;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary><c>input.channels</c>, <c>input.height</c>, <c>input.width</c>: a block that reads them
/// is expanded where it is used, and must give exactly the model that passing the sizes by hand
/// gives, in every place a block can stand (the names of its layers included).</summary>
public class InputShapeTests
{
    private const string Reading = """
        block grow(k = 2) = conv(input.channels * k, 1) -> relu
        block grow_named(k = 2) = c: conv(input.channels * k, 1) -> r: relu
        block same = c1: conv(input.channels, 3, pad: 1) -> bn1: batchnorm
        """;

    private const string ByHand = """
        block grow(ch, k = 2) = conv(ch * k, 1) -> relu
        block grow_named(ch, k = 2) = c: conv(ch * k, 1) -> r: relu
        block same(ch) = c1: conv(ch, 3, pad: 1) -> bn1: batchnorm
        """;

    /// <summary>Everything the analysis says about each layer, group and merge.</summary>
    private static IEnumerable<string> Described(Analysis.ModelInfo model) =>
        model.Root.DescendantsAndSelf().Select(l =>
            $"{l.Path}|{l.Name}|{l.TypeName}|{l.KindName}|{l.Transparent}|{l.Input}->{l.Output}|{l.Parameters}|{l.Buffers}|{l.MultiplyAdds}");

    private static void AssertSameModels(string reading, string byHand)
    {
        // The blocks a test does not use are reported unused (a warning), in both sources alike.
        static IReadOnlyList<Analysis.ModelInfo> Checked(string source)
        {
            var result = Compile(source);
            Assert.True(result.Diagnostics.All(d => d.Code == "CNN0040"), "unexpected diagnostics:\n" + Render(result.Diagnostics));
            return result.Models;
        }

        var expected = Checked(ByHand + "\n" + byHand);
        var actual = Checked(Reading + "\n" + reading);
        Assert.Equal(expected.Select(m => m.Name), actual.Select(m => m.Name));
        foreach (var (want, got) in expected.Zip(actual))
        {
            Assert.Equal(want.Keys(), got.Keys());
            Assert.Equal(Described(want), Described(got));
        }
    }

    [Fact]
    public void A_block_without_names_splices_its_layers_where_it_is_used() => AssertSameModels(
        "model M input 4x8x8 = conv(8, 1) -> grow() -> grow(3) -> flatten -> linear(10)",
        "model M input 4x8x8 = conv(8, 1) -> grow(8) -> grow(16, 3) -> flatten -> linear(10)");

    [Fact]
    public void A_block_with_names_is_a_module_and_a_label_names_it() => AssertSameModels(
        "model M input 4x8x8 = a: grow_named() -> b: grow_named(3) -> grow_named()",
        "model M input 4x8x8 = a: grow_named(4) -> b: grow_named(8, 3) -> grow_named(24)");

    [Fact]
    public void Spliced_layers_take_kind_names_beside_labeled_ones() => AssertSameModels(
        "model M input 4x8x8 = stem: conv(8, 1) -> grow() -> grow() -> head: conv(2, 1)",
        "model M input 4x8x8 = stem: conv(8, 1) -> grow(8) -> grow(16) -> head: conv(2, 1)");

    [Fact]
    public void A_label_on_a_block_without_names_makes_a_group() => AssertSameModels(
        "model M input 4x8x8 = g: grow() -> h: (grow() -> grow())",
        "model M input 4x8x8 = g: grow(4) -> h: (grow(8) -> grow(16))");

    [Fact]
    public void All_of_a_residual_or_dense_body_is_named_under_the_structure() => AssertSameModels(
        """
        model M input 4x8x8 = residual(same) -> relu -> block1: residual(same) -> "d{1}": dense(grow_named())
        """,
        """
        model M input 4x8x8 = residual(same(4)) -> relu -> block1: residual(same(4)) -> "d{1}": dense(grow_named(4))
        """);

    [Fact]
    public void Concat_branches_and_custom_shortcuts() => AssertSameModels(
        """
        model M input 4x8x8 =
          concat [grow(), grow_named(), conv(4, 1), (grow() -> grow())]
          -> residual(conv(72, 1), shortcut: grow(2))
        """,
        // 8 + 8 + 4 + 16 = 36 channels; the shortcut doubles them.
        """
        model M input 4x8x8 =
          concat [grow(4), grow_named(4), conv(4, 1), (grow(4) -> grow(8))]
          -> residual(conv(72, 1), shortcut: grow(36, 2))
        """);

    [Fact]
    public void A_network_that_reads_its_input_keeps_its_layers_at_the_top()
    {
        AssertSameModels(
            """
            network net(classes = 10) input 3x8x8 = conv(input.channels * 2, 1) -> grow() -> flatten -> fc: linear(classes)
            model M = net()
            model Small input 1x4x4 = net(5)
            """,
            """
            network net(ch, classes = 10) input 3x8x8 = conv(ch * 2, 1) -> grow(ch * 2) -> flatten -> fc: linear(classes)
            model M = net(3)
            model Small input 1x4x4 = net(1, 5)
            """);
    }

    [Fact]
    public void A_block_reading_input_inside_one_that_reads_it() => AssertSameModels(
        """
        block outer(k) = conv(input.channels + k, 1) -> grow() -> n: grow_named()
        model M input 4x8x8 = outer(1) -> o: outer(2)
        """,
        """
        block outer(ch, k) = conv(ch + k, 1) -> grow(ch + k) -> n: grow_named((ch + k) * 2)
        model M input 4x8x8 = outer(4, 1) -> o: outer(20, 2)
        """);

    [Fact]
    public void One_value_used_at_places_with_different_inputs_is_expanded_at_each()
    {
        // `g` is one call of `grow`, made once; each place it is used gets its own expansion: 2 -> 4 -> 8 -> 16.
        AssertSameModels(
            """
            let g = grow()
            block twice(x) = x -> x
            model M input 2x4x4 = g -> twice(g) -> g
            """,
            """
            model M input 2x4x4 = grow(2) -> grow(4) -> grow(8) -> grow(16)
            """);
    }

    [Fact]
    public void Height_and_width_are_the_spatial_size_received()
    {
        var model = Model("""
            block pool_all = avgpool([input.height, input.width])
            block widen = conv(input.channels * input.height, 1)
            model M input 3x12x6 = conv(4, 3, stride: [2, 1], pad: 1) -> widen -> pool_all -> flatten
            """);
        // conv: 12x6 -> 6x6 (stride 2 along H); widen: 4 * 6 = 24 channels; the pool covers 6x6.
        Assert.Equal(24, ((Conv2dSpec)model.Layer("1").Spec!).OutChannels);
        Assert.Equal(new long[] { 6, 6 }, new[] { ((Pool2dSpec)model.Layer("2").Spec!).Kernel.H, ((Pool2dSpec)model.Layer("2").Spec!).Kernel.W });
        Assert.Equal(new long[] { 24 }, model.Output.Dimensions);
    }

    [Fact]
    public void Parameter_defaults_may_read_the_input()
    {
        var model = Model("""
            block bottleneck(out, mid = input.channels / 4) = c1: conv(mid, 1) -> c2: conv(out, 1)
            model M input 64x4x4 = bottleneck(32) -> b: bottleneck(8, mid: 3)
            """);
        // Beside the label `b`, the unlabeled module takes its block's name.
        Assert.Equal(16, ((Conv2dSpec)model.Layer("bottleneck.c1").Spec!).OutChannels); // 64 / 4
        Assert.Equal(3, ((Conv2dSpec)model.Layer("b.c1").Spec!).OutChannels);
    }

    [Fact]
    public void The_tools_input_override_reaches_the_expansion()
    {
        var source = new Text.SourceFile("t.cnn", Reading + "\nmodel M input 4x8x8 = grow() -> flatten");
        var result = CnnCompiler.Compile(source, new Dictionary<string, Shape> { ["M"] = Shape.Image(5, 8, 8) });
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        Assert.Equal(10, ((Conv2dSpec)Assert.Single(result.Models).Layer("0").Spec!).OutChannels);
    }

    [Fact]
    public void Recursion_through_blocks_that_read_input_ends_where_it_should()
    {
        // Each level adds one channel: 1 -> 2 -> ... -> 11 over ten 1x1 convolutions.
        var model = Model("""
            block r(n) = if n == 0 { identity } else { conv(input.channels + 1, 1) -> r(n - 1) }
            model M input 1x2x2 = r(10)
            """);
        Assert.Equal(Enumerable.Range(2, 10).Select(c => (long)c),
            model.Layers.Where(l => l.Spec is Conv2dSpec).Select(l => ((Conv2dSpec)l.Spec!).OutChannels));
    }

    [Fact]
    public void Runaway_recursion_through_blocks_that_read_input_is_reported_once()
    {
        var result = Compile("""
            block r = conv(input.channels + 1, 1) -> r
            model M input 1x2x2 = r
            model N input 1x2x2 = conv(3, 1)
            """);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CNN0017", diagnostic.Code);
        Assert.Contains("calls nest deeper than 64 levels: r -> r", diagnostic.Message);
        Assert.Equal("N", Assert.Single(result.Models).Name);
    }

    [Fact]
    public void The_layer_budget_counts_expanded_layers()
    {
        var result = Compile("""
            block one = conv(input.channels, 1)
            model M input 1x2x2 = repeat 20001 { one }
            """);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CNN0018", diagnostic.Code);
        Assert.Equal("the model has more than 20000 layers", diagnostic.Message);
        Assert.Empty(result.Models);
    }

    [Fact]
    public void Reading_height_after_flatten_is_located_at_the_read_and_the_use()
    {
        var source = """
            block head = linear(input.height)
            model M input 3x8x8 = conv(4, 1) -> flatten -> head
            """;
        var result = Compile(source);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CNN0026", diagnostic.Code);
        Assert.Equal("`input.height` needs an image (C x H x W), but `head` receives 256 features here", diagnostic.Message);
        // "block head = linear(" is 20 characters; `input.height` is 12.
        Assert.Equal((0, 20, 12), (diagnostic.Location.StartLine, diagnostic.Location.StartColumn, diagnostic.Location.Range.Length));
        var use = Assert.Single(diagnostic.Related);
        Assert.Equal((1, 47), (use.Location.StartLine, use.Location.StartColumn)); // "model M input 3x8x8 = conv(4, 1) -> flatten -> " is 47
        Assert.Equal("`head` is used here, on 256 features", use.Label);
    }

    [Theory]
    // Outside a block: in a model's body, in a constant. "model M input 3x8x8 = conv(" is 27 characters.
    [InlineData("model M input 3x8x8 = conv(input.channels, 1)", "CNN0026", 0, 27, "`input.channels` is only known inside a block or network")]
    [InlineData("let c = input.width\nmodel M input 3x8x8 = conv(c, 1)", "CNN0026", 0, 8, "`input.width` is only known inside a block or network")]
    // A bare `input`, and a size it does not have: "block b = conv(" is 15 characters.
    [InlineData("block b = conv(input, 1)\nmodel M input 3x8x8 = b", "CNN0026", 0, 15, "`input` is read through one of its sizes")]
    [InlineData("block b = conv(input.chanels, 1)\nmodel M input 3x8x8 = b", "CNN0010", 0, 21, "`input` has no size `chanels`")]
    public void Misuse_of_input_is_located(string source, string code, int line, int column, string message)
    {
        var diagnostic = Assert.Single(Compile(source).Diagnostics);
        Assert.Equal(code, diagnostic.Code);
        Assert.Equal((line, column), (diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
        Assert.StartsWith(message, diagnostic.Message);
    }

    [Fact]
    public void A_typo_in_a_size_suggests_the_right_one()
    {
        var diagnostic = Assert.Single(Compile("block b = conv(input.chanels, 1)\nmodel M input 3x8x8 = b").Diagnostics);
        Assert.Equal("did you mean `channels`?", diagnostic.Help);
    }

    [Fact]
    public void A_block_that_reads_input_must_give_layers()
    {
        var diagnostic = Assert.Single(Compile("block c = input.channels\nmodel M input 3x8x8 = c").Diagnostics);
        Assert.Equal("CNN0016", diagnostic.Code);
        Assert.Contains("`c` reads `input`, so it is used as layers, but it gives the integer 3", diagnostic.Message);
    }

    [Fact]
    public void A_block_that_gives_nothing_where_a_branch_is_needed_is_reported()
    {
        var diagnostic = Assert.Single(Compile("""
            block maybe = conv(input.channels, 1) if input.channels > 8
            model M input 3x8x8 = concat [maybe, identity]
            """).Diagnostics);
        Assert.Equal("CNN0018", diagnostic.Code);
        Assert.Equal("`maybe` gives no layers here, where it is a branch", diagnostic.Message);
    }

    [Fact]
    public void Shape_errors_inside_an_expansion_are_located_in_the_block()
    {
        var diagnostic = Assert.Single(Compile("""
            block too_big = conv(4, input.height + 1)
            model M input 3x8x8 = too_big
            """).Diagnostics);
        Assert.Equal("CNN0031", diagnostic.Code);
        Assert.Equal((0, 16), (diagnostic.Location.StartLine, diagnostic.Location.StartColumn)); // "block too_big = " is 16
    }
}
