using System.Linq;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>Labels that are not names (RegNet's `block1-0`), labels spelled like keywords
/// (ConvNeXt's `block`), and flat names inside a concat branch of several layers (Inception v3's
/// `branch3x3dbl_1`).</summary>
public class LabelTests
{
    [Fact]
    public void A_string_label_may_hold_a_hyphen()
    {
        var model = Model("""model M input 1x4x4 = "block1-0": conv(2, 1) -> relu -> "block1-1": conv(2, 1)""");
        Assert.Equal(new[] { "block1-0.weight", "block1-0.bias", "block1-1.weight", "block1-1.bias" }, model.Keys());
    }

    [Fact]
    public void An_interpolated_label_is_filled_in_from_two_loops()
    {
        // torchvision's RegNet: trunk_output.block{i}.block{i}-{j}
        var model = Model("""
            model M input 1x4x4 =
              for i in [1, 2] { "block{i}": (for j in range(2) { "block{i}-{j}": conv(2, 1) }) }
            """);
        Assert.Equal(new[]
        {
            "block1.block1-0.weight", "block1.block1-0.bias", "block1.block1-1.weight", "block1.block1-1.bias",
            "block2.block2-0.weight", "block2.block2-0.bias", "block2.block2-1.weight", "block2.block2-1.bias",
        }, model.Keys());
    }

    [Theory]
    [InlineData("\"a.b\"", "a.b")]
    [InlineData("\"a b\"", "a b")]
    [InlineData("\"\"", "")]
    [InlineData("\"{1}.{2}\"", "1.2")]
    public void A_label_that_cannot_be_one_path_segment_is_reported_where_it_is(string label, string shown)
    {
        var diagnostic = Assert.Single(Compile($"model M input 1x4x4 = {label}: relu").Diagnostics);
        Assert.Equal(("CNN0018", 0, 22), (diagnostic.Code, diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
        Assert.Equal($"a layer name is letters, digits, '_' and '-', but this one is \"{shown}\"", diagnostic.Message);
    }

    [Fact]
    public void A_label_spelled_like_a_keyword_is_a_label()
    {
        // torchvision's ConvNeXt and EfficientNet name a block's layers `block`.
        var model = Model("""
            block cn(c) = block: (conv(c, 3, pad: 1, groups: c) -> relu -> conv(c, 1))
            model M input 4x8x8 = features: (cn(4) -> cn(4))
            """);
        Assert.Equal(new[]
        {
            "features.0.block.0.weight", "features.0.block.0.bias", "features.0.block.2.weight", "features.0.block.2.bias",
            "features.1.block.0.weight", "features.1.block.0.bias", "features.1.block.2.weight", "features.1.block.2.bias",
        }, model.Keys());
    }

    [Fact]
    public void A_keyword_label_at_the_start_of_a_line_does_not_start_a_declaration()
    {
        // The file is cut into declarations at their keywords before parsing; a keyword label must
        // not cut a body in two.
        var model = Model("""
            network net input 1x4x4 =
              block: conv(2, 1)
              -> model: conv(2, 1)
              -> let: relu
            model M = net()
            """);
        Assert.Equal(new[] { "block.weight", "block.bias", "model.weight", "model.bias" }, model.Keys());
    }

    [Theory]
    [InlineData("input")]
    [InlineData("import")]
    [InlineData("namespace")]
    [InlineData("concat")]
    [InlineData("residual")]
    [InlineData("dense")]
    [InlineData("aux")]
    [InlineData("for")]
    [InlineData("in")]
    [InlineData("if")]
    [InlineData("else")]
    [InlineData("repeat")]
    [InlineData("and")]
    [InlineData("or")]
    [InlineData("not")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("network")]
    public void Every_keyword_may_be_a_label(string keyword)
    {
        var model = Model($"model M input 1x4x4 = {keyword}: conv(2, 1) -> relu");
        Assert.Equal(new[] { keyword + ".weight", keyword + ".bias" }, model.Keys());
    }

    [Fact]
    public void Keywords_keep_their_meaning_where_no_colon_follows()
    {
        var model = Model("""
            block b(c) = if c > 2 { conv(c, 1) } else { relu }
            model M input 1x4x4 = block: b(4) -> concat: concat [identity, relu] -> dense: (for i in range(2) { relu })
            """);
        // `b` splices its layers, so its label makes a group of them (rule 2).
        Assert.Equal(new[] { "block.0.weight", "block.0.bias" }, model.Keys());
        Assert.Equal("8x4x4", model.Output.ToString());
    }

    // ---- Flat names inside a concat branch --------------------------------------------------

    private const string InceptionA = """
        block basic_conv(out, kernel, pad = 0) = conv: conv(out, kernel, pad: pad, bias: false) -> bn: batchnorm(eps: 0.001) -> relu

        block inception_a(pool) = concat [
          branch1x1: basic_conv(4, 1),
          (branch5x5_1: basic_conv(3, 1) -> branch5x5_2: basic_conv(4, 5, pad: 2)),
          (branch3x3dbl_1: basic_conv(4, 1) -> branch3x3dbl_2: basic_conv(6, 3, pad: 1) -> branch3x3dbl_3: basic_conv(6, 3, pad: 1)),
          (avgpool(3, stride: 1, pad: 1) -> branch_pool: basic_conv(pool, 1)),
        ]
        """;

    [Fact]
    public void Labeled_layers_of_an_unlabeled_concat_branch_sit_directly_under_the_block()
    {
        var model = Model(InceptionA + "\nmodel M input 3x8x8 = Mixed_5b: inception_a(2)");
        var convs = model.Keys().Where(k => k.EndsWith(".conv.weight", System.StringComparison.Ordinal)).ToArray();
        // torchvision's Inception3.Mixed_5b, in registration order.
        Assert.Equal(new[]
        {
            "Mixed_5b.branch1x1.conv.weight", "Mixed_5b.branch5x5_1.conv.weight", "Mixed_5b.branch5x5_2.conv.weight",
            "Mixed_5b.branch3x3dbl_1.conv.weight", "Mixed_5b.branch3x3dbl_2.conv.weight", "Mixed_5b.branch3x3dbl_3.conv.weight",
            "Mixed_5b.branch_pool.conv.weight",
        }, convs);
        Assert.Equal("16x8x8", model.Output.ToString());
        // The branch is still one path of the concat: it adds no module, only a transparent step.
        var branch = Assert.Single(model.Root.DescendantsAndSelf(), l => l.Transparent && l.Name == "(branch)" && l.Children.Count == 3);
        Assert.Equal("Mixed_5b", branch.Path);
        Assert.Equal("6x8x8", branch.Output.ToString());
    }

    [Fact]
    public void The_unlabeled_layers_of_a_flat_branch_take_their_kind()
    {
        // The pool has no label: among labeled siblings it is named by its kind, and owns nothing.
        var model = Model(InceptionA + "\nmodel M input 3x8x8 = m: inception_a(2)");
        Assert.Contains(model.Root.DescendantsAndSelf(), l => l.Path == "m.avgpool" && !l.IsGroup);
    }

    [Fact]
    public void A_block_whose_only_labels_are_inside_concat_branches_is_a_module()
    {
        var model = Model("""
            block two() = concat [(a1: conv(2, 1) -> a2: conv(2, 1)), (b1: conv(2, 1) -> b2: conv(2, 1))]
            model M input 1x4x4 = two() -> two()
            """);
        Assert.Equal(new[] { "0.a1.weight", "0.a2.weight", "0.b1.weight", "0.b2.weight", "1.a1.weight", "1.a2.weight", "1.b1.weight", "1.b2.weight" },
            model.Keys().Where(k => k.EndsWith("weight", System.StringComparison.Ordinal)));
    }

    [Fact]
    public void Branches_without_labels_inside_stay_numbered()
    {
        // GoogLeNet's paper form: unlabeled branches of unlabeled layers, numbered as before.
        var model = Model("""
            model M input 1x4x4 = concat [conv(2, 1), conv(2, 1) -> relu -> conv(2, 1)]
            """);
        Assert.Equal(new[] { "0.weight", "0.bias", "1.0.weight", "1.0.bias", "1.2.weight", "1.2.bias" }, model.Keys());
    }

    [Fact]
    public void A_flat_branch_label_that_repeats_a_sibling_branch_label_is_reported()
    {
        var result = Compile("""
            model M input 1x4x4 = concat [a: conv(2, 1), (a: conv(2, 1) -> b: conv(2, 1))]
            """);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CNN0020", diagnostic.Code);
        Assert.Equal("two layers in the same group are named `a`", diagnostic.Message);
    }
}
