using System;
using System.IO;
using System.Linq;
using CnnDsl.Architectures;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Models.Tests.Reference;
using CnnDsl.Runtime;
using CnnDsl.Runtime.Interpreter;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnDsl.Benchmarks;

/// <summary>The models under test: generated class, hand-written baseline (the torchvision-structured
/// references of tests/CnnDsl.Models.Tests/Reference, compiled into this harness), interpreter.</summary>
public static class Models
{
    public static readonly string[] ForwardModels = { "ResNet50", "VGG16", "GoogLeNet", "DenseNet121" };

    public static nn.Module<Tensor, Tensor> Generated(string name) => name switch
    {
        "ResNet50" => new ResNet50(),
        "ResNet152" => new ResNet152(),
        "VGG16" => new VGG16(),
        "VGG16_BN" => new VGG16_BN(),
        "GoogLeNet" => new CnnDsl.Architectures.GoogLeNet(),
        "DenseNet121" => new DenseNet121(),
        "DenseNet201" => new DenseNet201(),
        "MobileNetV2" => new MobileNetV2(),
        "EfficientNetB0" => new EfficientNetB0(),
        _ => throw new ArgumentException($"no generated model {name} in this harness"),
    };

    public static nn.Module<Tensor, Tensor> HandWritten(string name) => name switch
    {
        "ResNet50" => ResNetReference.ResNet50(),
        "ResNet152" => ResNetReference.ResNet152(),
        "VGG16" => VggReference.VGG16(),
        "VGG16_BN" => VggReference.VGG16_BN(),
        "GoogLeNet" => new GoogLeNetReference(auxLogits: false),
        "DenseNet121" => DenseNetReference.DenseNet121(),
        "DenseNet201" => DenseNetReference.DenseNet201(),
        "MobileNetV2" => new MobileNetV2Reference(),
        "EfficientNetB0" => EfficientNetReference.B0(),
        _ => throw new ArgumentException($"no hand-written model {name} in this harness"),
    };

    /// <summary>Whether <see cref="HandWritten"/> has the model (the references of tests/CnnDsl.Models.Tests).</summary>
    public static bool HasHandWritten(string name) => name is "ResNet50" or "ResNet152" or "VGG16" or "VGG16_BN" or "GoogLeNet"
        or "DenseNet121" or "DenseNet201" or "MobileNetV2" or "EfficientNetB0";

    /// <summary>The .cnn file that defines a model.</summary>
    public static string FileOf(string name) =>
        name.StartsWith("ResNet", StringComparison.Ordinal) ? "resnet.cnn"
        : name.StartsWith("VGG", StringComparison.Ordinal) ? "vgg.cnn"
        : name.StartsWith("GoogLeNet", StringComparison.Ordinal) ? "googlenet.cnn"
        : name.StartsWith("DenseNet", StringComparison.Ordinal) ? "densenet.cnn"
        : name == "MobileNetV2" ? "mobilenetv2.cnn"
        : name.StartsWith("EfficientNet", StringComparison.Ordinal) ? "efficientnet.cnn"
        : throw new ArgumentException(name);

    public static string ArchitecturesDirectory
    {
        get
        {
            var copied = Path.Combine(AppContext.BaseDirectory, "architectures");
            if (Directory.Exists(copied)) return copied;
            throw new DirectoryNotFoundException($"no architectures/ beside {AppContext.BaseDirectory}");
        }
    }

    public static (string Path, string Text) Source(string name)
    {
        var path = Path.Combine(ArchitecturesDirectory, FileOf(name));
        return (path, File.ReadAllText(path));
    }

    public static InterpretedModel Interpreted(string name)
    {
        var (path, text) = Source(name);
        return CnnInterpreter.Build(path, text, name);
    }

    /// <summary>The static analysis of one model (CnnCompiler over its file).</summary>
    public static ModelInfo Analysis(string name)
    {
        var (path, text) = Source(name);
        var result = CnnCompiler.Compile(path, text);
        return result.Models.Single(m => m.Name == name);
    }

    /// <summary>Copies every state_dict entry by key; both sides must have the same keys and shapes.</summary>
    public static void CopyWeights(nn.Module source, nn.Module target)
    {
        var from = source.state_dict();
        var to = target.state_dict();
        var missing = from.Keys.Except(to.Keys).Concat(to.Keys.Except(from.Keys)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"state_dict keys differ ({source.GetType().Name} -> {target.GetType().Name}): {string.Join(", ", missing.Take(10))}");
        using var noGrad = no_grad();
        foreach (var (key, tensor) in from)
        {
            if (!tensor.shape.SequenceEqual(to[key].shape))
                throw new InvalidOperationException($"{key}: [{string.Join(",", tensor.shape)}] vs [{string.Join(",", to[key].shape)}]");
            to[key].copy_(tensor);
        }
    }

    /// <summary>Gives every batch norm non-trivial running statistics and affine parameters, so
    /// that a folded or dropped batch norm would show in the outputs.</summary>
    public static void RandomizeBatchNorms(nn.Module model)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (_, module) in model.named_modules())
        {
            if (module is not TorchSharp.Modules.BatchNorm2d bn) continue;
            bn.running_mean!.copy_(rand(bn.running_mean.shape) * 0.2 - 0.1);
            bn.running_var!.copy_(rand(bn.running_var.shape) * 1.0 + 0.5);
            bn.weight!.copy_(rand(bn.weight.shape) * 0.5 + 0.75);
            bn.bias!.copy_(rand(bn.bias.shape) * 0.2 - 0.1);
        }
    }

    /// <summary>max |a - b| / max |b|, in double.</summary>
    public static double RelativeDifference(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var a64 = a.to_type(ScalarType.Float64);
        var b64 = b.to_type(ScalarType.Float64);
        var scale = Math.Max(1e-12, b64.abs().max().item<double>());
        return (a64 - b64).abs().max().item<double>() / scale;
    }

    public static void InitTorch(int threads, long seed = 20261123)
    {
        TorchRuntime.EnsureAvailable();
        set_num_threads(threads);
        manual_seed(seed);
    }
}
