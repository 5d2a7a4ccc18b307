using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnDsl.Models.Tests.Cases;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Layers;
using Xunit;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace CnnDsl.Models.Tests;

/// <summary>Gates, splits, channel shuffles and channel padding in the generated classes and the
/// interpreter, against the same computation written out with TorchSharp's tensor operations
/// (chunks as slices, the shuffle as torchvision's view/transpose/reshape, the padding as a
/// concatenation with zeros) on the models' own weights.</summary>
public sealed class GateAndSplitModelTests : IClassFixture<TorchFixture>
{
    private static readonly string CasesFile = Path.Combine(AppContext.BaseDirectory, "Cases", "gate_split.cnn");

    public static TheoryData<string> Models() => new() { "SqueezeExcite", "SplitUnit", "SplitThree", "PadShortcut", "SumBranches" };

    private static nn.Module<Tensor, Tensor> Generated(string name) => name switch
    {
        "SqueezeExcite" => new SqueezeExcite(),
        "SplitUnit" => new SplitUnit(),
        "SplitThree" => new SplitThree(),
        "PadShortcut" => new PadShortcut(),
        "SumBranches" => new SumBranches(),
        _ => throw new ArgumentException(name),
    };

    private static InterpretedModel Interpreted(string name) => CnnInterpreter.Build(CasesFile, File.ReadAllText(CasesFile), name);

    /// <summary>torchvision's <c>channel_shuffle</c>, written as it is there.</summary>
    private static Tensor Shuffle(Tensor x, long groups)
    {
        var (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        return x.view(n, groups, c / groups, h, w).transpose(1, 2).reshape(n, c, h, w);
    }

    private static Tensor Conv(Tensor x, IDictionary<string, Tensor> state, string path, long stride = 1) =>
        F.conv2d(x, state[path + ".weight"], state[path + ".bias"], strides: new[] { stride, stride });

    /// <summary>Each model's forward pass, by hand, from its state_dict.</summary>
    private static Tensor Expected(string name, Tensor x, IDictionary<string, Tensor> s)
    {
        switch (name)
        {
            case "SqueezeExcite":
            {
                var y = Conv(x, s, "conv");
                var squeezed = y.mean(new long[] { 2, 3 }, keepdim: true);
                var scale = Conv(Conv(squeezed, s, "se.fc1").relu(), s, "se.fc2").sigmoid();
                y = y * scale;
                return (y * Conv(y, s, "spatial.0").sigmoid()).relu();
            }

            case "SplitUnit":
            {
                var kept = x.narrow(1, 0, 4);
                var transformed = Conv(x.narrow(1, 4, 4), s, "branch2.0").relu();
                return Shuffle(cat(new[] { kept, transformed }, 1), 2);
            }

            case "SplitThree":
            {
                var parts = new[] { Conv(x.narrow(1, 0, 2), s, "0"), x.narrow(1, 2, 2).relu(), Conv(x.narrow(1, 4, 2), s, "2.0").relu() };
                return Shuffle(cat(parts, 1), 3);
            }

            case "PadShortcut":
            {
                var body = F.batch_norm(Conv(x, s, "conv", stride: 2), s["batchnorm.running_mean"], s["batchnorm.running_var"],
                    s["batchnorm.weight"], s["batchnorm.bias"], training: false, eps: 1e-5);
                var sampled = x.index(TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(0, null, 2), TensorIndex.Slice(0, null, 2));
                var padding = zeros(sampled.shape[0], 2, sampled.shape[2], sampled.shape[3]);
                return (body + cat(new[] { padding, sampled, padding }, 1)).relu();
            }

            case "SumBranches":
            {
                var proj = F.batch_norm(Conv(x, s, "proj.0", stride: 2), s["proj.1.running_mean"], s["proj.1.running_var"],
                    s["proj.1.weight"], s["proj.1.bias"], training: false, eps: 1e-5);
                var f = F.conv2d(x, s["f.0.weight"], s["f.0.bias"], strides: new[] { 2L, 2L }, padding: new[] { 1L, 1L }).relu();
                return (proj + f).relu();
            }

            default:
                throw new ArgumentException(name);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Generated_and_interpreted_forward_passes_equal_the_hand_written_one(string name)
    {
        using var scope = NewDisposeScope();
        using var generated = Generated(name);
        using var interpreted = Interpreted(name);
        manual_seed(11);
        using (no_grad())
        {
            // Batch norm statistics other than the initial 0 and 1, so that they matter.
            foreach (var (key, tensor) in generated.state_dict().Where(kv => kv.Key.EndsWith("running_mean") || kv.Key.EndsWith("running_var")))
            {
                tensor.copy_(rand(tensor.shape) + 0.5);
            }
        }

        var state = generated.state_dict();
        interpreted.load_state_dict(state);
        Assert.Equal(state.Keys.OrderBy(k => k, StringComparer.Ordinal), interpreted.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal));
        generated.eval();
        interpreted.eval();
        var input = randn(new long[] { 3 }.Concat(interpreted.Model.Input.Dimensions).ToArray());
        using var noGrad = no_grad();
        var expected = Expected(name, input, state);
        var fromGenerated = generated.forward(input);
        var fromInterpreter = interpreted.forward(input);
        Assert.Equal(new long[] { 3 }.Concat(interpreted.Model.Output.Dimensions), fromGenerated.shape);
        Assert.True(expected.allclose(fromGenerated, rtol: 1e-5, atol: 1e-6), $"generated differs by {(expected - fromGenerated).abs().max().item<float>()}");
        Assert.Equal(0f, (fromGenerated - fromInterpreter).abs().max().item<float>());
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void A_training_step_goes_through_and_both_engines_get_the_same_gradients(string name)
    {
        using var scope = NewDisposeScope();
        using var generated = Generated(name);
        using var interpreted = Interpreted(name);
        interpreted.load_state_dict(generated.state_dict());
        generated.train();
        interpreted.train();
        manual_seed(5);
        var input = randn(new long[] { 2 }.Concat(interpreted.Model.Input.Dimensions).ToArray());
        var copy = input.clone();

        generated.forward(input).square().sum().backward();
        interpreted.forward(input).square().sum().backward();

        Assert.True(input.equal(copy).all().item<bool>(), "the forward pass changed its input");
        var theirs = interpreted.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (key, parameter) in generated.named_parameters())
        {
            Assert.NotNull(parameter.grad);
            Assert.True(parameter.grad!.allclose(theirs[key].grad!, rtol: 1e-5, atol: 1e-6), key);
        }
    }

    [Fact]
    public void Channel_shuffle_orders_channels_as_torchvision_does()
    {
        using var scope = NewDisposeScope();
        // torchvision.models.shufflenetv2.channel_shuffle(torch.arange(6.).view(1, 6, 1, 1), 2) and
        // (torch.arange(12.).view(1, 12, 1, 1), 3), printed by torchvision 0.14.1:
        // read the channels as `groups` rows and take them column by column.
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, nn.ChannelShuffle(2).forward(arange(6f).view(1, 6, 1, 1)).data<float>().ToArray());
        Assert.Equal(new float[] { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 },
            nn.ChannelShuffle(3).forward(arange(12f).view(1, 12, 1, 1)).data<float>().ToArray());

        manual_seed(3);
        foreach (var (channels, groups) in new[] { (116L, 2L), (24L, 3L), (8L, 8L), (5L, 1L) })
        {
            var x = randn(2, channels, 3, 4);
            Assert.True(nn.ChannelShuffle(groups).forward(x).equal(Shuffle(x, groups)).all().item<bool>(), $"{channels} channels, {groups} groups");
        }
    }

    [Fact]
    public void Channel_pad_puts_zero_channels_around_the_input()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 4, 5);
        using var pad = new ChannelPad(1, 2);
        var y = pad.forward(x);
        Assert.Equal(new long[] { 2, 6, 4, 5 }, y.shape);
        Assert.True(y.narrow(1, 1, 3).equal(x).all().item<bool>());
        Assert.Equal(0f, y.narrow(1, 0, 1).abs().max().item<float>());
        Assert.Equal(0f, y.narrow(1, 4, 2).abs().max().item<float>());
        Assert.Empty(pad.parameters());
    }
}
