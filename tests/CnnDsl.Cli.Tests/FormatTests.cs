using System.Linq;
using Snapshooter.Xunit;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary><c>--columns</c>, <c>--format markdown</c> and <c>--format csv</c> of <c>cnn summary</c>.</summary>
public class FormatTests
{
    [Fact]
    public void Columns_are_chosen_and_ordered()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("lenet5.cnn"), "--model", "LeNet5", "--columns", "params,input,flops");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"│ Layer\s+│\s+Parameters │ Input shape │\s+FLOPs │\n", run.Out);
        Assert.Matches(@"│ c1\s+│\s+156 │ 1x28x28\s+│\s+235,200 │\n", run.Out);
        Assert.DoesNotContain("Receptive field", run.Out);
    }

    [Fact]
    public void All_columns_fit_a_wide_terminal()
    {
        var run = CliRunner.RunOnTerminal(160, "summary", CliRunner.Architecture("lenet5.cnn"), "--model", "LeNet5_1998", "--columns", "all");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"│ Layer\s+│ Type\s+│ Input shape │ Output shape │\s+Parameters │\s+Buffers │\s+Multiply-adds │\s+FLOPs │ Receptive field │ Trainable │", run.Out);
        Assert.DoesNotContain("left out", run.Out);
    }

    /// <summary>LeNet-1998's RBF output holds fixed codes and no parameter: it is frozen.</summary>
    [Fact]
    public void Trainable_column_says_yes_frozen_or_nothing()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("lenet5.cnn"), "--model", "LeNet5_1998", "--columns", "type,params,buffers,trainable");

        Assert.Matches(@"│ output\s+│ RbfOutput\s+│\s+- │\s+840 │ frozen\s+│", run.Out);
        Assert.Matches(@"│ c1\s+│ Conv2d\s+│\s+156 │\s+- │ yes\s+│", run.Out);
        Assert.Matches(@"│ \w+\s+│ ScaledTanh\s+│\s+- │\s+- │ -\s+│", run.Out);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("params,size")]
    [InlineData("")]
    public void Unknown_columns_are_a_usage_error(string columns)
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("lenet5.cnn"), "--columns", columns);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: --columns takes a comma-separated list of type, input, output, params, buffers, macs, flops, rf, trainable (or all)", run.Error);
    }

    [Fact]
    public void LeNet5_markdown_matches_snapshot()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("lenet5.cnn"), "--model", "LeNet5", "--format", "markdown");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("## LeNet5 (`architectures/lenet5.cnn`)\n\n| Layer | Type | Output shape | Parameters | Multiply-adds | Receptive field size / stride | Trainable |\n|---|---|---|---:|---:|---:|---|\n", run.Out);
        Snapshot.Match(run.Out);
    }

    [Fact]
    public void Markdown_keeps_nesting_as_non_breaking_spaces()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("resnet.cnn"), "--model", "ResNet18", "--format", "markdown", "--depth", "3");

        Assert.Contains("| &nbsp;&nbsp;&nbsp;&nbsp;layer1.0 (residual) | Add |", run.Out);
        Assert.Contains("| **Total** |", run.Out);
        Assert.Contains("- **Estimated total size (MB)**: ", run.Out);
    }

    [Fact]
    public void Csv_has_a_header_and_a_row_per_listed_layer_of_every_model()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("lenet5.cnn"), "--format", "csv");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(
            "model,name,type,kind,depth,auxiliary,input_shape,output_shape,parameters,trainable_parameters,buffers,macs,self_macs,flops,rf_size,rf_stride,rf_padding,rf_global",
            lines[0]);
        Assert.Equal("LeNet5,c1,Conv2d,layer,0,false,1x28x28,6x28x28,156,156,0,117600,117600,235200,5,1,2,false", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("LeNet5_1998,output,RbfOutput,layer,0,false,84,10,0,0,840,", System.StringComparison.Ordinal));
        Assert.Equal(lines.Length - 1, lines.Skip(1).Count(l => l.StartsWith("LeNet5,", System.StringComparison.Ordinal) || l.StartsWith("LeNet5_1998,", System.StringComparison.Ordinal)));
    }

    [Fact]
    public void Csv_follows_depth_and_quotes_what_needs_it()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("googlenet.cnn"), "--model", "GoogLeNetAux", "--format", "csv", "--depth", "1");

        var lines = run.Out.TrimEnd('\n').Split('\n');
        Assert.Contains("GoogLeNetAux,aux1,AuxiliaryHead,auxiliary,0,true,512x14x14,1000,3188968,3188968,", run.Out);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("GoogLeNetAux,", l));
        Assert.Equal("a,\"b,c\",\"d\"\"e\"", string.Join(",", new[] { "a", "b,c", "d\"e" }.Select(Rendering.Csv.Field)));
    }
}
