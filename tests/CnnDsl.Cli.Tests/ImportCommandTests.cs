using System;
using System.IO;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary><c>import</c> in the <c>cnn</c> command: paths relative to the importing file (not the
/// working folder), read from the disk; its problems located at the import line.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cnn-cli-imports-" + Guid.NewGuid().ToString("N"));

    public ImportCommandTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "models"));
        Directory.CreateDirectory(Path.Combine(_folder, "shared"));
        File.WriteAllText(Path.Combine(_folder, "shared", "blocks.cnn"), "let width = 8\nblock unit(c) = conv: conv(c, 3, pad: 1) -> relu\n");
        File.WriteAllText(Path.Combine(_folder, "models", "net.cnn"),
            "import \"../shared/blocks.cnn\"\nmodel Net input 3x8x8 = a: unit(width) -> flatten -> fc: linear(2)\n");
    }

    private string Net => Path.Combine(_folder, "models", "net.cnn");

    [Fact]
    public void Check_list_and_verify_read_imports_relative_to_the_importing_file()
    {
        var check = CliRunner.Run("check", Net);
        Assert.Equal(0, check.ExitCode);
        Assert.Equal("Checked 1 file (1 model): 0 errors, 0 warnings.\n", check.Out);

        var list = CliRunner.Run("list", Net, "--format", "csv");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(",Net,3x8x8,2," + (8 * 3 * 9 + 8 + 8 * 8 * 8 * 2 + 2) + ",", list.Out);

        var verify = CliRunner.Run("verify", Net);
        Assert.True(verify.ExitCode == 0, verify.Out + verify.Error);
    }

    [Fact]
    public void Emit_generates_what_the_generator_does_with_the_imported_file()
    {
        var run = CliRunner.Run("emit", Net);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("public sealed partial class Net", run.Out);
        Assert.Contains("register_module(\"a\", ", run.Out);
    }

    [Fact]
    public void A_missing_import_is_an_error_at_the_import_line_and_exit_1()
    {
        File.WriteAllText(Net, "import \"../shared/nothing.cnn\"\nmodel Net input 3x8x8 = unit(4)\n");
        var run = CliRunner.Run("check", Net);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("net.cnn:1:8: error[CNN0043]: cannot import `../shared/nothing.cnn`: there is no file ", run.Out);
        Assert.DoesNotContain("CNN0010", run.Out); // `unit` may be the missing file's: not reported
    }

    [Fact]
    public void An_error_in_an_imported_block_is_shown_in_that_file()
    {
        File.WriteAllText(Path.Combine(_folder, "shared", "blocks.cnn"), "let width = 8\nblock unit(c) = conv: conv(c, 9) -> relu\n");
        var run = CliRunner.Run("check", Net);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("blocks.cnn:2:23: error[CNN0031]", run.Out);
        Assert.Contains("2 | block unit(c) = conv: conv(c, 9) -> relu", run.Out);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temporary folder is harmless
        }
    }
}
