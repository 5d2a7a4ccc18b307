using System.IO;
using Snapshooter;
using Snapshooter.Xunit;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary>Snapshots the issue asks for beyond the text summaries: the JSON summaries of LeNet-5,
/// VGG16, ResNet-50 and GoogLeNet, GoogLeNet's text summary, and <c>check</c> on a file with
/// errors. A changed snapshot fails here and leaves the new text in <c>__mismatch__</c>.</summary>
public class SnapshotTests
{
    [Theory]
    [InlineData("lenet5.cnn", "LeNet5", null)]
    [InlineData("vgg.cnn", "VGG16", null)]
    [InlineData("resnet.cnn", "ResNet50", "3")]
    [InlineData("googlenet.cnn", "GoogLeNet", "2")]
    public void Json_summary_matches_snapshot(string file, string model, string? depth)
    {
        var args = depth is null
            ? new[] { "summary", CliRunner.Architecture(file), "--model", model, "--format", "json" }
            : new[] { "summary", CliRunner.Architecture(file), "--model", model, "--format", "json", "--depth", depth };
        var run = CliRunner.Run(args);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Snapshot.Match(run.Out, new SnapshotNameExtension(model));
    }

    [Fact]
    public void GoogLeNet_text_summary_at_depth_3_matches_snapshot()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("googlenet.cnn"), "--model", "GoogLeNet", "--depth", "3");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Snapshot.Match(run.Out);
    }

    /// <summary>A file with an unknown name, a kernel larger than its input and a linear layer fed an image.</summary>
    [Fact]
    public void Check_on_a_file_with_errors_matches_snapshot()
    {
        const string text =
            "block unused(c) = conv(c, 3)\n"
            + "\n"
            + "model Typo input 1x28x28 =\n"
            + "  conv(6, 5) -> relux -> flatten -> linear(10)\n"
            + "\n"
            + "model TooSmall input 1x4x4 =\n"
            + "  conv(6, 5) -> relu -> flatten -> linear(10)\n"
            + "\n"
            + "model Flat input 3x8x8 =\n"
            + "  conv(8, 3) -> linear(10)\n";
        var directory = Path.Combine(CliRunner.BaseDirectory, "check-snapshot");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "errors.cnn");
        File.WriteAllText(path, text);

        var run = CliRunner.Run("check", path);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Error);
        Snapshot.Match(run.Out);
    }
}
