using System.Linq;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>The shipped architectures against DESIGN.md's reference figures (torchvision's
/// weights metadata, the papers), and against counts worked out by hand below.</summary>
public class ReferenceFigureTests
{
    [Theory]
    [InlineData("lenet5.cnn", "LeNet5", 61_706)]
    [InlineData("alexnet.cnn", "AlexNet", 61_100_840)]
    [InlineData("vgg.cnn", "VGG11", 132_863_336)]
    [InlineData("vgg.cnn", "VGG11_BN", 132_868_840)]
    [InlineData("vgg.cnn", "VGG13", 133_047_848)]
    [InlineData("vgg.cnn", "VGG13_BN", 133_053_736)]
    [InlineData("vgg.cnn", "VGG16", 138_357_544)]
    [InlineData("vgg.cnn", "VGG16_BN", 138_365_992)]
    [InlineData("vgg.cnn", "VGG19", 143_667_240)]
    [InlineData("vgg.cnn", "VGG19_BN", 143_678_248)]
    [InlineData("vgg.cnn", "VGG11_LRN", 132_863_336)] // LRN has no parameters: A-LRN counts as A
    public void Parameters_match_the_reference(string file, string model, long expected) =>
        Assert.Equal(expected, ArchitectureModel(file, model).Parameters);

    [Theory]
    [InlineData("alexnet.cnn", "AlexNet", 0.714)]
    [InlineData("vgg.cnn", "VGG11", 7.609)]
    [InlineData("vgg.cnn", "VGG11_BN", 7.609)]
    [InlineData("vgg.cnn", "VGG13", 11.308)]
    [InlineData("vgg.cnn", "VGG16", 15.47)]
    [InlineData("vgg.cnn", "VGG16_BN", 15.47)]
    [InlineData("vgg.cnn", "VGG19", 19.632)]
    public void Multiply_adds_are_within_one_percent_of_torchvision(string file, string model, double expectedGiga)
    {
        var actual = ArchitectureModel(file, model).MultiplyAdds / 1e9;
        Assert.InRange(actual, expectedGiga * 0.99, expectedGiga * 1.01);
    }

    [Fact]
    public void Batch_norm_running_statistics_are_buffers_not_parameters()
    {
        // Per BN layer: running_mean and running_var (C each) and num_batches_tracked (1).
        // VGG16-BN has 13 BN layers after convs of 64,64,128,128,256x3,512x6 channels.
        long[] channels = { 64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512 };
        var expected = channels.Sum(c => 2 * c + 1);
        Assert.Equal(8_461, expected); // written out, so the line above is checked too
        Assert.Equal(expected, ArchitectureModel("vgg.cnn", "VGG16_BN").Buffers);
        Assert.Equal(0, ArchitectureModel("vgg.cnn", "VGG16").Buffers);
        // Parameters differ by BN's weight and bias: 2 * sum(C).
        Assert.Equal(2 * channels.Sum(),
            ArchitectureModel("vgg.cnn", "VGG16_BN").Parameters - ArchitectureModel("vgg.cnn", "VGG16").Parameters);
    }

    [Fact]
    public void Vgg16_C_matches_table_1_configuration_C_counted_layer_by_layer()
    {
        // Simonyan & Zisserman, Table 1, configuration C (16 weight layers): conv<k>-<channels>.
        var config = new (int Kernel, int Channels)?[]
        {
            (3, 64), (3, 64), null,
            (3, 128), (3, 128), null,
            (3, 256), (3, 256), (1, 256), null,
            (3, 512), (3, 512), (1, 512), null,
            (3, 512), (3, 512), (1, 512), null, // null: maxpool
        };
        long expected = 0;
        long inChannels = 3;
        var weightLayers = 0;
        foreach (var layer in config)
        {
            if (layer is not { } conv) continue;
            expected += conv.Channels * (inChannels * conv.Kernel * conv.Kernel) + conv.Channels;
            inChannels = conv.Channels;
            weightLayers++;
        }

        // FC-4096, FC-4096, FC-1000 after the 7x7x512 feature map (torchvision's avgpool keeps 7x7).
        long features = 512 * 7 * 7;
        foreach (var width in new long[] { 4096, 4096, 1000 })
        {
            expected += features * width + width;
            features = width;
            weightLayers++;
        }

        Assert.Equal(16, weightLayers);
        var model = ArchitectureModel("vgg.cnn", "VGG16_C");
        Assert.Equal(expected, model.Parameters);
        Assert.Equal(13, model.Layers.Count(l => l.TypeName == "Conv2d"));
        Assert.Equal(3, model.Layers.Count(l => l.TypeName == "Conv2d" && l.Spec is Layers.Conv2dSpec { Kernel.H: 1 }));
    }

    [Fact]
    public void Vgg16_receptive_field_after_pool5_is_212_with_stride_32_and_padding_90()
    {
        var pool5 = ArchitectureModel("vgg.cnn", "VGG16").Layer("features.30");
        Assert.Equal("MaxPool2d", pool5.TypeName);
        Assert.Equal(new[] { 512L, 7, 7 }, pool5.Output.Dimensions);
        Assert.Equal(Layers.Pair.Square(212), pool5.ReceptiveField.Size);
        Assert.Equal(Layers.Pair.Square(32), pool5.ReceptiveField.Stride);
        Assert.Equal(Layers.Pair.Square(90), pool5.ReceptiveField.Padding);
    }

    [Fact]
    public void Receptive_field_follows_the_seed_formula_layer_by_layer()
    {
        // RF(i) = S(i) * (RF(i+1) - 1) + K(i), applied from the output back to the input,
        // for every prefix of VGG16's features; computed here independently of the analyser.
        var model = ArchitectureModel("vgg.cnn", "VGG16");
        var features = model.Layer("features").Children;
        for (var end = 0; end < features.Count; end++)
        {
            long rf = 1;
            for (var i = end; i >= 0; i--)
            {
                var (k, s) = features[i].Spec switch
                {
                    Layers.Conv2dSpec c => (c.Kernel.H, c.Stride.H),
                    Layers.Pool2dSpec p => (p.Kernel.H, p.Stride.H),
                    _ => (1L, 1L),
                };
                rf = s * (rf - 1) + k;
            }

            Assert.Equal(rf, features[end].ReceptiveField.Size.H);
        }
    }

    [Fact]
    public void Alexnet_receptive_field_and_shapes_match_hand_computation()
    {
        var model = ArchitectureModel("alexnet.cnn", "AlexNet");
        // conv1 11/4 p2: (224 + 4 - 11) / 4 + 1 = 55; pool 3/2: (55 - 3) / 2 + 1 = 27;
        // conv2 5 p2: 27; pool: 13; conv3-5: 13; pool: 6.
        Assert.Equal(new[] { 64L, 55, 55 }, model.Layer("features.0").Output.Dimensions);
        Assert.Equal(new[] { 64L, 27, 27 }, model.Layer("features.2").Output.Dimensions);
        Assert.Equal(new[] { 192L, 13, 13 }, model.Layer("features.5").Output.Dimensions);
        Assert.Equal(new[] { 256L, 6, 6 }, model.Layer("features.12").Output.Dimensions);
        Assert.Equal(new[] { 9216L }, model.Layer("flatten").Output.Dimensions);
        // Forward: rf += (k - 1) * jump; jump *= s; pad += p * jump.
        // conv1 k11 s4 p2: rf 11, jump 4, pad 2. pool k3 s2: rf 19, jump 8. conv2 k5 p2: rf 51, pad 2 + 16 = 18.
        // pool: rf 67, jump 16. conv3,4,5 k3 p1: rf 67 + 3 * 32 = 163, pad 18 + 3 * 16 = 66. pool: rf 195, jump 32.
        var pool5 = model.Layer("features.12").ReceptiveField;
        Assert.Equal(Layers.Pair.Square(195), pool5.Size);
        Assert.Equal(Layers.Pair.Square(32), pool5.Stride);
        Assert.Equal(Layers.Pair.Square(66), pool5.Padding);
        Assert.True(model.Layer("classifier.1").ReceptiveField.Global);
    }

    [Fact]
    public void Lenet5_shapes_and_per_layer_parameters()
    {
        var model = ArchitectureModel("lenet5.cnn", "LeNet5");
        // C1: 6 * (1*5*5) + 6 = 156; C3: 16 * (6*5*5) + 16 = 2416; F5: 400*120 + 120 = 48120;
        // F6: 120*84 + 84 = 10164; output: 84*10 + 10 = 850. Total 61706.
        Assert.Equal(156, model.Layer("c1").Parameters);
        Assert.Equal(2_416, model.Layer("c3").Parameters);
        Assert.Equal(48_120, model.Layer("f5").Parameters);
        Assert.Equal(10_164, model.Layer("f6").Parameters);
        Assert.Equal(850, model.Layer("output").Parameters);
        Assert.Equal(new[] { 6L, 28, 28 }, model.Layer("c1").Output.Dimensions);
        Assert.Equal(new[] { 16L, 5, 5 }, model.Layer("s4").Output.Dimensions);
        Assert.Equal(new[] { 10L }, model.Output.Dimensions);
        // MACs: C1 6*28*28*25 = 117600; C3 16*10*10*150 = 240000; F5 48000; F6 10080; out 840.
        Assert.Equal(117_600 + 240_000 + 48_000 + 10_080 + 840, model.MultiplyAdds);
    }
}
