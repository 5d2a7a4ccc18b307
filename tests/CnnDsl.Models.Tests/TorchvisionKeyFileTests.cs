using System;
using System.IO;
using System.Linq;
using CnnDsl.Dsl;
using Xunit;

namespace CnnDsl.Models.Tests;

/// <summary>The generated classes' <c>state_dict</c> against torchvision's own, read from
/// Torchvision/&lt;model&gt;.keys (written by tools/torchvision/reference_figures.py --keys with
/// torchvision 0.14.1): the same keys with the same shapes; parameters and buffers each in
/// torchvision's order (TorchSharp lists all parameters before all buffers, PyTorch per module;
/// loading goes by key); and the static analysis's keys in torchvision's order.</summary>
public sealed class TorchvisionKeyFileTests : IClassFixture<TorchFixture>
{
    public static TheoryData<string, string> Models() => new()
    {
        { "convnext_tiny", "ConvNeXtTiny" },
        { "convnext_small", "ConvNeXtSmall" },
        { "convnext_base", "ConvNeXtBase" },
        { "convnext_large", "ConvNeXtLarge" },
        { "mnasnet0_5", "MNASNet0_5" },
        { "mnasnet0_75", "MNASNet0_75" },
        { "mnasnet1_0", "MNASNet1_0" },
        { "mnasnet1_3", "MNASNet1_3" },
        { "shufflenet_v2_x0_5", "ShuffleNetV2_x0_5" },
        { "shufflenet_v2_x1_0", "ShuffleNetV2_x1_0" },
        { "shufflenet_v2_x1_5", "ShuffleNetV2_x1_5" },
        { "shufflenet_v2_x2_0", "ShuffleNetV2_x2_0" },
        { "mobilenet_v3_large", "MobileNetV3Large" },
        { "mobilenet_v3_small", "MobileNetV3Small" },
        { "efficientnet_b0", "EfficientNetB0" },
        { "efficientnet_b1", "EfficientNetB1" },
        { "efficientnet_b2", "EfficientNetB2" },
        { "efficientnet_b3", "EfficientNetB3" },
        { "efficientnet_b4", "EfficientNetB4" },
        { "efficientnet_b5", "EfficientNetB5" },
        { "efficientnet_b6", "EfficientNetB6" },
        { "efficientnet_b7", "EfficientNetB7" },
        { "regnet_x_400mf", "RegNetX400MF" },
        { "regnet_x_800mf", "RegNetX800MF" },
        { "regnet_x_1_6gf", "RegNetX1_6GF" },
        { "regnet_x_3_2gf", "RegNetX3_2GF" },
        { "regnet_y_400mf", "RegNetY400MF" },
        { "regnet_y_800mf", "RegNetY800MF" },
        { "regnet_y_1_6gf", "RegNetY1_6GF" },
        { "regnet_y_3_2gf", "RegNetY3_2GF" },
        { "mobilenet_v2", "MobileNetV2" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Keys_and_shapes_equal_torchvisions(string torchvisionName, string model)
    {
        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Torchvision", torchvisionName + ".keys"))
            .Where(l => l.Length > 0 && !l.StartsWith("#", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .Select(p => (Key: p[0], Shape: p[1] == "scalar" ? Array.Empty<long>() : p[1].Split('x').Select(long.Parse).ToArray()))
            .ToList();
        Assert.NotEmpty(expected);

        var entry = ReferenceFigures.All[model];
        var path = Path.Combine(AppContext.BaseDirectory, "architectures", entry.File);
        var analysis = CnnCompiler.Compile(path, File.ReadAllText(path)).Models.Single(m => m.Name == model);
        Assert.Equal(expected.Select(e => e.Key), analysis.StateDict().Select(e => e.Key));

        using var module = entry.Create();
        var state = module.state_dict();
        Assert.Equal(expected.Select(e => e.Key).OrderBy(k => k, StringComparer.Ordinal), state.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.All(expected, e => Assert.Equal(e.Shape, state[e.Key].shape));
        var buffers = module.named_buffers().Select(b => b.name).ToHashSet();
        Assert.Equal(expected.Select(e => e.Key).Where(k => !buffers.Contains(k)), module.named_parameters().Select(p => p.name));
        Assert.Equal(expected.Select(e => e.Key).Where(buffers.Contains), module.named_buffers().Select(b => b.name));
    }
}
