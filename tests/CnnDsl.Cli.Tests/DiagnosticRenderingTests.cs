using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using CnnDsl.Cli;
using CnnDsl.Cli.Rendering;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary>How `cnn check` and `cnn summary` print diagnostics: Rust/Elm style, plain text when
/// redirected, colour on a terminal; related places, warnings and files that are not UTF-8.</summary>
public class DiagnosticRenderingTests
{
    private const string Residual =
        "model R input 64x56x56 =\n" +
        "  relu -> residual(conv(128, 3, stride: 2, pad: 1) -> batchnorm) -> relu\n";

    [Fact]
    public void A_shape_mismatch_prints_both_sides_under_the_source_line()
    {
        using var file = new TempCnnFile(Residual, "residual.cnn");

        var run = CliRunner.Run("check", file.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            $"{file.Path}:2:11: error[CNN0038]: in model `R`: the residual body produces 128x28x28 but the shortcut carries 64x56x56\n" +
            "  |\n" +
            "2 |   relu -> residual(conv(128, 3, stride: 2, pad: 1) -> batchnorm) -> relu\n" +
            "  |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n" +
            "  |   ---- the shortcut carries this, 64x56x56\n" +
            "  |                    -------------------------------------------- the body produces 128x28x28\n" +
            "  |\n" +
            "  = help: add `shortcut: projection` (a 1x1 convolution and batch norm where the shape changes), or make the body keep its shape\n" +
            "\n" +
            "Checked 1 file (1 model, with errors): 1 error, 0 warnings.\n",
            run.Out);
    }

    [Fact]
    public void On_a_terminal_the_same_text_is_coloured()
    {
        using var file = new TempCnnFile(Residual, "residual.cnn");
        var plain = CliRunner.Run("check", file.Path);

        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = CliApp.Run(new[] { "check", file.Path }, new CliContext(stdout, stderr, new OutputSettings(true, true, 120), ErrorColor: true));

        Assert.Equal(1, exit);
        var coloured = stdout.ToString();
        Assert.Contains("\u001b[1;31merror[CNN0038]\u001b[0m", coloured);
        Assert.Contains("\u001b[1;31m^^^^", coloured);
        Assert.Contains("\u001b[1;34m---- the shortcut carries this, 64x56x56\u001b[0m", coloured);
        var stripped = Regex.Replace(coloured, "\u001b\\[[0-9;]*m", "");
        Assert.Equal(plain.Out.Replace(CliRunner.BaseDirectory, ""), stripped.Replace(CliRunner.BaseDirectory, ""));
    }

    [Fact]
    public void Warnings_alone_do_not_fail_check_or_summary()
    {
        using var file = new TempCnnFile("block unused = relu\nmodel M input 1x8x8 = conv(4, 3) -> relu\n", "warn.cnn");

        var check = CliRunner.Run("check", file.Path);
        Assert.Equal(0, check.ExitCode);
        Assert.StartsWith($"{file.Path}:1:7: warning[CNN0040]: block `unused` is never used by a model of this file\n", check.Out);
        Assert.EndsWith("Checked 1 file (1 model): 0 errors, 1 warning.\n", check.Out);

        var summary = CliRunner.Run("summary", file.Path);
        Assert.Equal(0, summary.ExitCode);
        Assert.Contains("warning[CNN0040]", summary.Error);
        Assert.Contains("conv", summary.Out);
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_reported_at_the_byte_not_replaced_silently()
    {
        using var file = new TempCnnFile("", "latin1.cnn");
        File.WriteAllBytes(file.Path, Encoding.Latin1.GetBytes("# Réseau de LeCun\nmodel M input 1x8x8 = conv(4, 3)\n"));

        var run = CliRunner.Run("check", file.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"{file.Path}:1:4: error[CNN0006]: byte 0xE9 (at byte offset 3) is not valid UTF-8\n", run.Out);
        Assert.Contains("1 | # R\uFFFDseau de LeCun\n", run.Out);
    }

    [Fact]
    public void Binary_garbage_gives_at_most_a_hundred_diagnostics_and_a_count()
    {
        using var file = new TempCnnFile("", "garbage.cnn");
        var bytes = new byte[20_000];
        new System.Random(3).NextBytes(bytes);
        File.WriteAllBytes(file.Path, bytes);

        var run = CliRunner.Run("check", file.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(101, Regex.Matches(run.Out, @"^\S+:\d+:\d+: (error|warning)\[CNN\d{4}\]", RegexOptions.Multiline).Count);
        Assert.Matches(@"error\[CNN0005\]: [0-9,]+ more (errors|diagnostics) not shown", run.Out);
        Assert.DoesNotContain(run.Out, c => char.IsControl(c) && c != '\n');
    }
}
