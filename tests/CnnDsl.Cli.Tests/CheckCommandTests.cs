using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace CnnDsl.Cli.Tests;

public class CheckCommandTests
{
    private const string BadSource =
        "model Bad input 1x28x28 =\n" +
        "  conv(6, 5) -> relux -> flatten -> linear(10)\n";

    [Fact]
    public void A_good_file_exits_zero()
    {
        var run = CliRunner.Run("check", CliRunner.Architecture("lenet5.cnn"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        // lenet5.cnn holds LeNet5 and LeNet5_1998.
        Assert.Equal("Checked 1 file (2 models): 0 errors, 0 warnings.\n", run.Out);
    }

    /// <summary>The issue's case: three broken models were "Checked 1 file (0 models)", and a
    /// layer known only by its position was "in `3`:". Every model the file declares is counted,
    /// and each message names its model and the layer's path with its kind.</summary>
    [Fact]
    public void Broken_models_are_counted_and_named_with_their_layers()
    {
        using var file = new TempCnnFile(
            "model A input 1x4x4 = relu -> conv(2, 5)\n"
            + "model B input 1x8x8 = relu -> relu -> relu -> maxpool(2, pad: 2)\n"
            + "model C input 1x8x8 = flatten -> conv(2, 3)\n");

        var run = CliRunner.Run("check", file.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.EndsWith("Checked 1 file (3 models, all with errors): 3 errors, 0 warnings.\n", run.Out);
        Assert.Contains("in model `A`, layer `1` (conv):", run.Out);
        Assert.Contains("in model `B`, layer `3` (maxpool):", run.Out);
        Assert.Contains("in model `C`, layer `1` (conv):", run.Out);
        Assert.DoesNotContain("in `", run.Out);
    }

    [Fact]
    public void Several_good_files_exit_zero()
    {
        var run = CliRunner.Run("check", CliRunner.Architecture("lenet5.cnn"), CliRunner.Architecture("vgg.cnn"));

        Assert.Equal(0, run.ExitCode);
        // 2 LeNet-5 models and 10 VGG models.
        Assert.Equal("Checked 2 files (12 models): 0 errors, 0 warnings.\n", run.Out);
    }

    [Fact]
    public void A_directory_stands_for_its_cnn_files()
    {
        var run = CliRunner.Run("check", System.IO.Path.Combine(CliRunner.BaseDirectory, "architectures"));

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Checked ", run.Out);
        Assert.Contains(": 0 errors, 0 warnings.", run.Out);
    }

    [Fact]
    public void A_bad_file_exits_one_with_located_diagnostics()
    {
        using var file = new TempCnnFile(BadSource, "bad.cnn");

        var run = CliRunner.Run("check", file.Path);

        Assert.Equal(1, run.ExitCode);
        var lines = run.Out.Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
        // 1-based line and column of `relux`: line 2, column 17.
        var expected = $"{file.Path}:2:17: error[CNN0010]: ";
        Assert.Contains(lines, l => l.StartsWith(expected, System.StringComparison.Ordinal));
        // Each diagnostic's first line is located; the source lines, carets and help follow it.
        Assert.All(
            lines.Where(l => l.StartsWith(file.Path, System.StringComparison.Ordinal)),
            l => Assert.Matches(@"^.+:\d+:\d+: (error|warning)\[CNN\d{4}\]: .+$", l));
        Assert.Contains("2 |   conv(6, 5) -> relux -> flatten -> linear(10)", lines);
        Assert.Contains(lines, l => l.Trim() == "|                 ^^^^^".Trim());
        Assert.Contains(lines, l => l.StartsWith("  = help: ", System.StringComparison.Ordinal));
        Assert.Matches(@"Checked 1 file \(1 model, with errors\): [1-9]\d* errors?, 0 warnings\.", lines.Last());
    }

    [Fact]
    public void One_bad_file_among_good_ones_fails_the_check()
    {
        using var file = new TempCnnFile(BadSource, "bad.cnn");

        var run = CliRunner.Run("check", CliRunner.Architecture("lenet5.cnn"), file.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error[CNN0010]", run.Out);
    }

    [Fact]
    public void A_missing_file_is_reported_without_a_stack_trace()
    {
        var run = CliRunner.Run("check", "no/such/file.cnn");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("error: file not found: 'no/such/file.cnn'\n", run.Error);
        Assert.DoesNotContain(" at ", run.Error + run.Out);
    }

    [Fact]
    public void Summary_of_a_bad_file_prints_the_diagnostics_and_exits_one()
    {
        using var file = new TempCnnFile(BadSource, "bad.cnn");

        var run = CliRunner.Run("summary", file.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Matches(new Regex("^" + Regex.Escape(file.Path) + @":2:17: error\[CNN0010\]: ", RegexOptions.Multiline), run.Error);
        Assert.Contains($"error: '{file.Path}' has 1 error; fix it to see its summary.", run.Error);
    }
}
