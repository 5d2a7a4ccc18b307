using System.Collections.Generic;
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CnnDsl.Benchmarks.Baselines;

// Hand-written baseline: the idiomatic TorchSharp a skilled user writes, following
// torchvision.models.resnet module for module. Started from this project's
// tests/CnnDsl.Models.Tests/Reference/ResNetReference.cs; as in torchvision, every ReLU is
// in place (nn.ReLU(inplace=True)), and submodules are invoked with call(), which runs forward
// hooks (TorchSharp's equivalent of PyTorch's module(x)). Same state_dict keys as the
// generated classes and as torchvision.

/// <summary>torchvision.models.resnet.ResNet (v1.5: the stride sits on the bottleneck's 3x3).</summary>
public sealed class ResNet : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;

    private long inplanes = 64;

    /// <summary>torchvision.models.resnet50(): Bottleneck, [3, 4, 6, 3].</summary>
    public static ResNet ResNet50(long numClasses = 1000) => new(new[] { 3, 4, 6, 3 }, numClasses);

    /// <summary>torchvision.models.resnet152(): Bottleneck, [3, 8, 36, 3].</summary>
    public static ResNet ResNet152(long numClasses = 1000) => new(new[] { 3, 8, 36, 3 }, numClasses);

    public ResNet(IReadOnlyList<int> layers, long numClasses = 1000) : base("ResNet")
    {
        conv1 = Conv2d(3, inplanes, kernel_size: 7, stride: 2, padding: 3, bias: false);
        bn1 = BatchNorm2d(inplanes);
        relu = ReLU(inplace: true);
        maxpool = MaxPool2d(kernel_size: 3, stride: 2, padding: 1);
        layer1 = MakeLayer(64, layers[0], stride: 1);
        layer2 = MakeLayer(128, layers[1], stride: 2);
        layer3 = MakeLayer(256, layers[2], stride: 2);
        layer4 = MakeLayer(512, layers[3], stride: 2);
        avgpool = AdaptiveAvgPool2d((1, 1));
        fc = Linear(512 * Bottleneck.Expansion, numClasses);
        RegisterComponents();
    }

    private Sequential MakeLayer(long planes, int blocks, long stride)
    {
        Sequential? downsample = null;
        if (stride != 1 || inplanes != planes * Bottleneck.Expansion)
        {
            downsample = Sequential(
                ("0", Conv2d(inplanes, planes * Bottleneck.Expansion, kernel_size: 1, stride: stride, bias: false)),
                ("1", BatchNorm2d(planes * Bottleneck.Expansion)));
        }

        var modules = new List<(string, Module<Tensor, Tensor>)> { ("0", new Bottleneck(inplanes, planes, stride, downsample)) };
        inplanes = planes * Bottleneck.Expansion;
        for (var i = 1; i < blocks; i++)
            modules.Add((i.ToString(CultureInfo.InvariantCulture), new Bottleneck(inplanes, planes)));
        return Sequential(modules);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = maxpool.call(relu.call(bn1.call(conv1.call(x))));
        y = layer1.call(y);
        y = layer2.call(y);
        y = layer3.call(y);
        y = layer4.call(y);
        y = avgpool.call(y).flatten(1);
        return fc.call(y).MoveToOuterDisposeScope();
    }
}

/// <summary>torchvision.models.resnet.Bottleneck (expansion 4).</summary>
public sealed class Bottleneck : Module<Tensor, Tensor>
{
    public const long Expansion = 4;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly ReLU relu;
    private readonly Sequential? downsample;

    public Bottleneck(long inplanes, long planes, long stride = 1, Sequential? downsample = null) : base(nameof(Bottleneck))
    {
        conv1 = Conv2d(inplanes, planes, kernel_size: 1, bias: false);
        bn1 = BatchNorm2d(planes);
        conv2 = Conv2d(planes, planes, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn2 = BatchNorm2d(planes);
        conv3 = Conv2d(planes, planes * Expansion, kernel_size: 1, bias: false);
        bn3 = BatchNorm2d(planes * Expansion);
        relu = ReLU(inplace: true);
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = relu.call(bn1.call(conv1.call(x)));
        y = relu.call(bn2.call(conv2.call(y)));
        y = bn3.call(conv3.call(y));
        var identity = downsample is null ? x : downsample.call(x);
        y.add_(identity);
        return relu.call(y).MoveToOuterDisposeScope();
    }
}
