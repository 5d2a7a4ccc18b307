using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CnnDsl.Cli.Rendering;
using Snapshooter.Xunit;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary><c>cnn graph</c>: DOT always; SVG and PNG through Graphviz where it is installed. These
/// tests need no Graphviz: the one that renders only runs when <c>dot</c> is there. They run one
/// after another (one class) because one of them sets <c>CNN_DOT</c>.</summary>
[Collection(GraphvizEnvironment.Name)]
public class GraphCommandTests
{
    [Fact]
    public void ResNet18_dot_matches_snapshot()
    {
        var run = CliRunner.Run("graph", CliRunner.Architecture("resnet.cnn"), "--model", "ResNet18", "--format", "dot");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Snapshot.Match(run.Out);
    }

    [Fact]
    public void Residuals_are_drawn_with_their_shortcuts_and_shapes_on_the_edges()
    {
        var dot = CliRunner.Run("graph", CliRunner.Architecture("resnet.cnn"), "--model", "ResNet18").Out;

        Assert.StartsWith("digraph \"ResNet18\" {\n", dot);
        Assert.EndsWith("}\n", dot);
        // Eight blocks, eight additions. Five identity shortcuts are one dashed edge each; the three
        // projections (downsample) have one into them and one out of them.
        Assert.Equal(8, Regex.Matches(dot, "label=\"\\+\", shape=circle").Count);
        Assert.Equal(5 + 3 * 2, Regex.Matches(dot, "style=dashed, color=\"#2563eb\"").Count);
        Assert.Equal(3, Regex.Matches(dot, "<b>layer\\d\\.0\\.downsample</b> Sequential").Count);
        Assert.Contains("[label=\" 64x56x56\", style=dashed, color=\"#2563eb\"", dot);
        Assert.Contains("[label=\" 3x224x224\"]", dot);
        Assert.Contains("<b>output</b><br/>1000", dot);
    }

    [Fact]
    public void Inception_branches_sit_side_by_side_in_written_order()
    {
        var dot = CliRunner.Run("graph", CliRunner.Architecture("googlenet.cnn"), "--model", "GoogLeNet", "--depth", "3").Out;

        Assert.Equal(9, Regex.Matches(dot, "label=\"concat\"").Count);
        var first = Regex.Match(dot, @"\{ rank=same; (n\d+); (n\d+); (n\d+); (n\d+); \}");
        Assert.True(first.Success);
        var names = Enumerable.Range(1, 4).Select(i => Regex.Match(dot, first.Groups[i].Value + @" \[label=<<b>(\w+)</b>").Groups[1].Value);
        Assert.Equal(new[] { "branch1", "branch2", "branch3", "branch4" }, names);
    }

    [Fact]
    public void Dense_connections_and_auxiliary_heads_have_edges_of_their_own()
    {
        var dense = CliRunner.Run("graph", CliRunner.Architecture("densenet.cnn"), "--model", "DenseNet121").Out;
        Assert.Equal(58, Regex.Matches(dense, "style=dashed, color=\"#16a34a\"").Count);

        var aux = CliRunner.Run("graph", CliRunner.Architecture("googlenet.cnn"), "--model", "GoogLeNetAux", "--depth", "1").Out;
        Assert.Contains("<b>aux1 output</b><br/>training only", aux);
        Assert.Contains("<b>aux2 output</b><br/>training only", aux);
        Assert.Equal(4, Regex.Matches(aux, "style=dotted, color=\"#d97706\"").Count);
    }

    [Fact]
    public void Depth_folds_groups_into_single_nodes_with_their_sums()
    {
        var dot = CliRunner.Run("graph", CliRunner.Architecture("vgg.cnn"), "--model", "VGG16", "--depth", "1").Out;

        Assert.Contains("<b>features</b><br/>Sequential<br/><font point-size=\"8\">14,714,688 params, 15.35 G MACs</font>", dot);
        Assert.DoesNotContain("subgraph", dot);
        Assert.Equal(5, Regex.Matches(dot, " -> ").Count);
    }

    [Fact]
    public void Input_override_changes_the_shapes_on_the_edges()
    {
        var dot = CliRunner.Run("graph", CliRunner.Architecture("vgg.cnn"), "--model", "VGG16", "--depth", "1", "--input", "3x64x64").Out;

        Assert.Contains("[label=\" 3x64x64\"]", dot);
        Assert.Contains("[label=\" 512x2x2\"]", dot);
    }

    [Fact]
    public void A_file_with_several_models_needs_model()
    {
        var run = CliRunner.Run("graph", CliRunner.Architecture("lenet5.cnn"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("has 2 models; choose one with --model.", run.Error);
        Assert.Contains("Available models: LeNet5, LeNet5_1998", run.Error);
    }

    [Fact]
    public void Without_graphviz_an_image_is_not_drawn_the_dot_text_is_kept_and_the_exit_code_says_so()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cnn-graph-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var saved = Environment.GetEnvironmentVariable(Graphviz.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(Graphviz.EnvironmentVariable, Path.Combine(directory, "no-dot-here"));
            var target = Path.Combine(directory, "lenet.png");
            var run = CliRunner.Run("graph", CliRunner.Architecture("lenet5.cnn"), "--model", "LeNet5", "-o", target);

            Assert.Equal(ExitCodes.ExternalFailure, run.ExitCode);
            Assert.Contains($"error: Graphviz's 'dot' is not installed (not on PATH), so no PNG was drawn and '{target}' was not written; "
                + $"the diagram is in '{Path.Combine(directory, "lenet.dot")}' as DOT text.", run.Error);
            Assert.Contains("apt-get install graphviz", run.Error);
            Assert.False(File.Exists(target));
            Assert.StartsWith("digraph \"LeNet5\" {", File.ReadAllText(Path.Combine(directory, "lenet.dot")));

            var svg = CliRunner.Run("graph", CliRunner.Architecture("lenet5.cnn"), "--model", "LeNet5", "--format", "svg");
            Assert.Equal(ExitCodes.ExternalFailure, svg.ExitCode);
            Assert.StartsWith("digraph \"LeNet5\" {", svg.Out);
            Assert.Contains("so no SVG was drawn; the diagram is above as DOT text.", svg.Error);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Graphviz.EnvironmentVariable, saved);
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A stand-in for Graphviz's dot (CNN_DOT): a script that writes the file it is asked
    /// for and says what the real one says of a drawing too large, or fails.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string FakeDot(string directory, bool fails)
    {
        var script = Path.Combine(directory, fails ? "dot-fails" : "dot");
        File.WriteAllText(script, fails
            ? "#!/bin/sh\ncat > /dev/null\necho 'Error: <stdin>: syntax error in line 1' >&2\nexit 1\n"
            : "#!/bin/sh\ncat > /dev/null\nprintf '\\211PNG fake' > \"$3\"\necho 'Warning: Image size 446 x 32767 too large, scaled down to 237 x 17407' >&2\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    [Fact]
    public void Graphviz_warnings_are_passed_on_its_failures_exit_six_and_a_large_diagram_suggests_a_depth()
    {
        if (OperatingSystem.IsWindows()) return;
        var directory = Path.Combine(Path.GetTempPath(), "cnn-graph-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var saved = Environment.GetEnvironmentVariable(Graphviz.EnvironmentVariable);
        try
        {
            var target = Path.Combine(directory, "densenet.png");
            Environment.SetEnvironmentVariable(Graphviz.EnvironmentVariable, FakeDot(directory, fails: false));
            var drawn = CliRunner.Run("graph", CliRunner.Architecture("densenet.cnn"), "--model", "DenseNet121", "-o", target);

            Assert.Equal(0, drawn.ExitCode);
            Assert.True(File.Exists(target));
            Assert.Contains("note: Graphviz: Warning: Image size 446 x 32767 too large, scaled down to 237 x 17407", drawn.Error);
            // 429 nodes at full depth; --depth 3 draws 81, --depth 4 all 429 again.
            Assert.Contains("note: this diagram has 429 nodes, too many to read as one image; --depth 3 draws 81.", drawn.Error);

            var small = CliRunner.Run("graph", CliRunner.Architecture("densenet.cnn"), "--model", "DenseNet121", "--depth", "3", "-o", target);
            Assert.DoesNotContain("too many to read", small.Error);

            Environment.SetEnvironmentVariable(Graphviz.EnvironmentVariable, FakeDot(directory, fails: true));
            var failed = CliRunner.Run("graph", CliRunner.Architecture("lenet5.cnn"), "--model", "LeNet5", "-o", Path.Combine(directory, "lenet.png"));
            Assert.Equal(ExitCodes.ExternalFailure, failed.ExitCode);
            Assert.Contains("error: dot exited with 1: Error: <stdin>: syntax error in line 1", failed.Error);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Graphviz.EnvironmentVariable, saved);
            Directory.Delete(directory, recursive: true);
        }
    }
}
