using System.Collections.Generic;
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CnnDsl.Models.Tests.Reference;

/// <summary>Hand-written TorchSharp DenseNet following torchvision.models.densenet: a `features`
/// Sequential (conv0, norm0, relu0, pool0, denseblock1, transition1, ..., denseblock4, norm5),
/// then F.relu, adaptive average pool to 1x1, flatten and the `classifier` Linear. The module
/// names, hence the state_dict keys, are torchvision's. Written as a skilled user writes it
/// (ReLUs in place and submodules invoked with <c>call()</c>, as torchvision's <c>ReLU(inplace=True)</c>
/// and <c>module(x)</c>): it is also the hand-written baseline of benchmarks/.</summary>
public sealed class DenseNetReference : Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Linear classifier;

    /// <summary>torchvision.models.densenet121(): growth 32, blocks (6, 12, 24, 16), 64 initial features, bn_size 4.</summary>
    public static DenseNetReference DenseNet121(long numClasses = 1000) => new(32, new[] { 6, 12, 24, 16 }, 64, 4, numClasses);

    /// <summary>torchvision.models.densenet169(): growth 32, blocks (6, 12, 32, 32).</summary>
    public static DenseNetReference DenseNet169(long numClasses = 1000) => new(32, new[] { 6, 12, 32, 32 }, 64, 4, numClasses);

    /// <summary>torchvision.models.densenet201(): growth 32, blocks (6, 12, 48, 32).</summary>
    public static DenseNetReference DenseNet201(long numClasses = 1000) => new(32, new[] { 6, 12, 48, 32 }, 64, 4, numClasses);

    public DenseNetReference(long growthRate, IReadOnlyList<int> blockConfig, long numInitFeatures, long bnSize, long numClasses = 1000)
        : base("DenseNet")
    {
        var modules = new List<(string, Module<Tensor, Tensor>)>
        {
            ("conv0", Conv2d(3, numInitFeatures, kernel_size: 7, stride: 2, padding: 3, bias: false)),
            ("norm0", BatchNorm2d(numInitFeatures)),
            ("relu0", ReLU(inplace: true)),
            ("pool0", MaxPool2d(kernel_size: 3, stride: 2, padding: 1)),
        };

        var numFeatures = numInitFeatures;
        for (var i = 0; i < blockConfig.Count; i++)
        {
            var index = (i + 1).ToString(CultureInfo.InvariantCulture);
            modules.Add(("denseblock" + index, new DenseBlock(blockConfig[i], numFeatures, bnSize, growthRate)));
            numFeatures += blockConfig[i] * growthRate;
            if (i != blockConfig.Count - 1)
            {
                modules.Add(("transition" + index, Transition(numFeatures, numFeatures / 2)));
                numFeatures /= 2;
            }
        }
        modules.Add(("norm5", BatchNorm2d(numFeatures)));

        features = Sequential(modules);
        classifier = Linear(numFeatures, numClasses);
        RegisterComponents();
    }

    /// <summary>torchvision's _Transition is an nn.Sequential with children norm, relu, conv, pool.</summary>
    private static Sequential Transition(long inFeatures, long outFeatures) => Sequential(
        ("norm", BatchNorm2d(inFeatures)),
        ("relu", ReLU(inplace: true)),
        ("conv", Conv2d(inFeatures, outFeatures, kernel_size: 1, stride: 1, bias: false)),
        ("pool", AvgPool2d(kernel_size: 2, stride: 2)));

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = functional.relu(features.call(x), inplace: true);
        y = functional.adaptive_avg_pool2d(y, (1, 1)).flatten(1);
        return classifier.call(y).MoveToOuterDisposeScope();
    }
}

/// <summary>torchvision.models.densenet._DenseBlock (an nn.ModuleDict of denselayer1..N): each
/// layer sees the concatenation of the block input and every earlier layer's output; the block
/// returns the concatenation of all of them.</summary>
public sealed class DenseBlock : Module<Tensor, Tensor>
{
    private readonly DenseLayer[] layers;

    public DenseBlock(int numLayers, long numInputFeatures, long bnSize, long growthRate) : base("DenseBlock")
    {
        layers = new DenseLayer[numLayers];
        for (var i = 0; i < numLayers; i++)
        {
            layers[i] = new DenseLayer(numInputFeatures + i * growthRate, growthRate, bnSize);
            // ModuleDict semantics: the children are named denselayer1..N directly under the block.
            // (An array field is invisible to RegisterComponents, so register them by hand.)
            register_module("denselayer" + (i + 1).ToString(CultureInfo.InvariantCulture), layers[i]);
        }
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var features = new List<Tensor> { x };
        foreach (var layer in layers)
            features.Add(layer.call(cat(features, 1)));
        return cat(features, 1).MoveToOuterDisposeScope();
    }
}

/// <summary>torchvision.models.densenet._DenseLayer: norm1, relu1, conv1 (1x1, bn_size * growth),
/// norm2, relu2, conv2 (3x3, growth). drop_rate 0.</summary>
public sealed class DenseLayer : Module<Tensor, Tensor>
{
    private readonly BatchNorm2d norm1;
    private readonly ReLU relu1;
    private readonly Conv2d conv1;
    private readonly BatchNorm2d norm2;
    private readonly ReLU relu2;
    private readonly Conv2d conv2;

    public DenseLayer(long numInputFeatures, long growthRate, long bnSize) : base("DenseLayer")
    {
        norm1 = BatchNorm2d(numInputFeatures);
        relu1 = ReLU(inplace: true);
        conv1 = Conv2d(numInputFeatures, bnSize * growthRate, kernel_size: 1, stride: 1, bias: false);
        norm2 = BatchNorm2d(bnSize * growthRate);
        relu2 = ReLU(inplace: true);
        conv2 = Conv2d(bnSize * growthRate, growthRate, kernel_size: 3, stride: 1, padding: 1, bias: false);
        RegisterComponents();
    }

    /// <param name="x">the concatenated features seen by this layer</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = conv1.call(relu1.call(norm1.call(x)));
        return conv2.call(relu2.call(norm2.call(y))).MoveToOuterDisposeScope();
    }
}
