using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary>Every command on bad input: a missing file (3), an unknown model (2), a malformed
/// <c>--input</c> (2) or one too small for the model (1), a file with errors (1). Always one line
/// <c>error: ...</c>, never a stack trace, and nothing on standard output.</summary>
public class ExitCodeTests
{
    public static IEnumerable<object[]> Commands() =>
        new[] { "summary", "list", "emit", "graph", "verify", "check" }.Select(c => new object[] { c });

    /// <summary>The commands that take one model file and <c>--model</c>.</summary>
    public static IEnumerable<object[]> ModelCommands() =>
        new[] { "summary", "emit", "graph", "verify" }.Select(c => new object[] { c });

    /// <summary>The commands that take <c>--input</c>.</summary>
    public static IEnumerable<object[]> InputCommands() =>
        new[] { "summary", "graph", "verify" }.Select(c => new object[] { c });

    [Theory]
    [MemberData(nameof(Commands))]
    public void Missing_file_exits_three(string command)
    {
        var run = CliRunner.Run(command, "no-such-file.cnn");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("error: file not found: 'no-such-file.cnn'\n", run.Error);
    }

    [Theory]
    [MemberData(nameof(ModelCommands))]
    public void Unknown_model_exits_two_with_suggestions(string command)
    {
        var run = CliRunner.Run(command, CliRunner.Architecture("vgg.cnn"), "--model", "VGG16BN");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith("error: 'architectures/vgg.cnn' has no model named 'VGG16BN'. Did you mean 'VGG16_BN'?\n", run.Error);
    }

    [Theory]
    [MemberData(nameof(InputCommands))]
    public void Malformed_input_exits_two(string command)
    {
        var run = CliRunner.Run(command, CliRunner.Architecture("vgg.cnn"), "--model", "VGG16", "--input", "3x224");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains("error: --input takes channels x height x width", run.Error);
        Assert.Contains($"Run 'cnn {command} --help' for usage.", run.Error);
    }

    [Theory]
    [MemberData(nameof(InputCommands))]
    public void Input_too_small_exits_one_naming_the_layer(string command)
    {
        var run = CliRunner.Run(command, CliRunner.Architecture("vgg.cnn"), "--model", "VGG16", "--input", "3x8x8");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains("in model `VGG16`, layer `features.23` (maxpool): maxpool window 2x2 with stride 2 on a 1x1 input (padding 0) gives an output of 0x0", run.Error);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_file_with_errors_exits_one(string command)
    {
        using var bad = new TempCnnFile("model Broken input 1x28x28 = conv(6, 5) -> relux\n");
        var run = CliRunner.Run(command, bad.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error[CNN0010]: unknown name `relux`", command == "check" ? run.Out : run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Theory]
    [InlineData("graph", "--format", "jpeg")]
    [InlineData("list", "--format", "xml")]
    [InlineData("verify", "--batch", "2")]
    [InlineData("emit", "--depth", "1")]
    public void Unknown_options_and_values_exit_two(string command, string option, string value)
    {
        var run = CliRunner.Run(command, CliRunner.Architecture("lenet5.cnn"), option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"Run 'cnn {command} --help' for usage.", run.Error);
    }
}
