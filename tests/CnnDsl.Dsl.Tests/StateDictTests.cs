using System.Collections.Generic;
using System.Linq;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>state_dict keys equal torchvision's, so its weights load unchanged. The expected
/// lists follow torchvision's models/vgg.py and models/alexnet.py: an nn.Sequential numbers
/// every module, including ReLU, MaxPool2d and Dropout, which own no tensors.</summary>
public class StateDictTests
{
    private static readonly object[] D = { 64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M" };

    /// <summary>torchvision's vgg.make_layers, transcribed: "M" appends MaxPool2d; a number
    /// appends Conv2d, [BatchNorm2d,] ReLU. Only Conv2d and BatchNorm2d own tensors.</summary>
    private static List<string> TorchvisionVggKeys(object[] cfg, bool batchNorm)
    {
        var keys = new List<string>();
        var index = 0;
        foreach (var v in cfg)
        {
            if (v is "M")
            {
                index++; // MaxPool2d
                continue;
            }

            keys.Add($"features.{index}.weight");
            keys.Add($"features.{index}.bias");
            index++; // Conv2d
            if (batchNorm)
            {
                keys.Add($"features.{index}.weight");
                keys.Add($"features.{index}.bias");
                keys.Add($"features.{index}.running_mean");
                keys.Add($"features.{index}.running_var");
                keys.Add($"features.{index}.num_batches_tracked");
                index++; // BatchNorm2d
            }

            index++; // ReLU
        }

        // classifier: Linear(0), ReLU(1), Dropout(2), Linear(3), ReLU(4), Dropout(5), Linear(6)
        keys.AddRange(new[]
        {
            "classifier.0.weight", "classifier.0.bias",
            "classifier.3.weight", "classifier.3.bias",
            "classifier.6.weight", "classifier.6.bias",
        });
        return keys;
    }

    [Fact]
    public void Vgg16_keys_equal_torchvision()
    {
        var expected = TorchvisionVggKeys(D, batchNorm: false);
        // Spot checks of the loop against torchvision's printed state_dict.
        Assert.Equal(32, expected.Count);
        Assert.Equal("features.28.bias", expected[25]);
        Assert.Equal(expected, ArchitectureModel("vgg.cnn", "VGG16").Keys());
    }

    [Fact]
    public void Vgg16_keys_written_out()
    {
        var expected = new[]
        {
            "features.0.weight", "features.0.bias", "features.2.weight", "features.2.bias",
            "features.5.weight", "features.5.bias", "features.7.weight", "features.7.bias",
            "features.10.weight", "features.10.bias", "features.12.weight", "features.12.bias",
            "features.14.weight", "features.14.bias", "features.17.weight", "features.17.bias",
            "features.19.weight", "features.19.bias", "features.21.weight", "features.21.bias",
            "features.24.weight", "features.24.bias", "features.26.weight", "features.26.bias",
            "features.28.weight", "features.28.bias",
            "classifier.0.weight", "classifier.0.bias", "classifier.3.weight", "classifier.3.bias",
            "classifier.6.weight", "classifier.6.bias",
        };
        Assert.Equal(expected, ArchitectureModel("vgg.cnn", "VGG16").Keys());
    }

    [Fact]
    public void Vgg16_bn_keys_equal_torchvision()
    {
        var expected = TorchvisionVggKeys(D, batchNorm: true);
        Assert.Equal(13 * 7 + 6, expected.Count);
        Assert.Equal(new[]
        {
            "features.0.weight", "features.0.bias",
            "features.1.weight", "features.1.bias", "features.1.running_mean", "features.1.running_var",
            "features.1.num_batches_tracked",
            "features.3.weight", "features.3.bias",
        }, expected.Take(9));
        Assert.Equal("features.41.num_batches_tracked", expected[expected.Count - 7]);
        Assert.Equal(expected, ArchitectureModel("vgg.cnn", "VGG16_BN").Keys());
    }

    [Fact]
    public void Alexnet_keys_equal_torchvision()
    {
        // features: Conv(0) ReLU MaxPool Conv(3) ReLU MaxPool Conv(6) ReLU Conv(8) ReLU Conv(10) ReLU MaxPool
        // classifier: Dropout Linear(1) ReLU Dropout Linear(4) ReLU Linear(6)
        var expected = new[]
        {
            "features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias",
            "features.6.weight", "features.6.bias", "features.8.weight", "features.8.bias",
            "features.10.weight", "features.10.bias",
            "classifier.1.weight", "classifier.1.bias", "classifier.4.weight", "classifier.4.bias",
            "classifier.6.weight", "classifier.6.bias",
        };
        Assert.Equal(expected, ArchitectureModel("alexnet.cnn", "AlexNet").Keys());
    }

    [Fact]
    public void Tensor_shapes_follow_pytorch_layouts()
    {
        var alexnet = ArchitectureModel("alexnet.cnn", "AlexNet").StateDict().ToDictionary(e => e.Key, e => e.Tensor);
        Assert.Equal(new long[] { 64, 3, 11, 11 }, alexnet["features.0.weight"].Shape); // out, in/groups, kh, kw
        Assert.Equal(new long[] { 64 }, alexnet["features.0.bias"].Shape);
        Assert.Equal(new long[] { 4096, 9216 }, alexnet["classifier.1.weight"].Shape); // out, in
        Assert.Equal(new long[] { 1000, 4096 }, alexnet["classifier.6.weight"].Shape);

        var bn = ArchitectureModel("vgg.cnn", "VGG16_BN").StateDict().ToDictionary(e => e.Key, e => e.Tensor);
        Assert.Equal(new long[] { 64 }, bn["features.1.running_var"].Shape);
        Assert.Empty(bn["features.1.num_batches_tracked"].Shape); // a scalar
        Assert.Equal(Layers.TensorRole.Buffer, bn["features.1.running_mean"].Role);
        Assert.Equal(Layers.TensorRole.Parameter, bn["features.1.weight"].Role);
    }

    [Fact]
    public void Lenet5_uses_its_labels()
    {
        Assert.Equal(new[]
        {
            "c1.weight", "c1.bias", "c3.weight", "c3.bias", "f5.weight", "f5.bias",
            "f6.weight", "f6.bias", "output.weight", "output.bias",
        }, ArchitectureModel("lenet5.cnn", "LeNet5").Keys());
    }
    [Theory]
    [InlineData("resnet.cnn", "ResNet18", "layer1.0.conv1.weight")]
    [InlineData("resnet.cnn", "ResNet18", "layer2.0.downsample.0.weight")]
    [InlineData("resnet.cnn", "ResNet18", "layer2.0.downsample.1.num_batches_tracked")]
    [InlineData("resnet.cnn", "ResNet50", "layer1.0.downsample.0.weight")] // 64 -> 256 at stride 1: a projection all the same
    [InlineData("resnet.cnn", "ResNet50", "layer4.2.conv3.weight")]
    [InlineData("densenet.cnn", "DenseNet121", "features.denseblock1.denselayer1.norm1.weight")]
    [InlineData("densenet.cnn", "DenseNet121", "features.transition1.conv.weight")]
    [InlineData("densenet.cnn", "DenseNet121", "features.denseblock4.denselayer16.conv2.weight")]
    [InlineData("densenet.cnn", "DenseNet121", "features.norm5.running_mean")]
    [InlineData("densenet.cnn", "DenseNet121", "classifier.weight")]
    [InlineData("googlenet.cnn", "GoogLeNet", "inception3a.branch2.0.conv.weight")]
    [InlineData("googlenet.cnn", "GoogLeNet", "inception3a.branch4.1.bn.running_var")]
    [InlineData("googlenet.cnn", "GoogLeNet", "conv1.conv.weight")]
    [InlineData("googlenet.cnn", "GoogLeNetAux", "aux1.fc2.weight")]
    [InlineData("googlenet.cnn", "GoogLeNetAux", "aux2.conv.bn.running_mean")]
    public void Torchvision_keys_are_present(string file, string model, string key) =>
        Assert.Contains(key, ArchitectureModel(file, model).Keys());

    [Theory]
    [InlineData("resnet.cnn", "ResNet18", "layer1.0.downsample.0.weight")] // 64 -> 64 at stride 1: identity
    [InlineData("resnet.cnn", "ResNet18", "layer2.1.downsample.0.weight")] // only the first block of a stage
    [InlineData("googlenet.cnn", "GoogLeNet", "aux1.fc2.weight")]          // no heads without aux_heads
    [InlineData("googlenet.cnn", "GoogLeNet", "inception3a.branch4.0.weight")] // the max pool owns nothing
    [InlineData("densenet.cnn", "DenseNet121", "features.transition4.conv.weight")] // three transitions only
    public void Keys_torchvision_does_not_have_are_absent(string file, string model, string key) =>
        Assert.DoesNotContain(key, ArchitectureModel(file, model).Keys());

    [Fact]
    public void Resnet18_has_torchvisions_122_keys_in_order()
    {
        // Worked out from torchvision's resnet.py: a BatchNorm2d has 5 entries (weight, bias,
        // running_mean, running_var, num_batches_tracked); every conv is bias-free (1 entry).
        // Stem: conv1 (1) + bn1 (5) = 6. A BasicBlock: conv1, bn1, conv2, bn2 = 12; eight of them: 96.
        // downsample (conv 1 + bn 5 = 6) in layer2.0, layer3.0, layer4.0: 18. fc: weight, bias = 2.
        Assert.Equal(122, 6 + 8 * 12 + 3 * 6 + 2);
        var expected = new List<string> { "conv1.weight" };
        expected.AddRange(Bn("bn1"));
        for (var layer = 1; layer <= 4; layer++)
        {
            for (var block = 0; block < 2; block++)
            {
                var prefix = $"layer{layer}.{block}.";
                expected.Add(prefix + "conv1.weight");
                expected.AddRange(Bn(prefix + "bn1"));
                expected.Add(prefix + "conv2.weight");
                expected.AddRange(Bn(prefix + "bn2"));
                if (layer > 1 && block == 0)
                {
                    expected.Add(prefix + "downsample.0.weight");
                    expected.AddRange(Bn(prefix + "downsample.1"));
                }
            }
        }

        expected.Add("fc.weight");
        expected.Add("fc.bias");
        Assert.Equal(122, expected.Count);
        Assert.Equal(expected, ArchitectureModel("resnet.cnn", "ResNet18").Keys());

        static IEnumerable<string> Bn(string path) => new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" }
            .Select(t => path + "." + t);
    }

    [Fact]
    public void Resnet_downsample_tensors_have_torchvisions_shapes()
    {
        var keys = ArchitectureModel("resnet.cnn", "ResNet50").StateDict().ToDictionary(e => e.Key, e => e.Tensor);
        // layer2.0: 256 -> 512 channels, 1x1 stride 2, bias-free; its 3x3 conv2 carries the stride (v1.5).
        Assert.Equal(new long[] { 512, 256, 1, 1 }, keys["layer2.0.downsample.0.weight"].Shape);
        Assert.Equal(new long[] { 512 }, keys["layer2.0.downsample.1.running_var"].Shape);
        Assert.False(keys.ContainsKey("layer2.0.downsample.0.bias"));
        Assert.Equal(new long[] { 128, 128, 3, 3 }, keys["layer2.0.conv2.weight"].Shape);
        var conv2 = ArchitectureModel("resnet.cnn", "ResNet50").Layer("layer2.0.conv2");
        Assert.Equal(Layers.Pair.Square(2), ((Layers.Conv2dSpec)conv2.Spec!).Stride);
    }

    [Fact]
    public void GoogLeNet_aux_heads_are_named_like_torchvisions_InceptionAux()
    {
        var keys = ArchitectureModel("googlenet.cnn", "GoogLeNetAux").Keys();
        var aux1 = keys.Where(k => k.StartsWith("aux1.", System.StringComparison.Ordinal)).ToArray();
        Assert.Equal(new[]
        {
            "aux1.conv.conv.weight",
            "aux1.conv.bn.weight", "aux1.conv.bn.bias", "aux1.conv.bn.running_mean", "aux1.conv.bn.running_var", "aux1.conv.bn.num_batches_tracked",
            "aux1.fc1.weight", "aux1.fc1.bias", "aux1.fc2.weight", "aux1.fc2.bias",
        }, aux1);
        // The heads add 2 x 10 keys to GoogLeNet's and nothing else changes.
        var plain = ArchitectureModel("googlenet.cnn", "GoogLeNet").Keys();
        Assert.Equal(plain.Length + 20, keys.Length);
        Assert.Equal(plain, keys.Where(k => !k.StartsWith("aux", System.StringComparison.Ordinal)));
    }
}
