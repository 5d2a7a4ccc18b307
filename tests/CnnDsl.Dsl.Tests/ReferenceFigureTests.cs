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
    [InlineData("resnet.cnn", "ResNet18", 11_689_512)]
    [InlineData("resnet.cnn", "ResNet34", 21_797_672)]
    [InlineData("resnet.cnn", "ResNet50", 25_557_032)]
    [InlineData("resnet.cnn", "ResNet101", 44_549_160)]
    [InlineData("resnet.cnn", "ResNet152", 60_192_808)]
    [InlineData("densenet.cnn", "DenseNet121", 7_978_856)]
    [InlineData("densenet.cnn", "DenseNet161", 28_681_000)]
    [InlineData("densenet.cnn", "DenseNet169", 14_149_480)]
    [InlineData("densenet.cnn", "DenseNet201", 20_013_928)]
    [InlineData("googlenet.cnn", "GoogLeNet", 6_624_904)]
    [InlineData("googlenet.cnn", "GoogLeNetAux", 6_624_904)] // the aux heads are counted apart: see below
    [InlineData("alexnet.cnn", "AlexNetPaper", 60_965_224)]
    [InlineData("alexnet.cnn", "AlexNetPaperUngrouped", 62_378_344)]
    [InlineData("lenet5.cnn", "LeNet5_1998", 60_000)]
    [InlineData("convnext.cnn", "ConvNeXtTiny", 28_589_128)]
    [InlineData("convnext.cnn", "ConvNeXtSmall", 50_223_688)]
    [InlineData("convnext.cnn", "ConvNeXtBase", 88_591_464)]
    [InlineData("convnext.cnn", "ConvNeXtLarge", 197_767_336)]
    [InlineData("mnasnet.cnn", "MNASNet0_5", 2_218_512)]
    [InlineData("mnasnet.cnn", "MNASNet0_75", 3_170_208)]
    [InlineData("mnasnet.cnn", "MNASNet1_0", 4_383_312)]
    [InlineData("mnasnet.cnn", "MNASNet1_3", 6_282_256)]
    [InlineData("mobilenetv2.cnn", "MobileNetV2", 3_504_872)]
    [InlineData("squeezenet.cnn", "SqueezeNet1_0", 1_248_424)]
    [InlineData("squeezenet.cnn", "SqueezeNet1_1", 1_235_496)]
    [InlineData("resnet.cnn", "ResNeXt50_32x4d", 25_028_904)]
    [InlineData("resnet.cnn", "ResNeXt101_32x8d", 88_791_336)]
    [InlineData("resnet.cnn", "ResNeXt101_64x4d", 83_455_272)]
    [InlineData("resnet.cnn", "WideResNet50_2", 68_883_240)]
    [InlineData("resnet.cnn", "WideResNet101_2", 126_886_696)]
    [InlineData("inception_v3.cnn", "InceptionV3", 23_834_568)]
    [InlineData("inception_v3.cnn", "InceptionV3Aux", 23_834_568)] // 27,161,264 with the head: see below
    [InlineData("shufflenetv2.cnn", "ShuffleNetV2_x0_5", 1_366_792)]
    [InlineData("shufflenetv2.cnn", "ShuffleNetV2_x1_0", 2_278_604)]
    [InlineData("shufflenetv2.cnn", "ShuffleNetV2_x1_5", 3_503_624)]
    [InlineData("shufflenetv2.cnn", "ShuffleNetV2_x2_0", 7_393_996)]
    [InlineData("mobilenetv3.cnn", "MobileNetV3Large", 5_483_032)]
    [InlineData("mobilenetv3.cnn", "MobileNetV3Small", 2_542_856)]
    [InlineData("efficientnet.cnn", "EfficientNetB0", 5_288_548)]
    [InlineData("efficientnet.cnn", "EfficientNetB1", 7_794_184)]
    [InlineData("efficientnet.cnn", "EfficientNetB2", 9_109_994)]
    [InlineData("efficientnet.cnn", "EfficientNetB3", 12_233_232)]
    [InlineData("efficientnet.cnn", "EfficientNetB4", 19_341_616)]
    [InlineData("efficientnet.cnn", "EfficientNetB5", 30_389_784)]
    [InlineData("efficientnet.cnn", "EfficientNetB6", 43_040_704)]
    [InlineData("efficientnet.cnn", "EfficientNetB7", 66_347_960)]
    [InlineData("regnet.cnn", "RegNetX400MF", 5_495_976)]
    [InlineData("regnet.cnn", "RegNetX800MF", 7_259_656)]
    [InlineData("regnet.cnn", "RegNetX1_6GF", 9_190_136)]
    [InlineData("regnet.cnn", "RegNetX3_2GF", 15_296_552)]
    [InlineData("regnet.cnn", "RegNetY400MF", 4_344_144)]
    [InlineData("regnet.cnn", "RegNetY800MF", 6_432_512)]
    [InlineData("regnet.cnn", "RegNetY1_6GF", 11_202_430)]
    [InlineData("regnet.cnn", "RegNetY3_2GF", 19_436_338)]
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
    [InlineData("googlenet.cnn", "GoogLeNet", 1.498)]
    [InlineData("googlenet.cnn", "GoogLeNetAux", 1.498)] // aux heads excluded from the totals
    [InlineData("resnet.cnn", "ResNet18", 1.814)]
    [InlineData("resnet.cnn", "ResNet34", 3.664)]
    [InlineData("resnet.cnn", "ResNet50", 4.089)]
    [InlineData("resnet.cnn", "ResNet101", 7.801)]
    [InlineData("resnet.cnn", "ResNet152", 11.514)]
    [InlineData("densenet.cnn", "DenseNet121", 2.834)]
    [InlineData("densenet.cnn", "DenseNet161", 7.728)]
    [InlineData("densenet.cnn", "DenseNet169", 3.36)]
    [InlineData("densenet.cnn", "DenseNet201", 4.291)]
    [InlineData("mnasnet.cnn", "MNASNet1_0", 0.314)]
    [InlineData("shufflenetv2.cnn", "ShuffleNetV2_x1_0", 0.145)]
    [InlineData("efficientnet.cnn", "EfficientNetB0", 0.386)]
    [InlineData("regnet.cnn", "RegNetY400MF", 0.402)]
    public void Multiply_adds_are_within_one_percent_of_torchvision(string file, string model, double expectedGiga)
    {
        var actual = ArchitectureModel(file, model).MultiplyAdds / 1e9;
        Assert.InRange(actual, expectedGiga * 0.99, expectedGiga * 1.01);
    }

    /// <summary>Exact: measured with torchvision 0.14.1 itself (conv and linear multiply-accumulates
    /// by forward hooks, a linear layer once per position: tools/torchvision/reference_figures.py),
    /// equal to torchvision's published figures where it gives them: ConvNeXt 4.456, 8.684, 15.355
    /// and 34.361 G, MnasNet 1.0 0.314 G, ShuffleNetV2 x1.0 0.145 G, EfficientNet-B0
    /// 0.386 G, RegNet-Y-400MF 0.402 G.</summary>
    [Theory]
    [InlineData("convnext.cnn", "ConvNeXtTiny", 4_455_531_264)]
    [InlineData("convnext.cnn", "ConvNeXtSmall", 8_683_712_256)]
    [InlineData("convnext.cnn", "ConvNeXtBase", 15_354_729_472)]
    [InlineData("convnext.cnn", "ConvNeXtLarge", 34_361_433_600)]
    [InlineData("mnasnet.cnn", "MNASNet0_5", 104_455_968)]
    [InlineData("mnasnet.cnn", "MNASNet0_75", 215_493_104)]
    [InlineData("mnasnet.cnn", "MNASNet1_0", 314_415_872)]
    [InlineData("mnasnet.cnn", "MNASNet1_3", 526_362_432)]
    [InlineData("shufflenetv2.cnn", "ShuffleNetV2_x0_5", 40_476_448)]
    [InlineData("shufflenetv2.cnn", "ShuffleNetV2_x1_0", 144_907_992)]
    [InlineData("shufflenetv2.cnn", "ShuffleNetV2_x1_5", 295_759_392)]
    [InlineData("shufflenetv2.cnn", "ShuffleNetV2_x2_0", 583_253_464)]
    [InlineData("mobilenetv3.cnn", "MobileNetV3Large", 216_589_760)]
    [InlineData("mobilenetv3.cnn", "MobileNetV3Small", 56_510_400)]
    [InlineData("efficientnet.cnn", "EfficientNetB0", 385_814_752)]
    [InlineData("efficientnet.cnn", "EfficientNetB1", 686_802_832)]
    [InlineData("efficientnet.cnn", "EfficientNetB2", 1_087_529_456)]
    [InlineData("efficientnet.cnn", "EfficientNetB3", 1_827_141_392)]
    [InlineData("efficientnet.cnn", "EfficientNetB4", 4_393_771_024)]
    [InlineData("efficientnet.cnn", "EfficientNetB5", 10_266_384_752)]
    [InlineData("efficientnet.cnn", "EfficientNetB6", 19_067_593_536)]
    [InlineData("efficientnet.cnn", "EfficientNetB7", 37_745_884_192)]
    [InlineData("regnet.cnn", "RegNetX400MF", 413_812_608)]
    [InlineData("regnet.cnn", "RegNetX800MF", 799_699_712)]
    [InlineData("regnet.cnn", "RegNetX1_6GF", 1_602_849_792)]
    [InlineData("regnet.cnn", "RegNetX3_2GF", 3_176_621_952)]
    [InlineData("regnet.cnn", "RegNetY400MF", 401_842_848)]
    [InlineData("regnet.cnn", "RegNetY800MF", 833_856_256)]
    [InlineData("regnet.cnn", "RegNetY1_6GF", 1_612_076_160)]
    [InlineData("regnet.cnn", "RegNetY3_2GF", 3_176_482_752)]
    public void Multiply_adds_equal_torchvisions_measured(string file, string model, long expected) =>
        Assert.Equal(expected, ArchitectureModel(file, model).MultiplyAdds);
    /// <summary>torchvision's published `_ops` (GFLOPS column, conv and linear multiply-accumulates,
    /// DESIGN.md) to its three decimals, and the exact count tools/torchvision/zoo_reference.py
    /// measured with forward hooks on torchvision 0.14.1 itself.</summary>
    [Theory]
    [InlineData("squeezenet.cnn", "SqueezeNet1_0", 0.819, 818_924_576)]
    [InlineData("squeezenet.cnn", "SqueezeNet1_1", 0.349, 349_151_936)]
    [InlineData("resnet.cnn", "ResNeXt50_32x4d", 4.23, 4_230_479_872)]
    [InlineData("resnet.cnn", "ResNeXt101_32x8d", 16.414, 16_414_015_488)]
    [InlineData("resnet.cnn", "ResNeXt101_64x4d", 15.46, 15_460_270_080)]
    [InlineData("resnet.cnn", "WideResNet50_2", 11.398, 11_398_021_120)]
    [InlineData("resnet.cnn", "WideResNet101_2", 22.753, 22_753_050_624)]
    [InlineData("inception_v3.cnn", "InceptionV3", 5.713, 5_713_216_096)]
    [InlineData("inception_v3.cnn", "InceptionV3Aux", 5.713, 5_713_216_096)] // the head does not run at inference
    [InlineData("mobilenetv2.cnn", "MobileNetV2", 0.301, 300_774_272)] // tools/torchvision/reference_figures.py
    public void Multiply_adds_equal_torchvisions_published_and_measured_counts(string file, string model, double publishedGiga, long measured)
    {
        var actual = ArchitectureModel(file, model).MultiplyAdds;
        Assert.Equal(measured, actual);
        Assert.Equal(publishedGiga, System.Math.Round(actual / 1e9, 3));
    }

    /// <summary>MobileNetV2's width multiplier and channel rounding (`make_divisible`) at other
    /// settings than the shipped model's, against torchvision's
    /// `MobileNetV2(width_mult=w, round_nearest=r)` counted with torchvision 0.14.1 itself (the sum
    /// of `numel()` over its parameters).</summary>
    [Theory]
    [InlineData("1.4", 8, 6_108_776)]
    [InlineData("1.3", 8, 5_386_792)]
    [InlineData("0.75", 8, 2_636_424)]
    [InlineData("0.5", 8, 1_968_680)]
    [InlineData("0.35", 4, 1_671_848)]
    public void Mobilenet_v2_width_multipliers_match_torchvisions(string width, int roundNearest, long expected)
    {
        var source = System.IO.File.ReadAllText(System.IO.Path.Combine(RepositoryRoot, "architectures", "mobilenetv2.cnn"))
            + $"\nmodel Scaled = mobilenet_v2({width}, round_nearest: {roundNearest})\n";
        Assert.Equal(expected, Assert.Single(CompileClean(source).Models, m => m.Name == "Scaled").Parameters);
    }

    [Fact]
    public void Inception_v3s_auxiliary_head_is_counted_apart_and_by_hand()
    {
        // torchvision's InceptionAux(768, 1000): conv0 BasicConv2d(768, 128, 1x1) without bias and
        // BN(128); conv1 BasicConv2d(128, 768, 5x5) and BN(768); fc Linear(768, 1000).
        const long head = 768 * 128 + 2 * 128 + 128 * 768 * 5 * 5 + 2 * 768 + 768 * 1000 + 1000;
        Assert.Equal(3_326_696, head);
        var model = ArchitectureModel("inception_v3.cnn", "InceptionV3Aux");
        Assert.Equal(head, model.AuxiliaryParameters);
        Assert.Equal(27_161_264, model.Parameters + model.AuxiliaryParameters); // DESIGN.md's figure, with the head
        Assert.Equal("1000", model.Output.ToString());
        Assert.Equal(0, ArchitectureModel("inception_v3.cnn", "InceptionV3").AuxiliaryParameters);
    }

    [Fact]
    public void ResNeXt_and_wide_bottleneck_widths_follow_torchvisions_formula()
    {
        // width = int(planes * (base_width / 64.)) * groups: layer1's planes are 64.
        var resnext = ArchitectureModel("resnet.cnn", "ResNeXt50_32x4d");
        Assert.Equal("128x56x56", resnext.Layer("layer1.0.conv2").Output.ToString()); // 64 * 4 / 64 * 32
        Assert.Equal("2048x7x7", ArchitectureModel("resnet.cnn", "ResNeXt101_64x4d").Layer("layer4.0.conv2").Output.ToString()); // 512 * 4 / 64 * 64
        Assert.Equal("1024x7x7", ArchitectureModel("resnet.cnn", "WideResNet50_2").Layer("layer4.0.conv2").Output.ToString()); // 512 * 128 / 64
        // A grouped 3x3 convolution owns out * in / groups * 9 weights: 128 * 128 / 32 * 9.
        Assert.Equal(128L * 128 / 32 * 9, resnext.Layer("layer1.0.conv2").Parameters);
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
    [Fact]
    public void GoogLeNet_aux_heads_are_auxiliary_parameters_counted_by_hand()
    {
        // torchvision's 13,004,888 with both heads, 6,624,904 without: the heads hold the rest.
        Assert.Equal(6_379_984, 13_004_888 - 6_624_904);
        // One InceptionAux (torchvision): BasicConv2d(in, 128, 1x1, no bias) + BN(128), then
        // fc1 2048 -> 1024 and fc2 1024 -> 1000. aux1 reads inception4a (512 channels), aux2 4d (528).
        static long Head(long inChannels) => inChannels * 128 + 2 * 128 + (2048 * 1024 + 1024) + (1024 * 1000 + 1000);
        Assert.Equal(3_188_968, Head(512));
        Assert.Equal(3_191_016, Head(528));

        var withAux = ArchitectureModel("googlenet.cnn", "GoogLeNetAux");
        var without = ArchitectureModel("googlenet.cnn", "GoogLeNet");
        Assert.Equal(6_624_904, withAux.Parameters);
        Assert.Equal(Head(512) + Head(528), withAux.AuxiliaryParameters);
        Assert.Equal(6_379_984, withAux.AuxiliaryParameters);
        Assert.Equal(0, without.AuxiliaryParameters);
        Assert.Equal(Head(512), withAux.Layer("aux1").AuxiliaryParameters);
        // The heads change neither the main path nor its multiply-adds.
        Assert.Equal(without.MultiplyAdds, withAux.MultiplyAdds);
        Assert.Equal(without.Output, withAux.Output);
        Assert.Equal(withAux.Layer("inception4a").Output, withAux.Layer("inception4b").Input);
    }

    [Fact]
    public void AlexNet_paper_groups_save_what_hand_computation_says()
    {
        // Two groups halve the weights of conv2 (96 -> 256, 5x5), conv4 (384 -> 384, 3x3) and
        // conv5 (384 -> 256, 3x3): the ungrouped form has out * (in / 2) * k * k more in each.
        long saved = 256 * 48 * 25 + 384 * 192 * 9 + 256 * 192 * 9;
        Assert.Equal(1_413_120, saved);
        Assert.Equal(62_378_344 - 60_965_224, saved);
        var paper = ArchitectureModel("alexnet.cnn", "AlexNetPaper");
        // 227 input: conv1 11/4 -> 55, pool -> 27, conv2 -> 27, pool -> 13, conv3-5 -> 13, pool -> 6.
        Assert.Equal(new long[] { 256, 6, 6 }, paper.Layer("features").Output.Dimensions);
        Assert.Equal(new long[] { 256, 48, 5, 5 }, paper.StateDict().Single(e => e.Key == "features.4.weight").Tensor.Shape);
    }

    [Fact]
    public void LeNet5_1998_per_layer_figures_from_the_paper()
    {
        var model = ArchitectureModel("lenet5.cnn", "LeNet5_1998");
        // C1: 6 * (5*5) + 6 = 156. S2: a coefficient and a bias per map, 2 * 6 = 12.
        // C3: 60 connections in Table I (6*3 + 6*4 + 3*4 + 6), 60 * 25 + 16 = 1,516. S4: 2 * 16 = 32.
        // C5: 120 * (16*5*5) + 120 = 48,120. F6: 120 * 84 + 84 = 10,164. Output: no parameters,
        // 10 codes of 84 as a buffer.
        Assert.Equal(60, 6 * 3 + 6 * 4 + 3 * 4 + 6);
        Assert.Equal(156, model.Layer("c1").Parameters);
        Assert.Equal(12, model.Layer("s2").Parameters);
        Assert.Equal(1_516, model.Layer("c3").Parameters);
        Assert.Equal(32, model.Layer("s4").Parameters);
        Assert.Equal(48_120, model.Layer("c5").Parameters);
        Assert.Equal(10_164, model.Layer("f6").Parameters);
        Assert.Equal(0, model.Layer("output").Parameters);
        Assert.Equal(840, model.Layer("output").Buffers);
        Assert.Equal(840, model.Buffers);
        Assert.Equal(156 + 12 + 1_516 + 32 + 48_120 + 10_164, model.Parameters);
        Assert.Equal(new long[] { 60, 5, 5 }, model.StateDict().Single(e => e.Key == "c3.weight").Tensor.Shape);
        Assert.Equal(new long[] { 10, 84 }, model.StateDict().Single(e => e.Key == "output.codes").Tensor.Shape);
        Assert.Equal(Layers.TensorRole.Buffer, model.StateDict().Single(e => e.Key == "output.codes").Tensor.Role);

        // Shapes: 32 -> C1 28 -> S2 14 -> C3 10 -> S4 5 -> C5 1.
        Assert.Equal(new long[] { 6, 28, 28 }, model.Layer("c1").Output.Dimensions);
        Assert.Equal(new long[] { 6, 14, 14 }, model.Layer("s2").Output.Dimensions);
        Assert.Equal(new long[] { 16, 10, 10 }, model.Layer("c3").Output.Dimensions);
        Assert.Equal(new long[] { 16, 5, 5 }, model.Layer("s4").Output.Dimensions);
        Assert.Equal(new long[] { 120, 1, 1 }, model.Layer("c5").Output.Dimensions);

        // Multiply-adds: C1 28*28 * 6*25 = 117,600; S2 one per output, 6*14*14 = 1,176;
        // C3 only its connections, 10*10 * 60*25 = 150,000; S4 16*5*5 = 400; C5 120*400 = 48,000;
        // F6 120*84 = 10,080; RBF 84*10 = 840.
        Assert.Equal(1_176, model.Layer("s2").MultiplyAdds);
        Assert.Equal(150_000, model.Layer("c3").MultiplyAdds);
        Assert.Equal(840, model.Layer("output").MultiplyAdds);
        Assert.Equal(117_600 + 1_176 + 150_000 + 400 + 48_000 + 10_080 + 840, model.MultiplyAdds);
    }

    [Fact]
    public void ResNet18_parameters_counted_by_hand()
    {
        static long Conv(long inC, long outC, long k) => outC * inC * k * k; // all bias-free
        static long Bn(long c) => 2 * c;
        // Stem: conv1 7x7 3 -> 64, bn1.
        var expected = Conv(3, 64, 7) + Bn(64);
        long inChannels = 64;
        foreach (var channels in new long[] { 64, 128, 256, 512 })
        {
            for (var block = 0; block < 2; block++)
            {
                expected += Conv(inChannels, channels, 3) + Bn(channels) + Conv(channels, channels, 3) + Bn(channels);
                if (inChannels != channels) expected += Conv(inChannels, channels, 1) + Bn(channels); // downsample
                inChannels = channels;
            }
        }

        expected += 512 * 1000 + 1000; // fc
        Assert.Equal(11_689_512, expected);
        Assert.Equal(expected, ArchitectureModel("resnet.cnn", "ResNet18").Parameters);
    }

    [Fact]
    public void Densenet121_channels_grow_by_the_growth_rate_and_halve_at_transitions()
    {
        var model = ArchitectureModel("densenet.cnn", "DenseNet121");
        // 64 + 6*32 = 256 at 56x56; transition: 128 at 28x28; + 12*32 = 512; 256 at 14x14;
        // + 24*32 = 1024; 512 at 7x7; + 16*32 = 1024.
        Assert.Equal(new long[] { 256, 56, 56 }, model.Layer("features.denseblock1").Output.Dimensions);
        Assert.Equal(new long[] { 128, 28, 28 }, model.Layer("features.transition1").Output.Dimensions);
        Assert.Equal(new long[] { 512, 28, 28 }, model.Layer("features.denseblock2").Output.Dimensions);
        Assert.Equal(new long[] { 1024, 14, 14 }, model.Layer("features.denseblock3").Output.Dimensions);
        Assert.Equal(new long[] { 1024, 7, 7 }, model.Layer("features.norm5").Output.Dimensions);
        // denselayer i of block 1 sees 64 + 32 * (i - 1) channels and adds 32.
        var sixth = model.Layer("features.denseblock1.denselayer6");
        Assert.Equal(new long[] { 64 + 5 * 32, 56, 56 }, sixth.Input.Dimensions);
        Assert.Equal(new long[] { 64 + 6 * 32, 56, 56 }, sixth.Output.Dimensions);
    }

    [Fact]
    public void Receptive_field_of_a_residual_follows_its_body()
    {
        // ResNet-18's layer1.0: body conv 3x3 -> conv 3x3 at jump 4 (after conv1 s2 and maxpool s2).
        // Before it: conv1 7/2 p3: size 7, jump 2, pad 3; maxpool 3/2 p1: size 11, jump 4, pad 5.
        // Body: 11 + 2*4 = 19, then 27; pad 5 + 4 = 9, then 13. The shortcut (size 11) does not count.
        var model = ArchitectureModel("resnet.cnn", "ResNet18");
        var maxpool = model.Layer("maxpool").ReceptiveField;
        Assert.Equal((Layers.Pair.Square(11), Layers.Pair.Square(4), Layers.Pair.Square(5)), (maxpool.Size, maxpool.Stride, maxpool.Padding));
        var block = model.Layer("layer1.0").ReceptiveField;
        Assert.Equal((Layers.Pair.Square(27), Layers.Pair.Square(4), Layers.Pair.Square(13)), (block.Size, block.Stride, block.Padding));
    }
}
