using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CnnDsl.Inference;

/// <summary>How ONNX Runtime runs a model.</summary>
public sealed record OnnxModelOptions
{
    /// <summary>Threads within one operator (a convolution); 0 lets ONNX Runtime choose (one per core).</summary>
    public int Threads { get; init; }
}

/// <summary>An exported CnnDsl model (<c>cnn export --onnx</c>) run by ONNX Runtime on the CPU,
/// with every graph optimisation: <c>using var model = new OnnxModel("resnet50.onnx");
/// var logits = model.Run(pixels, batch: 1);</c>.</summary>
/// <remarks>On some Linux machines ONNX Runtime dies with SIGFPE in a process that has loaded
/// libtorch (TorchSharp): the constructor refuses such a process with an
/// <see cref="InvalidOperationException"/>. Run ONNX Runtime in a process of its own
/// (<see cref="OnnxProcess"/>), as <c>cnn predict --engine onnx</c> does.</remarks>
public sealed class OnnxModel : IDisposable
{
    private readonly InferenceSession session;
    private readonly string inputName;

    /// <summary>Loads the model.</summary>
    /// <exception cref="InvalidOperationException">libtorch is loaded in this process.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime cannot load the file.</exception>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    public OnnxModel(string path, OnnxModelOptions? options = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no ONNX model at {path}", path);
        RefuseLibTorchProcess();
        using var settings = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (options?.Threads > 0) settings.IntraOpNumThreads = options.Threads;
        session = new InferenceSession(path, settings);
        var input = session.InputMetadata.Single();
        inputName = input.Key;
        InputShape = input.Value.Dimensions.Skip(1).Select(d => (long)d).ToArray();
        OutputShape = session.OutputMetadata.First().Value.Dimensions.Skip(1).Select(d => (long)d).ToArray();
    }

    /// <summary>One sample's input shape, C x H x W (the batch dimension is free).</summary>
    public IReadOnlyList<long> InputShape { get; }

    /// <summary>One sample's output shape (1000 for an ImageNet classifier).</summary>
    public IReadOnlyList<long> OutputShape { get; }

    /// <summary>Runs the model on <paramref name="batch"/> samples given row-major (N x C x H x W) and
    /// returns the output row-major (N x output shape).</summary>
    /// <exception cref="ArgumentException">The input is not <paramref name="batch"/> samples of <see cref="InputShape"/>.</exception>
    public float[] Run(float[] input, int batch)
    {
        ArgumentNullException.ThrowIfNull(input);
        var sample = InputShape.Aggregate(1L, (a, d) => a * d);
        if (batch < 1 || input.LongLength != batch * sample)
        {
            throw new ArgumentException($"{input.Length} values are not {batch} samples of {string.Join("x", InputShape)}", nameof(input));
        }

        var dims = new[] { batch }.Concat(InputShape.Select(d => checked((int)d))).ToArray();
        var tensor = new DenseTensor<float>(input, dims);
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(inputName, tensor) });
        return results.First().AsTensor<float>().ToArray();
    }

    public void Dispose() => session.Dispose();

    /// <summary>Whether libtorch's CPU library is mapped into this process (Linux; false elsewhere).</summary>
    public static bool LibTorchLoaded()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return false;
        return File.ReadLines(maps).Any(line => line.Contains("libtorch_cpu", StringComparison.Ordinal));
    }

    private static void RefuseLibTorchProcess()
    {
        if (LibTorchLoaded())
        {
            throw new InvalidOperationException(
                "ONNX Runtime cannot run in a process that has loaded libtorch (TorchSharp): on some Linux machines it dies with SIGFPE. "
                + "Run it in a process of its own: CnnDsl.Inference.OnnxProcess, or `cnn predict --engine onnx`.");
        }
    }
}
