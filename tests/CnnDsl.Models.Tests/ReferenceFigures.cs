using System;
using System.Collections.Generic;
using CnnDsl.Architectures;
using TorchSharp;

namespace CnnDsl.Models.Tests;

/// <summary>Parameter counts published for each model (torchvision's weights metadata and the
/// papers, as listed in DESIGN.md), beside a factory for the generated class and the class's
/// compile-time constants.</summary>
public static class ReferenceFigures
{
    public sealed record Entry(
        string File, string Model, long Parameters, long GeneratedParameters,
        IReadOnlyList<long> InputShape, IReadOnlyList<long> OutputShape,
        Func<torch.nn.Module<torch.Tensor, torch.Tensor>> Create)
    {
        /// <summary>Published parameters of the training-only heads (GoogLeNet's aux1 and aux2).</summary>
        public long AuxiliaryParameters { get; init; }

        public long GeneratedAuxiliaryParameters { get; init; }
    }

    public static IReadOnlyDictionary<string, Entry> All { get; } = new Dictionary<string, Entry>
    {
        ["LeNet5"] = new("lenet5.cnn", "LeNet5", 61_706, LeNet5.ParameterCount, LeNet5.InputShape, LeNet5.OutputShape, () => new LeNet5()),
        ["AlexNet"] = new("alexnet.cnn", "AlexNet", 61_100_840, AlexNet.ParameterCount, AlexNet.InputShape, AlexNet.OutputShape, () => new AlexNet()),
        ["VGG11"] = new("vgg.cnn", "VGG11", 132_863_336, VGG11.ParameterCount, VGG11.InputShape, VGG11.OutputShape, () => new VGG11()),
        ["VGG11_BN"] = new("vgg.cnn", "VGG11_BN", 132_868_840, VGG11_BN.ParameterCount, VGG11_BN.InputShape, VGG11_BN.OutputShape, () => new VGG11_BN()),
        ["VGG11_LRN"] = new("vgg.cnn", "VGG11_LRN", 132_863_336, VGG11_LRN.ParameterCount, VGG11_LRN.InputShape, VGG11_LRN.OutputShape, () => new VGG11_LRN()),
        ["VGG13"] = new("vgg.cnn", "VGG13", 133_047_848, VGG13.ParameterCount, VGG13.InputShape, VGG13.OutputShape, () => new VGG13()),
        ["VGG13_BN"] = new("vgg.cnn", "VGG13_BN", 133_053_736, VGG13_BN.ParameterCount, VGG13_BN.InputShape, VGG13_BN.OutputShape, () => new VGG13_BN()),
        ["VGG16"] = new("vgg.cnn", "VGG16", 138_357_544, VGG16.ParameterCount, VGG16.InputShape, VGG16.OutputShape, () => new VGG16()),
        ["VGG16_BN"] = new("vgg.cnn", "VGG16_BN", 138_365_992, VGG16_BN.ParameterCount, VGG16_BN.InputShape, VGG16_BN.OutputShape, () => new VGG16_BN()),
        ["VGG19"] = new("vgg.cnn", "VGG19", 143_667_240, VGG19.ParameterCount, VGG19.InputShape, VGG19.OutputShape, () => new VGG19()),
        ["VGG19_BN"] = new("vgg.cnn", "VGG19_BN", 143_678_248, VGG19_BN.ParameterCount, VGG19_BN.InputShape, VGG19_BN.OutputShape, () => new VGG19_BN()),
        ["AlexNetPaper"] = new("alexnet.cnn", "AlexNetPaper", 60_965_224, AlexNetPaper.ParameterCount, AlexNetPaper.InputShape, AlexNetPaper.OutputShape, () => new AlexNetPaper()),
        ["AlexNetPaperUngrouped"] = new("alexnet.cnn", "AlexNetPaperUngrouped", 62_378_344, AlexNetPaperUngrouped.ParameterCount, AlexNetPaperUngrouped.InputShape, AlexNetPaperUngrouped.OutputShape, () => new AlexNetPaperUngrouped()),
        ["LeNet5_1998"] = new("lenet5.cnn", "LeNet5_1998", 60_000, LeNet5_1998.ParameterCount, LeNet5_1998.InputShape, LeNet5_1998.OutputShape, () => new LeNet5_1998()),
        ["ResNet18"] = new("resnet.cnn", "ResNet18", 11_689_512, ResNet18.ParameterCount, ResNet18.InputShape, ResNet18.OutputShape, () => new ResNet18()),
        ["ResNet34"] = new("resnet.cnn", "ResNet34", 21_797_672, ResNet34.ParameterCount, ResNet34.InputShape, ResNet34.OutputShape, () => new ResNet34()),
        ["ResNet50"] = new("resnet.cnn", "ResNet50", 25_557_032, ResNet50.ParameterCount, ResNet50.InputShape, ResNet50.OutputShape, () => new ResNet50()),
        ["ResNet101"] = new("resnet.cnn", "ResNet101", 44_549_160, ResNet101.ParameterCount, ResNet101.InputShape, ResNet101.OutputShape, () => new ResNet101()),
        ["ResNet152"] = new("resnet.cnn", "ResNet152", 60_192_808, ResNet152.ParameterCount, ResNet152.InputShape, ResNet152.OutputShape, () => new ResNet152()),
        ["DenseNet121"] = new("densenet.cnn", "DenseNet121", 7_978_856, DenseNet121.ParameterCount, DenseNet121.InputShape, DenseNet121.OutputShape, () => new DenseNet121()),
        ["DenseNet161"] = new("densenet.cnn", "DenseNet161", 28_681_000, DenseNet161.ParameterCount, DenseNet161.InputShape, DenseNet161.OutputShape, () => new DenseNet161()),
        ["DenseNet169"] = new("densenet.cnn", "DenseNet169", 14_149_480, DenseNet169.ParameterCount, DenseNet169.InputShape, DenseNet169.OutputShape, () => new DenseNet169()),
        ["DenseNet201"] = new("densenet.cnn", "DenseNet201", 20_013_928, DenseNet201.ParameterCount, DenseNet201.InputShape, DenseNet201.OutputShape, () => new DenseNet201()),
        ["GoogLeNet"] = new("googlenet.cnn", "GoogLeNet", 6_624_904, GoogLeNet.ParameterCount, GoogLeNet.InputShape, GoogLeNet.OutputShape, () => new GoogLeNet()),
        // torchvision: 13,004,888 with the two aux heads, 6,624,904 without.
        ["GoogLeNetAux"] = new("googlenet.cnn", "GoogLeNetAux", 6_624_904, GoogLeNetAux.ParameterCount, GoogLeNetAux.InputShape, GoogLeNetAux.OutputShape, () => new GoogLeNetAux())
        {
            AuxiliaryParameters = 13_004_888 - 6_624_904,
            GeneratedAuxiliaryParameters = GoogLeNetAux.AuxiliaryParameterCount,
        },
        ["MNASNet0_5"] = new("mnasnet.cnn", "MNASNet0_5", 2_218_512, MNASNet0_5.ParameterCount, MNASNet0_5.InputShape, MNASNet0_5.OutputShape, () => new MNASNet0_5()),
        ["MNASNet0_75"] = new("mnasnet.cnn", "MNASNet0_75", 3_170_208, MNASNet0_75.ParameterCount, MNASNet0_75.InputShape, MNASNet0_75.OutputShape, () => new MNASNet0_75()),
        ["MNASNet1_0"] = new("mnasnet.cnn", "MNASNet1_0", 4_383_312, MNASNet1_0.ParameterCount, MNASNet1_0.InputShape, MNASNet1_0.OutputShape, () => new MNASNet1_0()),
        ["MNASNet1_3"] = new("mnasnet.cnn", "MNASNet1_3", 6_282_256, MNASNet1_3.ParameterCount, MNASNet1_3.InputShape, MNASNet1_3.OutputShape, () => new MNASNet1_3()),
        ["MobileNetV2"] = new("mobilenetv2.cnn", "MobileNetV2", 3_504_872, MobileNetV2.ParameterCount, MobileNetV2.InputShape, MobileNetV2.OutputShape, () => new MobileNetV2()),
        ["SqueezeNet1_0"] = new("squeezenet.cnn", "SqueezeNet1_0", 1_248_424, SqueezeNet1_0.ParameterCount, SqueezeNet1_0.InputShape, SqueezeNet1_0.OutputShape, () => new SqueezeNet1_0()),
        ["SqueezeNet1_1"] = new("squeezenet.cnn", "SqueezeNet1_1", 1_235_496, SqueezeNet1_1.ParameterCount, SqueezeNet1_1.InputShape, SqueezeNet1_1.OutputShape, () => new SqueezeNet1_1()),
        ["ResNeXt50_32x4d"] = new("resnet.cnn", "ResNeXt50_32x4d", 25_028_904, ResNeXt50_32x4d.ParameterCount, ResNeXt50_32x4d.InputShape, ResNeXt50_32x4d.OutputShape, () => new ResNeXt50_32x4d()),
        ["ResNeXt101_32x8d"] = new("resnet.cnn", "ResNeXt101_32x8d", 88_791_336, ResNeXt101_32x8d.ParameterCount, ResNeXt101_32x8d.InputShape, ResNeXt101_32x8d.OutputShape, () => new ResNeXt101_32x8d()),
        ["ResNeXt101_64x4d"] = new("resnet.cnn", "ResNeXt101_64x4d", 83_455_272, ResNeXt101_64x4d.ParameterCount, ResNeXt101_64x4d.InputShape, ResNeXt101_64x4d.OutputShape, () => new ResNeXt101_64x4d()),
        ["WideResNet50_2"] = new("resnet.cnn", "WideResNet50_2", 68_883_240, WideResNet50_2.ParameterCount, WideResNet50_2.InputShape, WideResNet50_2.OutputShape, () => new WideResNet50_2()),
        ["WideResNet101_2"] = new("resnet.cnn", "WideResNet101_2", 126_886_696, WideResNet101_2.ParameterCount, WideResNet101_2.InputShape, WideResNet101_2.OutputShape, () => new WideResNet101_2()),
        ["InceptionV3"] = new("inception_v3.cnn", "InceptionV3", 23_834_568, InceptionV3.ParameterCount, InceptionV3.InputShape, InceptionV3.OutputShape, () => new InceptionV3()),
        // torchvision: 27,161,264 with the auxiliary head (AuxLogits), 23,834,568 without.
        ["InceptionV3Aux"] = new("inception_v3.cnn", "InceptionV3Aux", 23_834_568, InceptionV3Aux.ParameterCount, InceptionV3Aux.InputShape, InceptionV3Aux.OutputShape, () => new InceptionV3Aux())
        {
            AuxiliaryParameters = 27_161_264 - 23_834_568,
            GeneratedAuxiliaryParameters = InceptionV3Aux.AuxiliaryParameterCount,
        },
        ["ShuffleNetV2_x0_5"] = new("shufflenetv2.cnn", "ShuffleNetV2_x0_5", 1_366_792, ShuffleNetV2_x0_5.ParameterCount, ShuffleNetV2_x0_5.InputShape, ShuffleNetV2_x0_5.OutputShape, () => new ShuffleNetV2_x0_5()),
        ["ShuffleNetV2_x1_0"] = new("shufflenetv2.cnn", "ShuffleNetV2_x1_0", 2_278_604, ShuffleNetV2_x1_0.ParameterCount, ShuffleNetV2_x1_0.InputShape, ShuffleNetV2_x1_0.OutputShape, () => new ShuffleNetV2_x1_0()),
        ["ShuffleNetV2_x1_5"] = new("shufflenetv2.cnn", "ShuffleNetV2_x1_5", 3_503_624, ShuffleNetV2_x1_5.ParameterCount, ShuffleNetV2_x1_5.InputShape, ShuffleNetV2_x1_5.OutputShape, () => new ShuffleNetV2_x1_5()),
        ["ShuffleNetV2_x2_0"] = new("shufflenetv2.cnn", "ShuffleNetV2_x2_0", 7_393_996, ShuffleNetV2_x2_0.ParameterCount, ShuffleNetV2_x2_0.InputShape, ShuffleNetV2_x2_0.OutputShape, () => new ShuffleNetV2_x2_0()),
        ["MobileNetV3Large"] = new("mobilenetv3.cnn", "MobileNetV3Large", 5_483_032, MobileNetV3Large.ParameterCount, MobileNetV3Large.InputShape, MobileNetV3Large.OutputShape, () => new MobileNetV3Large()),
        ["MobileNetV3Small"] = new("mobilenetv3.cnn", "MobileNetV3Small", 2_542_856, MobileNetV3Small.ParameterCount, MobileNetV3Small.InputShape, MobileNetV3Small.OutputShape, () => new MobileNetV3Small()),
        ["EfficientNetB0"] = new("efficientnet.cnn", "EfficientNetB0", 5_288_548, EfficientNetB0.ParameterCount, EfficientNetB0.InputShape, EfficientNetB0.OutputShape, () => new EfficientNetB0()),
        ["EfficientNetB1"] = new("efficientnet.cnn", "EfficientNetB1", 7_794_184, EfficientNetB1.ParameterCount, EfficientNetB1.InputShape, EfficientNetB1.OutputShape, () => new EfficientNetB1()),
        ["EfficientNetB2"] = new("efficientnet.cnn", "EfficientNetB2", 9_109_994, EfficientNetB2.ParameterCount, EfficientNetB2.InputShape, EfficientNetB2.OutputShape, () => new EfficientNetB2()),
        ["EfficientNetB3"] = new("efficientnet.cnn", "EfficientNetB3", 12_233_232, EfficientNetB3.ParameterCount, EfficientNetB3.InputShape, EfficientNetB3.OutputShape, () => new EfficientNetB3()),
        ["EfficientNetB4"] = new("efficientnet.cnn", "EfficientNetB4", 19_341_616, EfficientNetB4.ParameterCount, EfficientNetB4.InputShape, EfficientNetB4.OutputShape, () => new EfficientNetB4()),
        ["EfficientNetB5"] = new("efficientnet.cnn", "EfficientNetB5", 30_389_784, EfficientNetB5.ParameterCount, EfficientNetB5.InputShape, EfficientNetB5.OutputShape, () => new EfficientNetB5()),
        ["EfficientNetB6"] = new("efficientnet.cnn", "EfficientNetB6", 43_040_704, EfficientNetB6.ParameterCount, EfficientNetB6.InputShape, EfficientNetB6.OutputShape, () => new EfficientNetB6()),
        ["EfficientNetB7"] = new("efficientnet.cnn", "EfficientNetB7", 66_347_960, EfficientNetB7.ParameterCount, EfficientNetB7.InputShape, EfficientNetB7.OutputShape, () => new EfficientNetB7()),
        ["RegNetX400MF"] = new("regnet.cnn", "RegNetX400MF", 5_495_976, RegNetX400MF.ParameterCount, RegNetX400MF.InputShape, RegNetX400MF.OutputShape, () => new RegNetX400MF()),
        ["RegNetX800MF"] = new("regnet.cnn", "RegNetX800MF", 7_259_656, RegNetX800MF.ParameterCount, RegNetX800MF.InputShape, RegNetX800MF.OutputShape, () => new RegNetX800MF()),
        ["RegNetX1_6GF"] = new("regnet.cnn", "RegNetX1_6GF", 9_190_136, RegNetX1_6GF.ParameterCount, RegNetX1_6GF.InputShape, RegNetX1_6GF.OutputShape, () => new RegNetX1_6GF()),
        ["RegNetX3_2GF"] = new("regnet.cnn", "RegNetX3_2GF", 15_296_552, RegNetX3_2GF.ParameterCount, RegNetX3_2GF.InputShape, RegNetX3_2GF.OutputShape, () => new RegNetX3_2GF()),
        ["RegNetY400MF"] = new("regnet.cnn", "RegNetY400MF", 4_344_144, RegNetY400MF.ParameterCount, RegNetY400MF.InputShape, RegNetY400MF.OutputShape, () => new RegNetY400MF()),
        ["RegNetY800MF"] = new("regnet.cnn", "RegNetY800MF", 6_432_512, RegNetY800MF.ParameterCount, RegNetY800MF.InputShape, RegNetY800MF.OutputShape, () => new RegNetY800MF()),
        ["RegNetY1_6GF"] = new("regnet.cnn", "RegNetY1_6GF", 11_202_430, RegNetY1_6GF.ParameterCount, RegNetY1_6GF.InputShape, RegNetY1_6GF.OutputShape, () => new RegNetY1_6GF()),
        ["RegNetY3_2GF"] = new("regnet.cnn", "RegNetY3_2GF", 19_436_338, RegNetY3_2GF.ParameterCount, RegNetY3_2GF.InputShape, RegNetY3_2GF.OutputShape, () => new RegNetY3_2GF()),
        ["NiN"] = new("nin.cnn", "NiN", NinByHand(), NiN.ParameterCount, NiN.InputShape, NiN.OutputShape, () => new NiN()),
        // VGG C: the paper's Table 1 (conv3 64,64 | 128,128 | 256,256,conv1-256 | 512,512,conv1-512 |
        // 512,512,conv1-512, three FC layers), counted by hand in VggCByHand below.
        ["VGG16_C"] = new("vgg.cnn", "VGG16_C", VggCByHand(), VGG16_C.ParameterCount, VGG16_C.InputShape, VGG16_C.OutputShape, () => new VGG16_C()),
        ["ConvNeXtTiny"] = new("convnext.cnn", "ConvNeXtTiny", 28_589_128, ConvNeXtTiny.ParameterCount, ConvNeXtTiny.InputShape, ConvNeXtTiny.OutputShape, () => new ConvNeXtTiny()),
        ["ConvNeXtSmall"] = new("convnext.cnn", "ConvNeXtSmall", 50_223_688, ConvNeXtSmall.ParameterCount, ConvNeXtSmall.InputShape, ConvNeXtSmall.OutputShape, () => new ConvNeXtSmall()),
        ["ConvNeXtBase"] = new("convnext.cnn", "ConvNeXtBase", 88_591_464, ConvNeXtBase.ParameterCount, ConvNeXtBase.InputShape, ConvNeXtBase.OutputShape, () => new ConvNeXtBase()),
        ["ConvNeXtLarge"] = new("convnext.cnn", "ConvNeXtLarge", 197_767_336, ConvNeXtLarge.ParameterCount, ConvNeXtLarge.InputShape, ConvNeXtLarge.OutputShape, () => new ConvNeXtLarge()),
    };

    public static IEnumerable<object[]> Names()
    {
        foreach (var name in All.Keys) yield return new object[] { name };
    }

    /// <summary>NiN for ImageNet (Lin et al.; the layout d2l.ai uses): three mlpconv blocks of a
    /// conv and two 1x1 convs, then a last block with one map per class.</summary>
    private static long NinByHand()
    {
        static long Conv(long inC, long outC, long k) => outC * inC * k * k + outC;
        static long MlpConv(long inC, long outC, long k) => Conv(inC, outC, k) + 2 * Conv(outC, outC, 1);
        return MlpConv(3, 96, 11) + MlpConv(96, 256, 5) + MlpConv(256, 384, 3) + MlpConv(384, 1000, 3);
    }

    private static long VggCByHand()
    {
        static long Conv(long inC, long outC, long k) => outC * inC * k * k + outC;
        static long Linear(long inF, long outF) => inF * outF + outF;
        return Conv(3, 64, 3) + Conv(64, 64, 3)
            + Conv(64, 128, 3) + Conv(128, 128, 3)
            + Conv(128, 256, 3) + Conv(256, 256, 3) + Conv(256, 256, 1)
            + Conv(256, 512, 3) + Conv(512, 512, 3) + Conv(512, 512, 1)
            + Conv(512, 512, 3) + Conv(512, 512, 3) + Conv(512, 512, 1)
            + Linear(512 * 7 * 7, 4096) + Linear(4096, 4096) + Linear(4096, 1000);
    }
}
