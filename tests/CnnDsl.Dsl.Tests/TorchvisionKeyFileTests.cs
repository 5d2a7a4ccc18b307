using System.IO;
using System.Linq;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>The analysis's state_dict (every key, in order, with its shape) against torchvision's
/// own, as tools/torchvision/reference_figures.py --keys wrote it from torchvision 0.14.1 into
/// tests/CnnDsl.Models.Tests/Torchvision/*.keys ("key shape" per line, "#" lines a header).</summary>
public class TorchvisionKeyFileTests
{
    [Theory]
    [InlineData("mnasnet.cnn", "MNASNet0_5", "mnasnet0_5")]
    [InlineData("mnasnet.cnn", "MNASNet0_75", "mnasnet0_75")]
    [InlineData("mnasnet.cnn", "MNASNet1_0", "mnasnet1_0")]
    [InlineData("mnasnet.cnn", "MNASNet1_3", "mnasnet1_3")]
    [InlineData("shufflenetv2.cnn", "ShuffleNetV2_x0_5", "shufflenet_v2_x0_5")]
    [InlineData("shufflenetv2.cnn", "ShuffleNetV2_x1_0", "shufflenet_v2_x1_0")]
    [InlineData("shufflenetv2.cnn", "ShuffleNetV2_x1_5", "shufflenet_v2_x1_5")]
    [InlineData("shufflenetv2.cnn", "ShuffleNetV2_x2_0", "shufflenet_v2_x2_0")]
    [InlineData("mobilenetv3.cnn", "MobileNetV3Large", "mobilenet_v3_large")]
    [InlineData("mobilenetv3.cnn", "MobileNetV3Small", "mobilenet_v3_small")]
    [InlineData("efficientnet.cnn", "EfficientNetB0", "efficientnet_b0")]
    [InlineData("efficientnet.cnn", "EfficientNetB1", "efficientnet_b1")]
    [InlineData("efficientnet.cnn", "EfficientNetB2", "efficientnet_b2")]
    [InlineData("efficientnet.cnn", "EfficientNetB3", "efficientnet_b3")]
    [InlineData("efficientnet.cnn", "EfficientNetB4", "efficientnet_b4")]
    [InlineData("efficientnet.cnn", "EfficientNetB5", "efficientnet_b5")]
    [InlineData("efficientnet.cnn", "EfficientNetB6", "efficientnet_b6")]
    [InlineData("efficientnet.cnn", "EfficientNetB7", "efficientnet_b7")]
    [InlineData("regnet.cnn", "RegNetX400MF", "regnet_x_400mf")]
    [InlineData("regnet.cnn", "RegNetX800MF", "regnet_x_800mf")]
    [InlineData("regnet.cnn", "RegNetX1_6GF", "regnet_x_1_6gf")]
    [InlineData("regnet.cnn", "RegNetX3_2GF", "regnet_x_3_2gf")]
    [InlineData("regnet.cnn", "RegNetY400MF", "regnet_y_400mf")]
    [InlineData("regnet.cnn", "RegNetY800MF", "regnet_y_800mf")]
    [InlineData("regnet.cnn", "RegNetY1_6GF", "regnet_y_1_6gf")]
    [InlineData("regnet.cnn", "RegNetY3_2GF", "regnet_y_3_2gf")]
    [InlineData("mobilenetv2.cnn", "MobileNetV2", "mobilenet_v2")]
    public void State_dict_equals_torchvisions(string file, string model, string torchvisionName)
    {
        var path = Path.Combine(RepositoryRoot, "tests", "CnnDsl.Models.Tests", "Torchvision", torchvisionName + ".keys");
        var expected = File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        var actual = ArchitectureModel(file, model).StateDict()
            .Select(e => $"{e.Key} {(e.Tensor.Shape.Count == 0 ? "scalar" : string.Join("x", e.Tensor.Shape))}")
            .ToArray();
        Assert.Equal(expected, actual);
    }
}
