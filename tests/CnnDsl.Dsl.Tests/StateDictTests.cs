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
}
