using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CnnDsl.Models.Tests.Reference;

/// <summary>Hand-written TorchSharp ResNet following torchvision.models.resnet module for module:
/// the same attribute names (so the same state_dict keys), the same block layout and torchvision's
/// "v1.5" bottleneck (stride on the 3x3 conv). Independent of the DSL; used as a second engine to
/// check the wiring of the generated models. Written as a skilled user writes it (ReLUs and the
/// residual addition in place, submodules invoked with <c>call()</c>, as torchvision's
/// <c>ReLU(inplace=True)</c>, <c>out += identity</c> and <c>module(x)</c>): it is also the
/// hand-written baseline of benchmarks/.</summary>
public sealed class ResNetReference : Module<Tensor, Tensor>
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

    /// <summary>torchvision.models.resnet18(): BasicBlock, [2, 2, 2, 2].</summary>
    public static ResNetReference ResNet18(long numClasses = 1000) => new(bottleneck: false, new[] { 2, 2, 2, 2 }, numClasses);

    /// <summary>torchvision.models.resnet34(): BasicBlock, [3, 4, 6, 3].</summary>
    public static ResNetReference ResNet34(long numClasses = 1000) => new(bottleneck: false, new[] { 3, 4, 6, 3 }, numClasses);

    /// <summary>torchvision.models.resnet50(): Bottleneck, [3, 4, 6, 3].</summary>
    public static ResNetReference ResNet50(long numClasses = 1000) => new(bottleneck: true, new[] { 3, 4, 6, 3 }, numClasses);

    /// <summary>torchvision.models.resnet152(): Bottleneck, [3, 8, 36, 3].</summary>
    public static ResNetReference ResNet152(long numClasses = 1000) => new(bottleneck: true, new[] { 3, 8, 36, 3 }, numClasses);

    public ResNetReference(bool bottleneck, IReadOnlyList<int> layers, long numClasses = 1000) : base(bottleneck ? "ResNetBottleneck" : "ResNetBasic")
    {
        long expansion = bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;

        conv1 = Conv2d(3, inplanes, kernel_size: 7, stride: 2, padding: 3, bias: false);
        bn1 = BatchNorm2d(inplanes);
        relu = ReLU(inplace: true);
        maxpool = MaxPool2d(kernel_size: 3, stride: 2, padding: 1);
        layer1 = MakeLayer(bottleneck, expansion, 64, layers[0], stride: 1);
        layer2 = MakeLayer(bottleneck, expansion, 128, layers[1], stride: 2);
        layer3 = MakeLayer(bottleneck, expansion, 256, layers[2], stride: 2);
        layer4 = MakeLayer(bottleneck, expansion, 512, layers[3], stride: 2);
        avgpool = AdaptiveAvgPool2d((1, 1));
        fc = Linear(512 * expansion, numClasses);

        RegisterComponents();
    }

    private Sequential MakeLayer(bool bottleneck, long expansion, long planes, int blocks, long stride)
    {
        Sequential? downsample = null;
        if (stride != 1 || inplanes != planes * expansion)
        {
            downsample = Sequential(
                ("0", Conv2d(inplanes, planes * expansion, kernel_size: 1, stride: stride, bias: false)),
                ("1", BatchNorm2d(planes * expansion)));
        }

        var modules = new List<(string, Module<Tensor, Tensor>)>();
        modules.Add(("0", NewBlock(bottleneck, inplanes, planes, stride, downsample)));
        inplanes = planes * expansion;
        for (var i = 1; i < blocks; i++)
            modules.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), NewBlock(bottleneck, inplanes, planes, 1, null)));
        return Sequential(modules);
    }

    private static Module<Tensor, Tensor> NewBlock(bool bottleneck, long inplanes, long planes, long stride, Sequential? downsample) =>
        bottleneck ? new Bottleneck(inplanes, planes, stride, downsample) : new BasicBlock(inplanes, planes, stride, downsample);

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

/// <summary>torchvision.models.resnet.BasicBlock (expansion 1).</summary>
public sealed class BasicBlock : Module<Tensor, Tensor>
{
    public const long Expansion = 1;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;

    public BasicBlock(long inplanes, long planes, long stride = 1, Sequential? downsample = null) : base(nameof(BasicBlock))
    {
        conv1 = Conv2d(inplanes, planes, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(planes);
        relu = ReLU(inplace: true);
        conv2 = Conv2d(planes, planes, kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn2 = BatchNorm2d(planes);
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = relu.call(bn1.call(conv1.call(x)));
        y = bn2.call(conv2.call(y));
        var identity = downsample is null ? x : downsample.call(x);
        y.add_(identity);
        return relu.call(y).MoveToOuterDisposeScope();
    }
}

/// <summary>torchvision.models.resnet.Bottleneck (expansion 4), "ResNet v1.5": the stride sits on
/// the 3x3 conv (conv2), not on the first 1x1 as in the paper.</summary>
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
        var width = planes; // base_width 64, groups 1
        conv1 = Conv2d(inplanes, width, kernel_size: 1, bias: false);
        bn1 = BatchNorm2d(width);
        conv2 = Conv2d(width, width, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn2 = BatchNorm2d(width);
        conv3 = Conv2d(width, planes * Expansion, kernel_size: 1, bias: false);
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
