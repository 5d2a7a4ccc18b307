using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CnnDsl.Benchmarks.Baselines;

// Hand-written baseline following torchvision.models.googlenet (aux_logits=False,
// transform_input=False), started from this project's
// tests/CnnDsl.Models.Tests/Reference/GoogLeNetReference.cs; in-place ReLU and call() as in
// torchvision (see ResNet.cs). The "5x5" branch is a 3x3 conv, as in torchvision.

/// <summary>torchvision.models.GoogLeNet without the auxiliary heads (their eval-mode output is
/// unused anyway), as the generated GoogLeNet.</summary>
public sealed class GoogLeNet : Module<Tensor, Tensor>
{
    private readonly BasicConv2d conv1;
    private readonly MaxPool2d maxpool1;
    private readonly BasicConv2d conv2;
    private readonly BasicConv2d conv3;
    private readonly MaxPool2d maxpool2;
    private readonly Inception inception3a;
    private readonly Inception inception3b;
    private readonly MaxPool2d maxpool3;
    private readonly Inception inception4a;
    private readonly Inception inception4b;
    private readonly Inception inception4c;
    private readonly Inception inception4d;
    private readonly Inception inception4e;
    private readonly MaxPool2d maxpool4;
    private readonly Inception inception5a;
    private readonly Inception inception5b;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Dropout dropout;
    private readonly Linear fc;

    public GoogLeNet(long numClasses = 1000, double dropout = 0.2) : base("GoogLeNet")
    {
        conv1 = new BasicConv2d(3, 64, kernelSize: 7, stride: 2, padding: 3);
        maxpool1 = MaxPool2d(kernel_size: 3, stride: 2, ceil_mode: true);
        conv2 = new BasicConv2d(64, 64, kernelSize: 1);
        conv3 = new BasicConv2d(64, 192, kernelSize: 3, padding: 1);
        maxpool2 = MaxPool2d(kernel_size: 3, stride: 2, ceil_mode: true);
        inception3a = new Inception(192, 64, 96, 128, 16, 32, 32);
        inception3b = new Inception(256, 128, 128, 192, 32, 96, 64);
        maxpool3 = MaxPool2d(kernel_size: 3, stride: 2, ceil_mode: true);
        inception4a = new Inception(480, 192, 96, 208, 16, 48, 64);
        inception4b = new Inception(512, 160, 112, 224, 24, 64, 64);
        inception4c = new Inception(512, 128, 128, 256, 24, 64, 64);
        inception4d = new Inception(512, 112, 144, 288, 32, 64, 64);
        inception4e = new Inception(528, 256, 160, 320, 32, 128, 128);
        maxpool4 = MaxPool2d(kernel_size: 2, stride: 2, ceil_mode: true);
        inception5a = new Inception(832, 256, 160, 320, 32, 128, 128);
        inception5b = new Inception(832, 384, 192, 384, 48, 128, 128);
        avgpool = AdaptiveAvgPool2d((1, 1));
        this.dropout = Dropout(dropout);
        fc = Linear(1024, numClasses);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = maxpool1.call(conv1.call(x));
        y = maxpool2.call(conv3.call(conv2.call(y)));
        y = maxpool3.call(inception3b.call(inception3a.call(y)));
        y = inception4a.call(y);
        y = inception4b.call(y);
        y = inception4c.call(y);
        y = inception4d.call(y);
        y = maxpool4.call(inception4e.call(y));
        y = inception5b.call(inception5a.call(y));
        y = avgpool.call(y).flatten(1);
        return fc.call(dropout.call(y)).MoveToOuterDisposeScope();
    }
}

/// <summary>torchvision's BasicConv2d: conv (no bias), BatchNorm2d(eps 0.001), relu in place
/// (torchvision calls F.relu(x, inplace=True); a parameterless ReLU module is the same thing).</summary>
public sealed class BasicConv2d : Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;
    private readonly ReLU relu;

    public BasicConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0) : base(nameof(BasicConv2d))
    {
        conv = Conv2d(inChannels, outChannels, kernel_size: kernelSize, stride: stride, padding: padding, bias: false);
        bn = BatchNorm2d(outChannels, eps: 0.001);
        relu = ReLU(inplace: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return relu.call(bn.call(conv.call(x))).MoveToOuterDisposeScope();
    }
}

/// <summary>torchvision's Inception: four branches concatenated along channels.</summary>
public sealed class Inception : Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch1;
    private readonly Sequential branch2;
    private readonly Sequential branch3;
    private readonly Sequential branch4;

    public Inception(long inChannels, long ch1x1, long ch3x3red, long ch3x3, long ch5x5red, long ch5x5, long poolProj) : base(nameof(Inception))
    {
        branch1 = new BasicConv2d(inChannels, ch1x1, kernelSize: 1);
        branch2 = Sequential(
            ("0", new BasicConv2d(inChannels, ch3x3red, kernelSize: 1)),
            ("1", new BasicConv2d(ch3x3red, ch3x3, kernelSize: 3, padding: 1)));
        branch3 = Sequential(
            ("0", new BasicConv2d(inChannels, ch5x5red, kernelSize: 1)),
            ("1", new BasicConv2d(ch5x5red, ch5x5, kernelSize: 3, padding: 1)));
        branch4 = Sequential(
            ("0", MaxPool2d(kernel_size: 3, stride: 1, padding: 1, ceil_mode: true)),
            ("1", new BasicConv2d(inChannels, poolProj, kernelSize: 1)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var outputs = new[] { branch1.call(x), branch2.call(x), branch3.call(x), branch4.call(x) };
        return cat(outputs, 1).MoveToOuterDisposeScope();
    }
}
