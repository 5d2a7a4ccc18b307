using System.Linq;
using System.Text.Json;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary><c>--input CxHxW</c> re-runs the shape analysis at another input; an input too small
/// for the architecture is a located error naming the layer where the size reaches zero.</summary>
public class InputOverrideTests
{
    [Fact]
    public void A_smaller_input_changes_shapes_and_work_but_not_the_parameters()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"), "--model", "VGG16", "--input", "3x32x32", "--format", "json");

        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        var model = document.RootElement;
        Assert.Equal("[3, 32, 32]", model.GetProperty("input").GetRawText());
        Assert.Equal("[3, 224, 224]", model.GetProperty("declaredInput").GetRawText());
        Assert.Equal(138_357_544, model.GetProperty("parameters").GetInt64());
        var pool5 = model.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("name").GetString() == "features.30");
        Assert.Equal("[512, 1, 1]", pool5.GetProperty("outputShape").GetRawText());
        // The convolutions' work shrinks with the area (32/224)^2; the classifier's stays.
        Assert.Equal(15_346_630_656 / 49 + 123_633_664, model.GetProperty("macs").GetInt64());
    }

    [Fact]
    public void The_footer_says_the_input_was_overridden()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("resnet.cnn"), "--model", "ResNet18", "--input", "3x64x64", "--depth", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("3x64x64 (--input; the file declares 3x224x224)", CliRunner.Footer(run.Out, "Input shape"));
        Assert.Matches(@"│ input\s+│\s+│ 3x64x64 ", run.Out);
    }

    [Fact]
    public void Channels_can_change_too_and_the_first_layer_follows()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("lenet5.cnn"), "--model", "LeNet5", "--input", "3x28x28", "--format", "json");

        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        Assert.Equal(6 * 3 * 5 * 5 + 6, document.RootElement.GetProperty("layers")[0].GetProperty("parameters").GetInt64());
    }

    [Fact]
    public void Too_small_an_input_is_a_located_error_naming_the_layer_where_the_size_reaches_zero()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"), "--model", "VGG16", "--input", "3x16x16");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Matches(@"^architectures/vgg\.cnn:\d+:\d+: error\[CNN\d{4}\]: in model `VGG16`, layer `features\.30` \(maxpool\): maxpool window 2x2 with stride 2 on a 1x1 input \(padding 0\) gives an output of 0x0\n", run.Error);
        Assert.Contains("error: model 'VGG16' cannot take a 3x16x16 input (--input; it declares 3x224x224).", run.Error);
    }

    [Fact]
    public void Too_small_an_input_for_a_branch_names_the_layer_in_the_branch()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("googlenet.cnn"), "--model", "GoogLeNetPaperAux", "--input", "3x64x64");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("in model `GoogLeNetPaperAux`, layer `aux1.0` (avgpool):", run.Error);
    }

    [Theory]
    [InlineData("3x0x224")]
    [InlineData("224x224")]
    [InlineData("3x224x224x1")]
    [InlineData("three")]
    public void A_malformed_input_is_a_usage_error(string input)
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"), "--model", "VGG16", "--input", input);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"error: --input takes channels x height x width, every size at least 1 (e.g. 3x224x224), not '{input}'.", run.Error);
        Assert.Contains("Run 'cnn summary --help' for usage.", run.Error);
    }
}
