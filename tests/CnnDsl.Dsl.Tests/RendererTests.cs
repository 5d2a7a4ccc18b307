using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Text;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>The Rust/Elm-style rendering `cnn check` prints (docs/diagnostics.md shows one per code).</summary>
public class RendererTests
{
    [Fact]
    public void A_diagnostic_renders_its_place_source_line_carets_and_help()
    {
        var result = Compile("model M input 1x8x8 =\n  conv(4, 3) -> rleu\n", "net.cnn");
        Assert.Equal(
            "net.cnn:2:17: error[CNN0010]: unknown name `rleu`\n" +
            "  |\n" +
            "2 |   conv(4, 3) -> rleu\n" +
            "  |                 ^^^^\n" +
            "  |\n" +
            "  = help: did you mean `relu`?\n",
            DiagnosticRenderer.Render(result.Diagnostics[0]));
    }

    [Fact]
    public void Related_places_on_other_lines_are_shown_in_line_order_with_a_gap_marker()
    {
        var result = Compile("let width = 1\n\n\nlet width = 2\nmodel M input 1x8x8 = conv(width, 3)", "net.cnn");
        Assert.Equal(
            "net.cnn:4:5: error[CNN0011]: `width` is defined twice\n" +
            "  |\n" +
            "1 | let width = 1\n" +
            "  |     ----- `width` is first defined here\n" +
            "...\n" +
            "4 | let width = 2\n" +
            "  |     ^^^^^\n" +
            "  |\n" +
            "  = help: rename one of them\n",
            DiagnosticRenderer.Render(result.Diagnostics[0]));
    }

    [Fact]
    public void Tabs_become_spaces_and_the_carets_still_line_up()
    {
        var rendered = DiagnosticRenderer.Render(Compile("model M input 1x8x8 =\tconv(4, 3)\t-> rleu").Diagnostics[0]);
        var lines = rendered.Split('\n');
        Assert.Equal("1 | model M input 1x8x8 =    conv(4, 3)    -> rleu", lines[2]);
        Assert.Equal(lines[2].IndexOf("rleu", System.StringComparison.Ordinal), lines[3].IndexOf('^'));
    }

    [Fact]
    public void Control_characters_never_reach_the_output_and_long_lines_are_cut_around_the_span()
    {
        var text = "model M input 1x8x8 = relu # \u001b[31m" + new string('x', 5000) + "\nmodel N input 1x8x8 = " + new string(' ', 3000) + "rleu" + new string(' ', 3000) + "-> relu";
        var rendered = DiagnosticRenderer.Render(Compile(text).Diagnostics);
        Assert.DoesNotContain(rendered, c => char.IsControl(c) && c != '\n');
        var lines = rendered.Split('\n');
        var source = lines.Single(l => l.StartsWith("2 |", System.StringComparison.Ordinal));
        Assert.True(source.Length <= DiagnosticRenderer.MaxSourceWidth + 12, source.Length.ToString());
        Assert.StartsWith("2 | ...", source);
        var carets = lines[System.Array.IndexOf(lines, source) + 1];
        Assert.Equal(source.IndexOf("rleu", System.StringComparison.Ordinal), carets.IndexOf('^'));
    }

    [Fact]
    public void An_empty_span_at_the_end_of_a_line_gets_one_caret_after_it()
    {
        var rendered = DiagnosticRenderer.Render(Compile("model M input 1x8x8 = conv(4, 3) ->").Diagnostics[0]);
        var lines = rendered.Split('\n');
        Assert.Equal("1 | model M input 1x8x8 = conv(4, 3) ->", lines[2]);
        Assert.Equal("  |                                    ^", lines[3]);
    }

    [Fact]
    public void A_painter_sees_each_part_with_its_style()
    {
        var styles = new System.Collections.Generic.List<(string, DiagnosticStyle)>();
        DiagnosticRenderer.Render(Compile("model M input 1x8x8 = conv(4, 3) -> rleu").Diagnostics[0], (text, style) =>
        {
            styles.Add((text, style));
            return text;
        });
        Assert.Contains(("error[CNN0010]", DiagnosticStyle.Error), styles);
        Assert.Contains(("^^^^", DiagnosticStyle.PrimaryError), styles);
        Assert.Contains(("help", DiagnosticStyle.Help), styles);
        Assert.Contains(styles, s => s.Item2 == DiagnosticStyle.Location && s.Item1 == "test.cnn:1:37");

        var warning = Compile("let unused = 1\nmodel M input 1x8x8 = relu").Diagnostics[0];
        styles.Clear();
        DiagnosticRenderer.Render(warning, (text, style) => { styles.Add((text, style)); return text; });
        Assert.Contains(("warning[CNN0040]", DiagnosticStyle.Warning), styles);
        Assert.Contains(styles, s => s.Item2 == DiagnosticStyle.PrimaryWarning);
    }

    [Fact]
    public void A_diagnostic_without_its_file_renders_its_header_related_places_and_help()
    {
        var location = new SourceLocation("x.cnn", new TextRange(3, 4), 0, 3, 0, 4);
        var diagnostic = new Diagnostic(DiagnosticCodes.UnknownName, "unknown name `q`", location, "did you mean `a`?")
        {
            Related = new[] { new RelatedLocation(location with { StartColumn = 0 }, "here too") },
        };
        Assert.Equal(
            "x.cnn:1:4: error[CNN0010]: unknown name `q`\n" +
            "  = note: here too (x.cnn:1:1)\n" +
            "  = help: did you mean `a`?\n",
            DiagnosticRenderer.Render(diagnostic));
    }
}
