using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Imports;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Text;
using CnnDsl.Runtime.Interpreter;
using TorchSharp;

namespace CnnDsl.Export.Tests;

/// <summary>One model to export: analysed at a small input where the architecture takes one (to
/// keep CI short), built by the runtime interpreter with seeded weights in which every constant
/// tensor (batch norm's weight and bias, layer scales, norms' affine parameters) is made
/// non-trivial and batch norm's running statistics are taken from the input (a constant or
/// identity normalisation would prove nothing), and its float32 output on a seeded input of
/// batch 2, with the same network run in float64 as the measure of float32 rounding.</summary>
public sealed class ExportCase : IDisposable
{
    private ExportCase(ModelInfo model, InterpretedModel module, torch.Tensor input, torch.Tensor output, torch.Tensor exact)
    {
        Model = model;
        Module = module;
        Input = input;
        Output = output;
        Exact = exact;
    }

    public ModelInfo Model { get; }

    /// <summary>The float32 module with the weights that are exported.</summary>
    public InterpretedModel Module { get; }

    /// <summary>2 x the model's input, float32.</summary>
    public torch.Tensor Input { get; }

    /// <summary>The runtime's float32 eval output on <see cref="Input"/>.</summary>
    public torch.Tensor Output { get; }

    /// <summary>The same network in float64 (the weights' float32 values, widened).</summary>
    public torch.Tensor Exact { get; }

    /// <summary>Every (file, model) of architectures/*.cnn and Cases/*.cnn, for theories.</summary>
    public static IEnumerable<object[]> All()
    {
        var folders = new[] { "architectures", "Cases" };
        foreach (var folder in folders)
        {
            foreach (var path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, folder), "*.cnn").OrderBy(p => p, StringComparer.Ordinal))
            {
                var result = CnnCompiler.Compile(path, File.ReadAllText(path), FileImportResolver.Disk);
                foreach (var model in result.Models) yield return new object[] { folder + "/" + Path.GetFileName(path), model.Name };
            }
        }
    }

    /// <summary>The model at its test input, built and run.</summary>
    public static ExportCase Create(string file, string name)
    {
        var model = SmallModel(file, name);
        var seed = (long)(uint)StableHash(name);
        torch.manual_seed(seed);
        var module = new InterpretedModel(model);
        var input = torch.randn(new[] { 2L }.Concat(model.Input.Dimensions).ToArray(), generator: new torch.Generator((ulong)seed));
        using (torch.no_grad())
        {
            MakeNonTrivial(module, model, input);
            module.eval();
            var output = module.forward(input).detach();
            // float32 -> float64 -> float32 gives the same values back, bit for bit.
            module.to(torch.float64);
            var exact = module.forward(input.to(torch.float64)).detach();
            module.to(torch.float32);
            return new ExportCase(model, module, input, output, exact);
        }
    }

    /// <summary>max |candidate - exact| against the runtime's own float32 error, max |Output - Exact|:
    /// the check passes where the candidate is within <paramref name="factor"/> times the
    /// runtime's error plus <paramref name="floor"/> of the output's scale.</summary>
    public (double Error, double RuntimeError, double Scale) Errors(torch.Tensor candidate)
    {
        using var scope = torch.NewDisposeScope();
        var c = candidate.to(torch.float64);
        var error = c.isnan().any().item<bool>() ? double.NaN : (c - Exact).abs().max().item<double>();
        var runtime = (Output.to(torch.float64) - Exact).abs().max().item<double>();
        var scale = Exact.abs().max().item<double>();
        return (error, runtime, scale == 0 ? 1 : scale);
    }

    public void Dispose()
    {
        Module.Dispose();
        Input.Dispose();
        Output.Dispose();
        Exact.Dispose();
    }

    /// <summary>The model at the smallest of a few odd sizes it takes (odd, so ceil-mode pooling and
    /// adaptive pooling meet uneven windows), or at its declared input when that is small already.</summary>
    private static ModelInfo SmallModel(string file, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, file);
        var result = CnnCompiler.Compile(path, File.ReadAllText(path), FileImportResolver.Disk);
        if (result.HasErrors) throw new InvalidDataException(string.Join("\n", result.Diagnostics.Where(d => d.IsError)));
        var declared = result.Models.Single(m => m.Name == name);
        if (!declared.Input.IsImage || declared.Input.Height <= 64) return declared;
        foreach (var side in new long[] { 67, 99, 131, 163 })
        {
            var input = Shape.Image(declared.Input.Channels, side, side);
            var again = CnnCompiler.Compile(new SourceFile(path, File.ReadAllText(path)), new Dictionary<string, Shape> { [name] = input }, FileImportResolver.Disk);
            var model = again.Models.FirstOrDefault(m => m.Name == name);
            if (!again.HasErrors && model is not null) return model;
        }

        return declared;
    }

    private static void MakeNonTrivial(InterpretedModel module, ModelInfo model, torch.Tensor input)
    {
        foreach (var (key, tensor) in module.state_dict())
        {
            if (tensor.dtype != torch.float32 || tensor.numel() < 2 && !key.EndsWith("layer_scale", StringComparison.Ordinal)) continue;
            if (key.EndsWith("codes", StringComparison.Ordinal)) continue;
            if (tensor.min().item<float>() != tensor.max().item<float>()) continue;
            var values = key.EndsWith("bias", StringComparison.Ordinal) || key.EndsWith("running_mean", StringComparison.Ordinal)
                ? torch.randn(tensor.shape) * 0.2
                : torch.rand(tensor.shape) + 0.5;
            tensor.copy_(values);
        }

        // Running statistics from the input itself: one train-mode pass with momentum 1.
        var norms = model.Layers.Where(l => l.Spec is BatchNormSpec).Select(l => module.Layer(l.Path)).OfType<TorchSharp.Modules.BatchNorm>().ToList();
        if (norms.Count == 0) return;
        foreach (var norm in norms) norm.momentum = 1.0;
        module.train();
        module.forward(input).Dispose();
        foreach (var norm in norms) norm.momentum = 0.1;
    }

    private static int StableHash(string text)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var ch in text) hash = (hash ^ ch) * 16777619;
            return hash & 0x7fffffff;
        }
    }
}
