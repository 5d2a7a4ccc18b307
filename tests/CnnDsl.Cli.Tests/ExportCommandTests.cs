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
}
