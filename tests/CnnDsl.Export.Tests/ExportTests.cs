using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using CnnDsl.Export.Onnx;
using CnnDsl.Export.Onnx.Schema;
using CnnDsl.Inference;
using CnnDsl.Runtime.Export;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Weights;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace CnnDsl.Export.Tests;

/// <summary>Each exit is judged by the engine it targets, for every model of architectures/ and
/// every other layer kind (Cases/every_layer.cnn, and the Models tests' Cases/catalogue.cnn: every
/// layer of the catalogue with each parameter, flag and mode), on the same weights and input (<see cref="ExportCase"/>):
/// <list type="bullet">
/// <item>ONNX: the file passes ONNX's own full check, its initializers are named by the state_dict
/// keys, its batch is free, and ONNX Runtime (in a process of its own) computes the C# runtime's
/// output within float32 rounding;</item>
/// <item>PyTorch: the exported module's state_dict has the C# class's keys, shapes and dtypes, the C# weights load into it strictly, PyTorch computes the same output within float32
/// rounding, and the weights PyTorch saves load back into C# strictly and bit for bit.</item>
/// </list>
/// One model is built once for both (the largest hold 0.8 GB of weights).</summary>
public sealed class ExportTests
{
    /// <summary>How far an engine may be from the exact (float64) result: this many times the C#
    /// runtime's own float32 error on the same input, plus <see cref="Floor"/> of the output's scale, as the torchvision
    /// conformance tests allow (docs/weights.md).</summary>
    public const double RoundingFactor = 4;

    /// <summary>See <see cref="RoundingFactor"/>.</summary>
    public const double Floor = 1e-5;

    private readonly ITestOutputHelper output;

    public ExportTests(ITestOutputHelper output)
    {
        this.output = output;
        torch.set_num_threads(1);
    }

    public static IEnumerable<object[]> Models => ExportCase.All();

    [Theory]
    [MemberData(nameof(Models))]
    public async System.Threading.Tasks.Task Onnx_runtime_and_pytorch_compute_what_the_runtime_computes(string file, string model)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var @case = ExportCase.Create(file, model);
        var built = watch.Elapsed.TotalSeconds;
        var folder = Python.TemporaryFolder().FullName;
        try
        {
            var f = new Files(folder, model);
            WriteOnnx(@case, f);
            WritePyTorch(@case, f);
            var written = watch.Elapsed.TotalSeconds;

            // The three engines' processes at once: the CI machine's cores are otherwise idle while each loads its copy of the weights.
            var checker = System.Threading.Tasks.Task.Run(() => Python.Run("onnx_check.py", f.Onnx));
            var onnxRuntime = System.Threading.Tasks.Task.Run(() => OnnxProcess.Run(f.Onnx, new TensorFile(@case.Input.shape, @case.Input.data<float>().ToArray()), threads: 1));
            var pytorch = System.Threading.Tasks.Task.Run(() => Python.Run("pytorch_check.py", f.Module, f.Keys, f.Weights, f.Input, f.Output, f.Back));
            await System.Threading.Tasks.Task.WhenAll(checker, onnxRuntime, pytorch);
            var ran = watch.Elapsed.TotalSeconds;
            output.WriteLine((await checker).Trim());
            output.WriteLine((await pytorch).Trim());

            var result = await onnxRuntime;
            Assert.Equal(@case.Output.shape, result.Shape);
            using (var theirs = torch.tensor(result.Values, result.Shape)) Judge(@case, "ONNX Runtime", theirs);
            using (var outputs = StateDictFile.Read(f.Output)) Judge(@case, "PyTorch", outputs.Entries.Single(e => e.Key == "output").Value);
            LoadBack(@case, f.Back);
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "seconds: build and run {0:F1}, write {1:F1}, checker + ONNX Runtime + PyTorch {2:F1}, compare and load back {3:F1}",
                built, written - built, ran - written, watch.Elapsed.TotalSeconds - ran));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed record Files(string Folder, string Model)
    {
        public string Onnx => Path.Combine(Folder, Model + ".onnx");
        public string Module => Path.Combine(Folder, "exported.py");
        public string Keys => Path.Combine(Folder, "keys.json");
        public string Weights => Path.Combine(Folder, "weights.safetensors");
        public string Input => Path.Combine(Folder, "input.safetensors");
        public string Output => Path.Combine(Folder, "output.safetensors");
        public string Back => Path.Combine(Folder, "back.safetensors");
    }

    /// <summary>The ONNX file, read back: initializers named by the state_dict keys, a free batch, the default opset.</summary>
    private static void WriteOnnx(ExportCase @case, Files f)
    {
        ModelExport.WriteOnnx(@case.Module, @case.Model, f.Onnx);
        using var stream = File.OpenRead(f.Onnx);
        var proto = ModelProto.Parser.ParseFrom(stream);
        var names = proto.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        // The graph is the eval forward: the training-only heads and their tensors stay out.
        var auxiliary = @case.Model.Root.DescendantsAndSelf().Where(n => n.Kind == CnnDsl.Dsl.Analysis.NodeKind.Auxiliary)
            .SelectMany(n => n.DescendantsAndSelf()).Where(l => !l.IsGroup).SelectMany(l => l.Tensors.Select(t => t.KeyAt(l.Path))).ToHashSet(StringComparer.Ordinal);
        var missing = @case.Model.StateDict().Select(e => e.Key)
            .Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal) && !auxiliary.Contains(k) && !names.Contains(k)).ToList();
        Assert.DoesNotContain(names, auxiliary.Contains);
        Assert.True(missing.Count == 0, $"{@case.Model.Name}: state_dict keys without an ONNX initializer: {string.Join(", ", missing.Take(10))}");
        Assert.Equal("N", proto.Graph.Input.Single().Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal("N", proto.Graph.Output.Single().Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(OnnxExportOptions.DefaultOpset, proto.OpsetImport.Single().Version);
    }

    /// <summary>The Python module, the C# keys with shapes and dtypes, the weights and the input.</summary>
    private static void WritePyTorch(ExportCase @case, Files f)
    {
        ModelExport.WritePyTorch(@case.Module, @case.Model, f.Module);
        File.WriteAllText(f.Keys, JsonSerializer.Serialize(@case.Module.state_dict()
            .Select(e => new object[] { e.Key, e.Value.shape, e.Value.dtype == torch.int64 ? "int64" : e.Value.dtype == torch.float32 ? "float32" : e.Value.dtype.ToString() })));
        WeightLoader.Save(@case.Module, f.Weights);
        StateDictFile.WriteSafetensors(f.Input, new[] { new KeyValuePair<string, torch.Tensor>("input", @case.Input) });
    }

    private void Judge(ExportCase @case, string engine, torch.Tensor theirs)
    {
        Assert.Equal(@case.Output.shape, theirs.shape);
        var (error, runtime, scale) = @case.Errors(theirs);
        var allowed = RoundingFactor * runtime + Floor * scale;
        output.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "{0}, {1} at N x {2}: max error {3:E2} of the output's scale {4:E2}; the C# runtime's own {5:E2}; allowed {6:E2}",
            engine, @case.Model.Name, @case.Model.Input, error / scale, scale, runtime / scale, allowed / scale));
        Assert.True(error <= allowed, $"{@case.Model.Name}: {engine} is {error / scale:E2} of the output's scale from the exact result; the C# runtime {runtime / scale:E2}");
    }

    /// <summary>The other way: what PyTorch saves loads into C# strictly, bit for bit.</summary>
    private static void LoadBack(ExportCase @case, string back)
    {
        using var again = new InterpretedModel(@case.Model);
        again.LoadWeights(back);
        var original = @case.Module.state_dict();
        foreach (var (key, tensor) in again.state_dict())
        {
            Assert.True(tensor.dtype == original[key].dtype && tensor.shape.SequenceEqual(original[key].shape) && tensor.equal(original[key]).all().item<bool>(),
                $"{@case.Model.Name}: `{key}` saved by PyTorch is not the tensor C# gave it");
        }
    }
}
