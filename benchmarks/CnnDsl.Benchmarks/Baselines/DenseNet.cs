using System.Collections.Generic;
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CnnDsl.Benchmarks.Baselines;

// Hand-written baseline following torchvision.models.densenet, started from this project's
// tests/CnnDsl.Models.Tests/Reference/DenseNetReference.cs; in-place ReLUs and call() as in
// torchvision (see ResNet.cs).

/// <summary>torchvision.models.densenet.DenseNet: `features` (conv0, norm0, relu0, pool0,
/// denseblock1, transition1, ..., denseblock4, norm5), then relu, 1x1 average pool, `classifier`.</summary>
public sealed class DenseNet : Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Linear classifier;

    /// <summary>torchvision.models.densenet121(): growth 32, blocks (6, 12, 24, 16).</summary>
    public static DenseNet DenseNet121(long numClasses = 1000) => new(32, new[] { 6, 12, 24, 16 }, 64, 4, numClasses);

    /// <summary>torchvision.models.densenet201(): growth 32, blocks (6, 12, 48, 32).</summary>
    public static DenseNet DenseNet201(long numClasses = 1000) => new(32, new[] { 6, 12, 48, 32 }, 64, 4, numClasses);

    public DenseNet(long growthRate, IReadOnlyList<int> blockConfig, long numInitFeatures, long bnSize, long numClasses = 1000)
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
                modules.Add(("transition" + index, Sequential(
                    ("norm", BatchNorm2d(numFeatures)),
                    ("relu", ReLU(inplace: true)),
                    ("conv", Conv2d(numFeatures, numFeatures / 2, kernel_size: 1, stride: 1, bias: false)),
                    ("pool", AvgPool2d(kernel_size: 2, stride: 2)))));
                numFeatures /= 2;
            }
        }
        modules.Add(("norm5", BatchNorm2d(numFeatures)));

        features = Sequential(modules);
        classifier = Linear(numFeatures, numClasses);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = functional.relu(features.call(x), inplace: true);
        y = functional.adaptive_avg_pool2d(y, (1, 1)).flatten(1);
        return classifier.call(y).MoveToOuterDisposeScope();
    }
}

/// <summary>torchvision's _DenseBlock: each layer reads the concatenation of the block input and
/// every earlier layer's output; the block returns the concatenation of all of them.</summary>
public sealed class DenseBlock : Module<Tensor, Tensor>
{
    private readonly DenseLayer[] layers;

    public DenseBlock(int numLayers, long numInputFeatures, long bnSize, long growthRate) : base("DenseBlock")
    {
        layers = new DenseLayer[numLayers];
        for (var i = 0; i < numLayers; i++)
        {
            layers[i] = new DenseLayer(numInputFeatures + i * growthRate, growthRate, bnSize);
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

/// <summary>torchvision's _DenseLayer: norm1, relu1, conv1 (1x1, bn_size * growth), norm2, relu2,
/// conv2 (3x3, growth); drop_rate 0.</summary>
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

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = conv1.call(relu1.call(norm1.call(x)));
        return conv2.call(relu2.call(norm2.call(y))).MoveToOuterDisposeScope();
    }
}
