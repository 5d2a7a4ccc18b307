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
