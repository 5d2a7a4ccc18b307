using System.IO;
using CnnDsl.Runtime;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Weights;
using TorchSharp;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary><c>cnn export</c>'s command line: what it writes, and each mistake as its exit code and
/// a message (the files themselves are judged by their engines in tests/CnnDsl.Export.Tests).</summary>
public sealed class ExportCommandTests : System.IDisposable
{
    private const string Source = """
        model Tiny input 3x8x8 = conv(4, 3, pad: 1) -> batchnorm -> relu -> global_avgpool -> flatten -> fc: linear(5)
        model Other input 3x8x8 = conv(6, 3, pad: 1) -> relu -> global_avgpool -> flatten -> fc: linear(5)
        """;

    private readonly TempCnnFile file = new(Source);
    private readonly string folder;

    public ExportCommandTests()
    {
        TorchRuntime.EnsureAvailable();
        folder = Path.GetDirectoryName(file.Path)!;
    }

    public void Dispose() => file.Dispose();

    [Fact]
    public void Both_files_are_written_with_the_given_weights()
    {
        torch.manual_seed(1);
        using (var model = CnnInterpreter.Build(file.Path, file.Text, "Tiny")) model.SaveWeights(Path.Combine(folder, "tiny.safetensors"));
        var (onnx, python) = (Path.Combine(folder, "tiny.onnx"), Path.Combine(folder, "tiny.py"));

        var run = CliRunner.Run("export", file.Path, "--model", "Tiny", "--weights", Path.Combine(folder, "tiny.safetensors"), "--onnx", onnx, "--pytorch", python);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("ONNX opset 17, input `input` N x 3x8x8, output `output` N x 5", run.Out);
        Assert.True(new FileInfo(onnx).Length > 4 * (4 * 3 * 3 * 3 + 5 * 4), "the ONNX file is smaller than its weights");
        Assert.Contains("class Tiny(nn.Module):", File.ReadAllText(python));
        Assert.DoesNotContain("warning", run.Error);
    }

    [Fact]
    public void Without_weights_the_export_warns_that_it_holds_a_fresh_initialisation()
    {
        var run = CliRunner.Run("export", file.Path, "--model", "Tiny", "--onnx", Path.Combine(folder, "fresh.onnx"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("fresh random initialisation", run.Error);
    }

    [Theory]
    [InlineData("--opset", "12", "opsets 17 to 21")]
    [InlineData("--opset", "22", "opsets 17 to 21")]
    public void An_opset_out_of_range_is_a_usage_error(string option, string value, string message)
    {
        var run = CliRunner.Run("export", file.Path, "--model", "Tiny", "--onnx", Path.Combine(folder, "x.onnx"), option, value);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(message, run.Error);
    }

    [Fact]
    public void Nothing_to_write_is_a_usage_error()
    {
        var run = CliRunner.Run("export", file.Path, "--model", "Tiny");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--onnx OUT.onnx, --pytorch OUT.py", run.Error);
    }

    [Fact]
    public void Weights_of_another_model_are_a_file_error()
    {
        using (var model = CnnInterpreter.Build(file.Path, file.Text, "Other")) model.SaveWeights(Path.Combine(folder, "other.safetensors"));

        var run = CliRunner.Run("export", file.Path, "--model", "Tiny", "--weights", Path.Combine(folder, "other.safetensors"), "--onnx", Path.Combine(folder, "y.onnx"));

        Assert.Equal(ExitCodes.FileError, run.ExitCode);
        Assert.False(File.Exists(Path.Combine(folder, "y.onnx")));
    }

    [Fact]
    public void An_output_that_is_an_input_is_refused_and_the_input_is_untouched()
    {
        var run = CliRunner.Run("export", file.Path, "--model", "Tiny", "--pytorch", file.Path);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("is one of its inputs", run.Error);
        Assert.Equal(file.Text, File.ReadAllText(file.Path));
    }

    [Fact]
    public void Both_outputs_at_one_path_are_refused_and_nothing_is_written()
    {
        var same = Path.Combine(folder, "same.x");

        var run = CliRunner.Run("export", file.Path, "--model", "Tiny", "--onnx", same, "--pytorch", same);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("name the same file", run.Error);
        Assert.False(File.Exists(same));
    }

    [Fact]
    public void A_directory_as_the_output_is_a_file_error_that_leaves_nothing_behind()
    {
        var directory = Directory.CreateDirectory(Path.Combine(folder, "adir")).FullName;

        var run = CliRunner.Run("export", file.Path, "--model", "Tiny", "--onnx", directory);

        Assert.Equal(ExitCodes.FileError, run.ExitCode);
        Assert.Contains($"cannot write '{directory}': it is a directory", run.Error);
        Assert.False(File.Exists(directory + ".tmp"));
    }

    [Fact]
    public void Weights_over_2_GiB_are_refused_for_onnx_before_anything_is_built()
    {
        // 64 x 10,000,000 + 10,000,000 = 650,000,000 float32 parameters: 2.6 GB, over protobuf's 2 GiB.
        using var large = new TempCnnFile("model Mid input 1x8x8 = flatten -> linear(10000000)");

        var run = CliRunner.Run("export", large.Path, "--onnx", Path.Combine(Path.GetDirectoryName(large.Path)!, "mid.onnx"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Mid's weights take more than 2 GiB (650,000,000 parameters)", run.Error);
        Assert.DoesNotContain("internal error", run.Error);
    }

    [Fact]
    public void A_model_larger_than_memory_is_refused_before_it_is_built()
    {
        // 64 x 10^12 weights: 256 TB of float32, more than any machine this runs on.
        using var huge = new TempCnnFile("model Huge input 1x8x8 = flatten -> linear(1000000000000, bias: false)");

        var run = CliRunner.Run("export", huge.Path, "--pytorch", Path.Combine(Path.GetDirectoryName(huge.Path)!, "huge.py"));

        Assert.Equal(ExitCodes.ExternalFailure, run.ExitCode);
        Assert.Contains("model 'Huge' needs about", run.Error);
        Assert.Contains("of memory to build it for export (parameters 256 TB", run.Error);
    }
}
