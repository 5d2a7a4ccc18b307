using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CnnDsl.Models.Tests.Reference;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace CnnDsl.Models.Tests;

/// <summary>The hand-written torchvision-style reference models (tests/.../Reference) are checked
/// on their own against the published figures of DESIGN.md and torchvision's state_dict names, so
/// that they can later serve as an independent second engine for the generated models.</summary>
public sealed class ReferenceModelTests : IClassFixture<TorchFixture>
{
    private static readonly Dictionary<string, Func<nn.Module<Tensor, Tensor>>> factories = new()
    {
        ["ResNet18"] = () => ResNetReference.ResNet18(),
        ["ResNet34"] = () => ResNetReference.ResNet34(),
        ["ResNet50"] = () => ResNetReference.ResNet50(),
        ["GoogLeNet"] = () => new GoogLeNetReference(auxLogits: false),
        ["GoogLeNetAux"] = () => new GoogLeNetReference(auxLogits: true),
        ["DenseNet121"] = () => DenseNetReference.DenseNet121(),
        ["DenseNet169"] = () => DenseNetReference.DenseNet169(),
        ["MobileNetV2"] = () => new MobileNetV2Reference(),
        ["EfficientNetB0"] = () => EfficientNetReference.B0(),
    };

    // DESIGN.md, "Reference figures" (torchvision's weights metadata) and its torchvision zoo table.
    private static readonly Dictionary<string, long> publishedParameters = new()
    {
        ["ResNet18"] = 11_689_512,
        ["ResNet34"] = 21_797_672,
        ["ResNet50"] = 25_557_032,
        ["GoogLeNet"] = 6_624_904,
        ["GoogLeNetAux"] = 13_004_888,
        ["DenseNet121"] = 7_978_856,
        ["DenseNet169"] = 14_149_480,
        ["MobileNetV2"] = 3_504_872,
        ["EfficientNetB0"] = 5_288_548,
    };

    public static TheoryData<string> Models() => new(factories.Keys);

    [Theory]
    [MemberData(nameof(Models))]
    public void Parameter_count_matches_the_published_figure(string name)
    {
        using var model = factories[name]();
        long count = model.parameters().Sum(p => p.numel());
        Assert.Equal(publishedParameters[name], count);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Forward_pass_on_224_gives_1000_logits(string name)
    {
        using var model = factories[name]();
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = randn(1, 3, 224, 224);
        var output = model.forward(input);
        Assert.Equal(new long[] { 1, 1000 }, output.shape);
        Assert.False(output.isnan().any().item<bool>());
    }

    [Fact]
    public void GoogLeNet_aux_heads_give_1000_logits_each()
    {
        using var model = new GoogLeNetReference(auxLogits: true);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = randn(1, 3, 224, 224);
        var (logits, aux1, aux2) = model.ForwardWithAux(input);
        Assert.Equal(new long[] { 1, 1000 }, logits.shape);
        Assert.Equal(new long[] { 1, 1000 }, aux1.shape);
        Assert.Equal(new long[] { 1, 1000 }, aux2.shape);
        // The main path of ForwardWithAux is forward's.
        Assert.Equal(0.0, WeightTransfer.MaxAbsDifference(logits, model.forward(input)));
    }

    [Theory]
    [InlineData("ResNet18", "conv1.weight", new long[] { 64, 3, 7, 7 })]
    [InlineData("ResNet18", "layer1.0.conv1.weight", new long[] { 64, 64, 3, 3 })]
    [InlineData("ResNet18", "layer2.0.downsample.0.weight", new long[] { 128, 64, 1, 1 })]
    [InlineData("ResNet18", "layer2.0.downsample.1.running_mean", new long[] { 128 })]
    [InlineData("ResNet18", "layer1.0.bn1.num_batches_tracked", new long[0])]
    [InlineData("ResNet18", "fc.bias", new long[] { 1000 })]
    [InlineData("ResNet50", "layer1.0.downsample.0.weight", new long[] { 256, 64, 1, 1 })]
    [InlineData("ResNet50", "layer2.0.conv2.weight", new long[] { 128, 128, 3, 3 })]
    [InlineData("ResNet50", "layer4.2.bn3.running_var", new long[] { 2048 })]
    [InlineData("ResNet50", "fc.weight", new long[] { 1000, 2048 })]
    [InlineData("GoogLeNetAux", "conv1.conv.weight", new long[] { 64, 3, 7, 7 })]
    [InlineData("GoogLeNetAux", "inception3a.branch2.0.conv.weight", new long[] { 96, 192, 1, 1 })]
    [InlineData("GoogLeNetAux", "inception3a.branch2.1.bn.running_var", new long[] { 128 })]
    [InlineData("GoogLeNetAux", "inception3a.branch3.1.conv.weight", new long[] { 32, 16, 3, 3 })]
    [InlineData("GoogLeNetAux", "inception3a.branch4.1.conv.weight", new long[] { 32, 192, 1, 1 })]
    [InlineData("GoogLeNetAux", "aux1.conv.bn.num_batches_tracked", new long[0])]
    [InlineData("GoogLeNetAux", "aux1.fc2.weight", new long[] { 1000, 1024 })]
    [InlineData("GoogLeNetAux", "aux2.fc1.weight", new long[] { 1024, 2048 })]
    [InlineData("GoogLeNetAux", "fc.weight", new long[] { 1000, 1024 })]
    [InlineData("DenseNet121", "features.conv0.weight", new long[] { 64, 3, 7, 7 })]
    [InlineData("DenseNet121", "features.denseblock1.denselayer1.norm1.weight", new long[] { 64 })]
    [InlineData("DenseNet121", "features.denseblock1.denselayer1.conv1.weight", new long[] { 128, 64, 1, 1 })]
    [InlineData("DenseNet121", "features.denseblock1.denselayer6.conv2.weight", new long[] { 32, 128, 3, 3 })]
    [InlineData("DenseNet121", "features.transition1.conv.weight", new long[] { 128, 256, 1, 1 })]
    [InlineData("DenseNet121", "features.denseblock4.denselayer16.norm1.running_mean", new long[] { 992 })]
    [InlineData("DenseNet121", "features.norm5.running_mean", new long[] { 1024 })]
    [InlineData("DenseNet121", "classifier.weight", new long[] { 1000, 1024 })]
    [InlineData("MobileNetV2", "features.0.0.weight", new long[] { 32, 3, 3, 3 })]
    [InlineData("MobileNetV2", "features.1.conv.0.0.weight", new long[] { 32, 1, 3, 3 })]
    [InlineData("MobileNetV2", "features.1.conv.1.weight", new long[] { 16, 32, 1, 1 })]
    [InlineData("MobileNetV2", "features.2.conv.0.0.weight", new long[] { 96, 16, 1, 1 })]
    [InlineData("MobileNetV2", "features.17.conv.3.running_var", new long[] { 320 })]
    [InlineData("MobileNetV2", "features.18.1.num_batches_tracked", new long[0])]
    [InlineData("MobileNetV2", "classifier.1.weight", new long[] { 1000, 1280 })]
    [InlineData("EfficientNetB0", "features.0.0.weight", new long[] { 32, 3, 3, 3 })]
    [InlineData("EfficientNetB0", "features.1.0.block.1.fc1.weight", new long[] { 8, 32, 1, 1 })]
    [InlineData("EfficientNetB0", "features.1.0.block.2.0.weight", new long[] { 16, 32, 1, 1 })]
    [InlineData("EfficientNetB0", "features.3.0.block.1.0.weight", new long[] { 144, 1, 5, 5 })]
    [InlineData("EfficientNetB0", "features.6.3.block.2.fc2.bias", new long[] { 1152 })]
    [InlineData("EfficientNetB0", "features.8.1.running_mean", new long[] { 1280 })]
    [InlineData("EfficientNetB0", "classifier.1.weight", new long[] { 1000, 1280 })]
    public void State_dict_has_torchvisions_key(string name, string key, long[] shape)
    {
        using var model = factories[name]();
        var stateDict = model.state_dict();
        Assert.True(stateDict.ContainsKey(key), $"{name} has no state_dict key '{key}'.");
        Assert.Equal(shape, stateDict[key].shape);
    }

    // len(torchvision.models.X().state_dict()), counted from torchvision's structure: every conv
    // and linear gives weight (+ bias for linear), every BatchNorm2d five entries.
    // ResNet-18: 20 convs + 20 BN + fc = 20 + 100 + 2; ResNet-50: 53 + 265 + 2;
    // GoogLeNet: 57 BasicConv2d x 6 + fc 2, plus 2 x (6 + 4) for the aux heads;
    // DenseNet-121: 58 dense layers x 12 + conv0/norm0 6 + 3 transitions x 6 + norm5 5 + classifier 2;
    // MobileNetV2: 52 convs + 52 BN + classifier 2 (the full lists: Torchvision/*.keys, below).
    [Theory]
    [InlineData("ResNet18", 122)]
    [InlineData("ResNet50", 320)]
    [InlineData("GoogLeNet", 344)]
    [InlineData("GoogLeNetAux", 364)]
    [InlineData("DenseNet121", 727)]
    [InlineData("MobileNetV2", 314)]
    public void State_dict_has_torchvisions_number_of_entries(string name, int entries)
    {
        using var model = factories[name]();
        Assert.Equal(entries, model.state_dict().Count);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void State_dict_keys_are_torchvision_style(string name)
    {
        using var model = factories[name]();
        var keys = model.state_dict().Keys.ToList();
        // No C# names leaking in (properties' backing fields, PascalCase), no empty segments.
        Assert.All(keys, k => Assert.Matches(new Regex("^[a-z0-9_]+(\\.[a-z0-9_]+)*$"), k));
        // Every BatchNorm2d contributes weight, bias, running_mean, running_var, num_batches_tracked.
        var norms = keys.Count(k => k.EndsWith(".running_mean", StringComparison.Ordinal));
        Assert.Equal(norms, keys.Count(k => k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)));
        Assert.Equal(norms, keys.Count(k => k.EndsWith(".running_var", StringComparison.Ordinal)));
        Assert.DoesNotContain(keys, k => k.StartsWith("aux", StringComparison.Ordinal) && name == "GoogLeNet");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void CopyByName_between_two_instances_makes_eval_outputs_identical(string name)
    {
        manual_seed(1);
        using var source = factories[name]();
        manual_seed(2);
        using var target = factories[name]();

        using var scope = NewDisposeScope();
        var input = randn(1, 3, 224, 224);

        // One training-mode pass moves the source's BN running statistics and num_batches_tracked
        // away from their initial values, so the copy of the buffers is exercised too.
        source.train();
        using (no_grad()) source.forward(randn(2, 3, 224, 224));

        source.eval();
        target.eval();
        using var noGrad = no_grad();
        var before = WeightTransfer.MaxAbsDifference(source.forward(input), target.forward(input));
        Assert.True(before > 0, "two differently seeded instances should disagree before the copy");

        WeightTransfer.CopyByName(source, target);

        var targetState = target.state_dict();
        var tracked = targetState.First(e => e.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal));
        Assert.Equal(1L, tracked.Value.item<long>());
        foreach (var (key, tensor) in source.state_dict())
            Assert.True(tensor.equal(targetState[key]).all().item<bool>(), $"'{key}' was not copied");
        Assert.Equal(0.0, WeightTransfer.MaxAbsDifference(source.forward(input), target.forward(input)));
    }

    [Fact]
    public void CopyByName_copies_GoogLeNet_aux_heads()
    {
        manual_seed(1);
        using var source = new GoogLeNetReference(auxLogits: true);
        manual_seed(2);
        using var target = new GoogLeNetReference(auxLogits: true);
        source.eval();
        target.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = randn(1, 3, 224, 224);

        WeightTransfer.CopyByName(source, target);

        var (l1, a1, b1) = source.ForwardWithAux(input);
        var (l2, a2, b2) = target.ForwardWithAux(input);
        Assert.Equal(0.0, WeightTransfer.MaxAbsDifference(l1, l2));
        Assert.Equal(0.0, WeightTransfer.MaxAbsDifference(a1, a2));
        Assert.Equal(0.0, WeightTransfer.MaxAbsDifference(b1, b2));
    }

    [Fact]
    public void CopyByName_from_ResNet18_into_ResNet50_throws_naming_the_first_mismatching_key()
    {
        using var source = ResNetReference.ResNet18();
        using var target = ResNetReference.ResNet50();
        using var targetBefore = target.state_dict()["conv1.weight"].clone();

        var error = Assert.Throws<StateDictMismatchException>(() => WeightTransfer.CopyByName(source, target));

        // conv1 and bn1 agree; the first block's first conv is 3x3 in a BasicBlock, 1x1 in a Bottleneck.
        Assert.Equal("layer1.0.conv1.weight", error.FirstMismatchKey);
        Assert.Contains("First mismatching key: 'layer1.0.conv1.weight'", error.Message, StringComparison.Ordinal);
        Assert.Contains("layer1.0.conv1.weight: source [64, 64, 3, 3] Float32, target [64, 64, 1, 1] Float32", error.ShapeMismatches);
        Assert.Contains("layer1.0.conv3.weight", error.MissingInSource);
        Assert.Contains("layer1.0.downsample.0.weight", error.MissingInSource);
        Assert.Empty(error.MissingInTarget);
        Assert.Contains("layer1.0.conv3.weight", error.Message, StringComparison.Ordinal);

        // Nothing was copied, not even the keys that matched.
        Assert.True(targetBefore.equal(target.state_dict()["conv1.weight"]).all().item<bool>());
    }

    /// <summary>References checked against torchvision's own state_dict, read from
    /// Torchvision/&lt;model&gt;.keys (tools/torchvision/reference_figures.py --keys, torchvision
    /// 0.14.1), with the parameter counts of DESIGN.md's zoo table.</summary>
    public static TheoryData<string, string, long> KeyFileModels() => new()
    {
        { "mobilenet_v2", "MobileNetV2", 3_504_872 },
        { "efficientnet_b0", "EfficientNetB0", 5_288_548 },
        { "efficientnet_b1", "EfficientNetB1", 7_794_184 },
        { "efficientnet_b2", "EfficientNetB2", 9_109_994 },
        { "efficientnet_b3", "EfficientNetB3", 12_233_232 },
        { "efficientnet_b4", "EfficientNetB4", 19_341_616 },
        { "efficientnet_b5", "EfficientNetB5", 30_389_784 },
        { "efficientnet_b6", "EfficientNetB6", 43_040_704 },
        { "efficientnet_b7", "EfficientNetB7", 66_347_960 },
    };

    private static readonly Dictionary<string, Func<nn.Module<Tensor, Tensor>>> keyFileFactories = new()
    {
        ["MobileNetV2"] = () => new MobileNetV2Reference(),
        ["EfficientNetB0"] = () => EfficientNetReference.B0(),
        ["EfficientNetB1"] = () => EfficientNetReference.B1(),
        ["EfficientNetB2"] = () => EfficientNetReference.B2(),
        ["EfficientNetB3"] = () => EfficientNetReference.B3(),
        ["EfficientNetB4"] = () => EfficientNetReference.B4(),
        ["EfficientNetB5"] = () => EfficientNetReference.B5(),
        ["EfficientNetB6"] = () => EfficientNetReference.B6(),
        ["EfficientNetB7"] = () => EfficientNetReference.B7(),
    };

    /// <summary>The same keys with the same shapes; parameters and buffers each in torchvision's
    /// order (TorchSharp lists all parameters before all buffers, PyTorch per module).</summary>
    [Theory]
    [MemberData(nameof(KeyFileModels))]
    public void State_dict_keys_and_shapes_equal_torchvisions_key_file(string torchvisionName, string name, long parameters)
    {
        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Torchvision", torchvisionName + ".keys"))
            .Where(l => l.Length > 0 && !l.StartsWith("#", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .Select(p => (Key: p[0], Shape: p[1] == "scalar" ? Array.Empty<long>() : p[1].Split('x').Select(long.Parse).ToArray()))
            .ToList();
        Assert.NotEmpty(expected);

        using var model = keyFileFactories[name]();
        var state = model.state_dict();
        Assert.Equal(expected.Select(e => e.Key).OrderBy(k => k, StringComparer.Ordinal), state.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.All(expected, e => Assert.True(e.Shape.SequenceEqual(state[e.Key].shape),
            $"{name}: '{e.Key}' is [{string.Join(", ", state[e.Key].shape)}], torchvision's [{string.Join(", ", e.Shape)}]"));
        var buffers = model.named_buffers().Select(b => b.name).ToHashSet();
        Assert.Equal(expected.Select(e => e.Key).Where(k => !buffers.Contains(k)), model.named_parameters().Select(p => p.name));
        Assert.Equal(expected.Select(e => e.Key).Where(buffers.Contains), model.named_buffers().Select(b => b.name));
        Assert.Equal(parameters, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void EfficientNet_B5_uses_TensorFlows_batch_norm_and_B0_PyTorchs()
    {
        using var b0 = EfficientNetReference.B0();
        using var b5 = EfficientNetReference.B5();
        var norms0 = b0.modules().OfType<TorchSharp.Modules.BatchNorm2d>().ToList();
        var norms5 = b5.modules().OfType<TorchSharp.Modules.BatchNorm2d>().ToList();
        Assert.NotEmpty(norms0);
        Assert.NotEmpty(norms5);
        Assert.All(norms0, n => Assert.Equal((1e-5, 0.1), (n.eps, n.momentum ?? double.NaN)));
        Assert.All(norms5, n => Assert.Equal((1e-3, 0.01), (n.eps, n.momentum ?? double.NaN)));
    }

    [Fact]
    public void EfficientNet_stochastic_depth_rises_linearly_over_the_blocks_and_is_the_identity_in_eval_mode()
    {
        using var model = EfficientNetReference.B0();
        // torchvision: block i of 16 gets 0.2 * i / 16 (every MBConv has one; only those with a residual use it).
        var depths = model.named_modules().Where(m => m.module is StochasticDepth).Select(m => (m.name, ((StochasticDepth)m.module).P)).ToList();
        Assert.Equal(16, depths.Count);
        Assert.Equal(("features.1.0.stochastic_depth", 0.0), depths[0]);
        Assert.Equal(("features.7.0.stochastic_depth", 0.2 * 15 / 16), depths[^1]);

        using var scope = NewDisposeScope();
        var drop = new StochasticDepth(0.5);
        var x = ones(64, 3, 2, 2);
        drop.eval();
        Assert.Same(x, drop.forward(x));
        drop.train();
        var y = drop.forward(x);
        // Each sample is all 0 or all 1 / (1 - p) = 2, and both occur among 64 samples.
        var perSample = y.reshape(64, -1);
        Assert.True(perSample.eq(perSample[.., ..1]).all().item<bool>(), "stochastic depth must drop whole samples");
        var kept = perSample[.., 0].eq(2).sum().item<long>();
        var dropped = perSample[.., 0].eq(0).sum().item<long>();
        Assert.Equal(64L, kept + dropped);
        Assert.InRange(kept, 1L, 63L);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StochasticDepth(1.5));
    }

    // Expected: torchvision.models._utils._make_divisible(value, divisor) with torchvision 0.14.1.
    [Theory]
    [InlineData(32.0, 8, 32)]
    [InlineData(16 * 0.35, 8, 8)]     // below the divisor: the divisor
    [InlineData(96 * 0.35, 8, 32)]    // 33.6 rounds to 32, within 10%
    [InlineData(24 * 1.1, 8, 24)]     // 26.4 rounds down to 24, within 10%
    [InlineData(1280 * 1.4, 8, 1792)]
    [InlineData(20.0, 8, 24)]         // halves round up: 20 + 4 = 24
    [InlineData(44.0, 16, 48)]
    [InlineData(36.0, 16, 48)]        // 32 would be 11% below 36: one divisor more
    public void MakeDivisible_follows_torchvisions_rounding(double value, long divisor, long expected) =>
        Assert.Equal(expected, MobileNetBlocks.MakeDivisible(value, divisor));

    [Fact]
    public void MaxAbsDifference_is_the_largest_elementwise_gap()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1f, 2f, 3f });
        var b = tensor(new float[] { 1f, 2.5f, 2f });
        Assert.Equal(1.0, WeightTransfer.MaxAbsDifference(a, b));
        Assert.Equal(0.0, WeightTransfer.MaxAbsDifference(a, a));
        Assert.Throws<ArgumentException>(() => WeightTransfer.MaxAbsDifference(a, tensor(new float[] { 1f })));
    }
}
