using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace CnnDsl.Models.Tests.Reference;

/// <summary>Hand-written TorchSharp GoogLeNet in torchvision's form (torchvision.models.googlenet):
/// every conv is a bias-free <see cref="BasicConv2d"/> (conv + BatchNorm2d(eps 0.001) + relu),
/// max pools use ceil_mode, the "5x5" branch of each Inception block is a 3x3 conv with padding 1
/// (pytorch/vision#906, kept for weight compatibility), transform_input is False. The attribute
/// names, hence the state_dict keys, are torchvision's.
/// <see cref="forward"/> returns the main logits only (torchvision in eval mode);
/// <see cref="ForwardWithAux"/> also evaluates the two auxiliary heads, in any mode (torchvision
/// evaluates them only in training mode), so that they can be compared in eval mode. Written as a
/// skilled user writes it (ReLUs in place, submodules invoked with <c>call()</c>, as torchvision's
/// <c>F.relu(x, inplace=True)</c> and <c>module(x)</c>): built with <c>auxLogits: false</c> it is
/// also the hand-written baseline of benchmarks/.</summary>
public sealed class GoogLeNetReference : Module<Tensor, Tensor>
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
    private readonly InceptionAux? aux1;
    private readonly InceptionAux? aux2;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Dropout dropout;
    private readonly Linear fc;

    public GoogLeNetReference(long numClasses = 1000, bool auxLogits = true, double dropout = 0.2, double dropoutAux = 0.7)
        : base("GoogLeNet")
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

        if (auxLogits)
        {
            aux1 = new InceptionAux(512, numClasses, dropoutAux);
            aux2 = new InceptionAux(528, numClasses, dropoutAux);
        }

        avgpool = AdaptiveAvgPool2d((1, 1));
        this.dropout = Dropout(dropout);
        fc = Linear(1024, numClasses);

        RegisterComponents();
    }

    public bool HasAuxHeads => aux1 is not null;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = Stem(x);
        y = inception4a.call(y);
        y = Middle(y);
        y = Head(inception4e.call(y));
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>Main logits plus the outputs of aux1 (after inception4a) and aux2 (after
    /// inception4d), evaluated in the current mode whatever it is.</summary>
    public (Tensor logits, Tensor aux1, Tensor aux2) ForwardWithAux(Tensor x)
    {
        if (aux1 is null || aux2 is null)
            throw new System.InvalidOperationException("This GoogLeNetReference was built with auxLogits: false.");

        using var scope = NewDisposeScope();
        var y = Stem(x);
        y = inception4a.call(y);
        var a1 = aux1.call(y);
        y = Middle(y);
        var a2 = aux2.call(y);
        y = Head(inception4e.call(y));
        return (y.MoveToOuterDisposeScope(), a1.MoveToOuterDisposeScope(), a2.MoveToOuterDisposeScope());
    }

    // conv1 .. inception3b, maxpool3: N x 480 x 14 x 14 at 224
    private Tensor Stem(Tensor x)
    {
        var y = maxpool1.call(conv1.call(x));
        y = maxpool2.call(conv3.call(conv2.call(y)));
        return maxpool3.call(inception3b.call(inception3a.call(y)));
    }

    // inception4b .. inception4d: N x 528 x 14 x 14
    private Tensor Middle(Tensor y)
    {
        return inception4d.call(inception4c.call(inception4b.call(y)));
    }

    // maxpool4 .. fc, from the output of inception4e (N x 832 x 14 x 14)
    private Tensor Head(Tensor y)
    {
        y = inception5b.call(inception5a.call(maxpool4.call(y)));
        y = avgpool.call(y).flatten(1);
        return fc.call(dropout.call(y));
    }
}

/// <summary>torchvision.models.googlenet.BasicConv2d: conv (no bias), BatchNorm2d(eps 0.001), relu in
/// place (torchvision calls F.relu(x, inplace=True); a parameterless ReLU module is the same thing,
/// and lets benchmarks/ switch it).</summary>
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

/// <summary>torchvision.models.googlenet.Inception: four branches concatenated on channels.
/// branch3's conv is 3x3 / padding 1, as in torchvision (not the paper's 5x5).</summary>
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

/// <summary>torchvision.models.googlenet.InceptionAux: adaptive avg pool 4x4, BasicConv2d 1x1 128,
/// flatten, fc1 2048 -> 1024, relu, dropout, fc2.</summary>
public sealed class InceptionAux : Module<Tensor, Tensor>
{
    private readonly BasicConv2d conv;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Dropout dropout;

    public InceptionAux(long inChannels, long numClasses, double dropout = 0.7) : base(nameof(InceptionAux))
    {
        conv = new BasicConv2d(inChannels, 128, kernelSize: 1);
        fc1 = Linear(2048, 1024);
        fc2 = Linear(1024, numClasses);
        this.dropout = Dropout(dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = conv.call(functional.adaptive_avg_pool2d(x, (4, 4))).flatten(1);
        y = dropout.call(functional.relu(fc1.call(y), inplace: true));
        return fc2.call(y).MoveToOuterDisposeScope();
    }
}
