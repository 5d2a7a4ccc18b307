using System.Collections.Generic;
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CnnDsl.Models.Tests.Reference;

/// <summary>Hand-written TorchSharp VGG following torchvision.models.vgg: make_layers(cfg,
/// batch_norm) into a `features` Sequential, AdaptiveAvgPool2d((7, 7)), flatten and the
/// `classifier` Sequential, so the state_dict keys are torchvision's (features.0.weight, ...,
/// classifier.6.bias). ReLUs in place and submodules invoked with <c>call()</c>, as in
/// torchvision. A second engine for the wiring tests and the hand-written baseline of
/// benchmarks/.</summary>
public sealed class VggReference : Module<Tensor, Tensor>
{
    private const int M = -1;

    /// <summary>Configuration "D" of the paper's Table 1.</summary>
    private static readonly int[] D = { 64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M };

    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    /// <summary>torchvision.models.vgg16().</summary>
    public static VggReference VGG16(long numClasses = 1000) => new(MakeLayers(D, batchNorm: false), numClasses);

    /// <summary>torchvision.models.vgg16_bn().</summary>
    public static VggReference VGG16_BN(long numClasses = 1000) => new(MakeLayers(D, batchNorm: true), numClasses);

    public VggReference(Sequential features, long numClasses = 1000, double dropout = 0.5) : base("VGG")
    {
        this.features = features;
        avgpool = AdaptiveAvgPool2d((7, 7));
        classifier = Sequential(
            Linear(512 * 7 * 7, 4096),
            ReLU(inplace: true),
            Dropout(dropout),
            Linear(4096, 4096),
            ReLU(inplace: true),
            Dropout(dropout),
            Linear(4096, numClasses));
        RegisterComponents();
    }

    private static Sequential MakeLayers(IEnumerable<int> cfg, bool batchNorm)
    {
        var layers = new List<Module<Tensor, Tensor>>();
        long inChannels = 3;
        foreach (var v in cfg)
        {
            if (v == M)
            {
                layers.Add(MaxPool2d(kernel_size: 2, stride: 2));
                continue;
            }
            layers.Add(Conv2d(inChannels, v, kernel_size: 3, padding: 1));
            if (batchNorm) layers.Add(BatchNorm2d(v));
            layers.Add(ReLU(inplace: true));
            inChannels = v;
        }
        var named = new List<(string, Module<Tensor, Tensor>)>();
        for (var i = 0; i < layers.Count; i++) named.Add((i.ToString(CultureInfo.InvariantCulture), layers[i]));
        return Sequential(named);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = avgpool.call(features.call(x)).flatten(1);
        return classifier.call(y).MoveToOuterDisposeScope();
    }
}
