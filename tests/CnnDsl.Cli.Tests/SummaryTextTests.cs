using System.Globalization;
using System.Linq;
using Snapshooter.Xunit;
using Xunit;

namespace CnnDsl.Cli.Tests;

public class SummaryTextTests
{
    [Fact]
    public void LeNet5_summary_matches_snapshot()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("lenet5.cnn"), "--model", "LeNet5");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Snapshot.Match(run.Out);
    }

    [Fact]
    public void Vgg16_summary_matches_snapshot()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"), "--model", "VGG16");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Snapshot.Match(run.Out);
    }

    [Fact]
    public void LeNet5_1998_summary_matches_snapshot()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("lenet5.cnn"), "--model", "LeNet5_1998");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Equal("60,000", CliRunner.Footer(run.Out, "Total parameters"));
        Snapshot.Match(run.Out);
    }

    [Fact]
    public void ResNet50_at_depth_3_matches_snapshot()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("resnet.cnn"), "--model", "ResNet50", "--depth", "3");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Snapshot.Match(run.Out);
    }

    [Fact]
    public void ResNet50_at_full_depth_matches_snapshot()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("resnet.cnn"), "--model", "ResNet50");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Snapshot.Match(run.Out);
    }

    [Fact]
    public void GoogLeNetAux_at_depth_2_matches_snapshot()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("googlenet.cnn"), "--model", "GoogLeNetAux", "--depth", "2");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Snapshot.Match(run.Out);
    }

    [Fact]
    public void Vgg16_footer_gives_totals_compute_and_shapes()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"), "--model", "VGG16");

        Assert.Equal("138,357,544", CliRunner.Footer(run.Out, "Total parameters"));
        Assert.Equal("138,357,544", CliRunner.Footer(run.Out, "  trainable"));
        Assert.Equal("0", CliRunner.Footer(run.Out, "  non-trainable"));
        Assert.StartsWith("0 (not parameters", CliRunner.Footer(run.Out, "Buffers"));
        Assert.Equal("15.47 G = 15,470,264,320 multiply-accumulates (MACs)", CliRunner.Footer(run.Out, "Multiply-adds"));
        Assert.Equal("30.94 G = 30,940,528,640 floating-point operations (2 per multiply-add)", CliRunner.Footer(run.Out, "FLOPs"));
        Assert.Equal("conv, linear (torchvision's convention)", CliRunner.Footer(run.Out, "Counted"));
        Assert.Equal("3x224x224", CliRunner.Footer(run.Out, "Input shape"));
        Assert.Equal("1000", CliRunner.Footer(run.Out, "Output shape"));
        Assert.Equal("553.43", CliRunner.Footer(run.Out, "Params size (MB)"));
    }

    [Fact]
    public void Batch_norm_statistics_are_buffers_not_parameters()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"), "--model", "VGG16_BN");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("138,365,992", CliRunner.Footer(run.Out, "Total parameters"));
        Assert.Matches(@"^[1-9][\d,]* \(not parameters", CliRunner.Footer(run.Out, "Buffers"));
        Assert.Matches(@"^\d+\.\d\d \(not in the estimated total", CliRunner.Footer(run.Out, "Buffers size (MB)"));
    }

    [Fact]
    public void Redirected_output_has_no_colour_and_a_stable_width()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"));

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain('\u001b', run.Out);
        var lines = run.Out.Split('\n');
        Assert.All(lines, line => Assert.True(line.Length <= 120, $"line longer than 120: {line}"));
        Assert.All(lines, line => Assert.False(line.EndsWith(' '), $"trailing space: '{line}'"));
    }

    [Fact]
    public void Every_model_of_a_file_is_summarised_without_model_option()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"));

        Assert.Equal(0, run.ExitCode);
        foreach (var name in new[] { "VGG11", "VGG11_LRN", "VGG13", "VGG16_C", "VGG16", "VGG19", "VGG11_BN", "VGG13_BN", "VGG16_BN", "VGG19_BN" })
        {
            Assert.Contains($"\n{name} (architectures/vgg.cnn)\n", "\n" + run.Out);
        }
    }

    [Fact]
    public void Depth_one_lists_only_top_level_layers_with_group_totals()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"), "-m", "VGG16", "--depth", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("features.0", run.Out);
        Assert.Matches(@"│ features\s+│ \w+\s+│ 512x7x7\s+│\s+14,714,688 │", run.Out);
        Assert.Matches(@"│ classifier\s+│ \w+\s+│ 1000\s+│\s+123,642,856 │", run.Out);
    }

    [Fact]
    public void Numbers_use_invariant_culture_whatever_the_current_one()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var run = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"), "-m", "VGG16");
            Assert.Contains("138,357,544", run.Out);
            Assert.Contains("15.47 G", run.Out);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void Every_shipped_architecture_summarises(string fileName)
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture(fileName));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Contains("Total parameters", run.Out);
    }

    public static TheoryData<string> ShippedFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in System.IO.Directory.GetFiles(System.IO.Path.Combine(CliRunner.BaseDirectory, "architectures"), "*.cnn")
                     .Select(System.IO.Path.GetFileName).OrderBy(f => f, System.StringComparer.Ordinal))
        {
            data.Add(file!);
        }

        return data;
    }
}
