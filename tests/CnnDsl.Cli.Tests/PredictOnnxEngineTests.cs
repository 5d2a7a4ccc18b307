using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnDsl.Runtime;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Weights;
using TorchSharp;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary><c>cnn predict --engine onnx</c>: the same logits as the TorchSharp engine, within
/// float32 rounding, computed by ONNX Runtime in a child process (this test process holds libtorch).</summary>
public sealed class PredictOnnxEngineTests : System.IDisposable
{
    private const string Source = """
        model Small input 3x9x9 = conv(6, 3, pad: 1) -> batchnorm -> relu -> maxpool(2, ceil: true) -> flatten -> fc: linear(5)
        """;

    private readonly TempCnnFile file = new(Source);

    public PredictOnnxEngineTests() => TorchRuntime.EnsureAvailable();

    public void Dispose() => file.Dispose();

    [Fact]
    public void The_onnx_engine_gives_the_torch_engines_output()
    {
        torch.manual_seed(5);
        var folder = Path.GetDirectoryName(file.Path)!;
        using var model = CnnInterpreter.Build(file.Path, file.Text, "Small");
        var weights = Path.Combine(folder, "small.safetensors");
        model.SaveWeights(weights);
        var input = torch.randn(3, 3, 9, 9);
        var inputPath = Path.Combine(folder, "x.safetensors");
        StateDictFile.WriteSafetensors(inputPath, new[] { new KeyValuePair<string, torch.Tensor>("input", input) });
        var (torchOut, onnxOut) = (Path.Combine(folder, "torch.safetensors"), Path.Combine(folder, "onnx.safetensors"));

        var plain = CliRunner.Run("predict", file.Path, "--weights", weights, "--tensor", inputPath, "--output", torchOut);
        var onnx = CliRunner.Run("predict", file.Path, "--weights", weights, "--tensor", inputPath, "--output", onnxOut, "--engine", "onnx");

        Assert.True(plain.ExitCode == 0, plain.Out + plain.Error);
        Assert.True(onnx.ExitCode == 0, onnx.Out + onnx.Error);
        Assert.Contains("run by ONNX Runtime", onnx.Out);
        using var a = StateDictFile.Read(torchOut);
        using var b = StateDictFile.Read(onnxOut);
        var (x, y) = (a.Entries.Single().Value, b.Entries.Single().Value);
        Assert.Equal(x.shape, y.shape);
        var scale = x.abs().max().item<float>();
        Assert.True((x - y).abs().max().item<float>() <= 1e-5f * scale, "the engines disagree beyond float32 rounding");
        // The same ranking, so the same printed top classes.
        Assert.Equal(plain.Out.Split('\n').Where(l => l.Contains('%')).Select(l => l.Split("  ", System.StringSplitOptions.RemoveEmptyEntries)[1]),
            onnx.Out.Split('\n').Where(l => l.Contains('%')).Select(l => l.Split("  ", System.StringSplitOptions.RemoveEmptyEntries)[1]));
    }

    [Fact]
    public void The_onnx_engine_refuses_an_input_of_another_size_with_a_clear_message()
    {
        var folder = Path.GetDirectoryName(file.Path)!;
        using var model = CnnInterpreter.Build(file.Path, file.Text, "Small");
        var weights = Path.Combine(folder, "small2.safetensors");
        model.SaveWeights(weights);
        var inputPath = Path.Combine(folder, "big.safetensors");
        StateDictFile.WriteSafetensors(inputPath, new[] { new KeyValuePair<string, torch.Tensor>("input", torch.randn(1, 3, 12, 12)) });

        var run = CliRunner.Run("predict", file.Path, "--weights", weights, "--tensor", inputPath, "--engine", "onnx");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("declared input, N x 3x9x9", run.Error);
    }
}
