using System;
using System.IO;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary>Every resource a command asks for has a bound it checks first: files are read only up
/// to what CnnDsl can use, thread counts have a ceiling, and a model's memory is estimated from
/// the analysis before anything is allocated.</summary>
public sealed class ResourceBoundTests
{
    /// <summary>/dev/zero never ends: reading it whole ran out of memory (exit 4). Only the
    /// compiler's limit plus one byte is read, and the file is refused as too long.</summary>
    [Fact]
    public void An_endless_file_is_read_only_up_to_the_limit()
    {
        if (!File.Exists("/dev/zero")) return;

        var run = CliRunner.Run("check", "/dev/zero");

        Assert.Equal(ExitCodes.SourceErrors, run.ExitCode);
        Assert.Contains("CNN0007", run.Out);
    }

    [Fact]
    public void An_endless_import_is_read_only_up_to_the_limit()
    {
        if (!File.Exists("/dev/zero")) return;
        using var file = new TempCnnFile("import \"/dev/zero\"\nmodel M input 1x8x8 = relu\n");

        var run = CliRunner.Run("check", file.Path);

        Assert.Equal(ExitCodes.SourceErrors, run.ExitCode);
        Assert.Contains("longer than", run.Out);
    }

    [Theory]
    [InlineData("train", "--threads", "1000")]
    [InlineData("train", "--workers", "100000")]
    [InlineData("test", "--workers", "100000")]
    public void Thread_counts_have_a_ceiling(string command, string option, string value)
    {
        var run = CliRunner.Run(command, CliRunner.Architecture("lenet5.cnn"), "--model", "LeNet5", "--data", "missing", option, value);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains($"{option} takes a whole number from 1 to 256, not '{value}'.", run.Error);
    }

    /// <summary>conv(2147483648, 3) died in libtorch's allocator (exit 4). Figures by hand, float32:
    /// parameters 2^31 * (3 * 3 * 3) weights + 2^31 biases = 60,129,542,144, 240.5 GB; activations
    /// (3 * 64 * 64 + 2^31 * 62 * 62) elements = 8,254,927,384,576, 33.02 TB; 33.26 TB in all.</summary>
    [Fact]
    public void Verify_says_how_much_memory_a_model_needs_before_allocating_it()
    {
        using var file = new TempCnnFile("model Huge input 3x64x64 = conv(2147483648, 3)\n");

        var run = CliRunner.Run("verify", file.Path);

        Assert.Equal(ExitCodes.ExternalFailure, run.ExitCode);
        Assert.Contains("error: model 'Huge' needs about 33.3 TB of memory to build and run one sample "
            + "(parameters 241 GB, buffers 0 bytes, activations 33.0 TB);", run.Error);
        Assert.Contains("could not be built: not enough memory", run.Out);
    }
}
