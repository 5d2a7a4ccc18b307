using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>Where two things disagree, the diagnostic points at both, each with what it says.</summary>
public class RelatedLocationTests
{
    private static (string Text, string Label)[] Related(string source, Diagnostic diagnostic) =>
        diagnostic.Related.Select(r => (source.Substring(r.Location.Range.Start, r.Location.Range.Length), r.Label)).ToArray();

    [Fact]
    public void A_residual_mismatch_points_at_the_body_and_at_what_the_shortcut_carries()
    {
        const string source = "model M input 64x56x56 =\n  relu -> residual(conv(128, 3, stride: 2, pad: 1) -> batchnorm) -> relu\n";
        var diagnostic = Assert.Single(Compile(source).Diagnostics);
        Assert.Equal("CNN0038", diagnostic.Code);
        Assert.Equal(new[]
        {
            ("conv(128, 3, stride: 2, pad: 1) -> batchnorm", "the body produces 128x28x28"),
            ("relu", "the shortcut carries this, 64x56x56"),
        }, Related(source, diagnostic));
    }

    [Fact]
    public void A_custom_shortcut_mismatch_points_at_the_shortcut()
    {
        const string source = "model M input 4x8x8 = residual(conv(8, 3, stride: 2, pad: 1), shortcut: conv(8, 1))";
        var diagnostic = Assert.Single(Compile(source).Diagnostics);
        Assert.Equal(new[]
        {
            ("conv(8, 3, stride: 2, pad: 1)", "the body produces 8x4x4"),
            ("shortcut: conv(8, 1)", "the shortcut produces 8x8x8"),
        }, Related(source, diagnostic));
    }

    [Fact]
    public void A_concat_mismatch_points_at_every_branch_with_its_shape()
    {
        const string source = "model M input 16x32x32 = concat [conv(8, 1), conv(8, 3, stride: 2, pad: 1) -> relu, identity]";
        var diagnostic = Assert.Single(Compile(source).Diagnostics);
        Assert.Equal("CNN0039", diagnostic.Code);
        Assert.Equal(new[]
        {
            ("conv(8, 1)", "this branch gives 8x32x32"),
            ("conv(8, 3, stride: 2, pad: 1) -> relu", "this branch gives 8x16x16"),
            ("identity", "this branch gives 16x32x32"),
        }, Related(source, diagnostic));
    }

    [Fact]
    public void A_dense_mismatch_points_at_the_body_and_the_input()
    {
        const string source = "model M input 16x8x8 = dense(conv(12, 3))";
        var diagnostic = Assert.Single(Compile(source).Diagnostics);
        Assert.Equal(new[]
        {
            ("conv(12, 3)", "the body gives 12x6x6"),
            ("16x8x8", "dense joins the body's output to the model's input, 16x8x8"),
        }, Related(source, diagnostic));
    }

    [Fact]
    public void A_layer_that_cannot_take_its_input_points_at_where_the_input_comes_from()
    {
        const string source = "block features = conv(6, 5) -> relu\nmodel M input 1x28x28 = features -> linear(10)";
        var diagnostic = Assert.Single(Compile(source).Diagnostics);
        Assert.Equal("CNN0033", diagnostic.Code);
        // The block splices its layers: the tensor comes from its last one.
        Assert.Equal(new[] { ("relu", "this gives 6x24x24") }, Related(source, diagnostic));
    }

    [Fact]
    public void Two_definitions_and_two_arguments_point_at_the_first()
    {
        const string twice = "let width = 1\nlet width = 2\nmodel M input 1x8x8 = conv(width, 3)";
        Assert.Equal(new[] { ("width", "`width` is first defined here") }, Related(twice, Assert.Single(Compile(twice).Diagnostics)));
        const string argument = "model M input 1x8x8 = conv(4, 3, out: 5)";
        Assert.Equal(new[] { ("4", "`out` is first given here") }, Related(argument, Assert.Single(Compile(argument).Diagnostics)));
        const string labels = "model M input 1x8x8 = a: conv(4, 3) -> a: relu";
        Assert.Equal(new[] { ("conv(4, 3)", "the first `a`") }, Related(labels, Assert.Single(Compile(labels).Diagnostics)));
    }

    [Fact]
    public void Related_places_are_inside_the_file_and_never_the_primary_place()
    {
        foreach (var (_, mistake) in DiagnosticTests.Mistakes)
        {
            foreach (var diagnostic in Compile(mistake.Source).Diagnostics)
            {
                Assert.All(diagnostic.Related, r =>
                {
                    Assert.NotEqual(diagnostic.Location.Range, r.Location.Range);
                    Assert.InRange(r.Location.Range.End, r.Location.Range.Start, mistake.Source.Length);
                    Assert.False(string.IsNullOrWhiteSpace(r.Label));
                });
            }
        }
    }
}
