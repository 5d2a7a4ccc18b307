using System;
using System.IO;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>Each layer's shape rule against PyTorch's documented formulas, worked by hand:
/// out = floor((in + 2p - d(k-1) - 1) / s) + 1 (ceil in ceil mode, where the last window must
/// start inside the input or its left padding).</summary>
public class ShapeRuleTests
{
    private static long[] Dims(Shape shape) => shape.Dimensions.ToArray();

    [Fact]
    public void Conv_with_stride_padding_dilation_and_groups()
    {
        var model = Model("model M input 8x15x17 = conv(12, [3, 5], stride: [2, 3], pad: [1, 2], dilation: [2, 1], groups: 4)");
        var conv = model.Layer("0");
        // H: floor((15 + 2*1 - 2*(3-1) - 1) / 2) + 1 = floor(12 / 2) + 1 = 7
        // W: floor((17 + 2*2 - 1*(5-1) - 1) / 3) + 1 = floor(16 / 3) + 1 = 6
        Assert.Equal(new long[] { 12, 7, 6 }, Dims(conv.Output));
        // weight 12 x (8/4) x 3 x 5 = 360, bias 12
        Assert.Equal(372, conv.Parameters);
        Assert.Equal(new long[] { 12, 2, 3, 5 }, conv.Tensors[0].Shape);
        // one MAC per weight of a group per output element: (12*7*6) * (2*3*5)
        Assert.Equal(504 * 30, conv.MultiplyAdds);
    }

    [Fact]
    public void Conv_without_bias_and_with_plain_stride()
    {
        var conv = Model("model M input 1x7x7 = conv(4, 3, stride: 2, bias: false)").Layer("0");
        Assert.Equal(new long[] { 4, 3, 3 }, Dims(conv.Output)); // (7 - 3) / 2 + 1
        Assert.Equal(4 * 1 * 3 * 3, conv.Parameters);
        Assert.Single(conv.Tensors);
    }

    [Theory]
    [InlineData(112, 2, 2, 0, false, 56)]
    [InlineData(113, 2, 2, 0, false, 56)] // floor(111 / 2) + 1
    [InlineData(113, 2, 2, 0, true, 57)]  // ceil(111 / 2) + 1
    [InlineData(112, 3, 2, 0, true, 56)]  // GoogLeNet: ceil(109 / 2) + 1
    [InlineData(55, 3, 2, 0, false, 27)]  // AlexNet: (55 - 3) / 2 + 1
    [InlineData(5, 2, 2, 1, false, 3)]    // floor((5 + 2 - 2) / 2) + 1
    [InlineData(5, 2, 2, 1, true, 3)]     // ceil(5 / 2) + 1 = 4, but window 3 would start at 6 >= 5 + 1: dropped
    [InlineData(6, 3, 2, 1, true, 4)]     // ceil(5 / 2) + 1 = 4; window 3 starts at 6 < 6 + 1: kept
    [InlineData(1, 2, 2, 0, true, 1)]     // ceil((1 - 2 + 1) / 2) + 1 = 1: PyTorch keeps one window
    public void Max_pool_output_size(int input, int kernel, int stride, int pad, bool ceil, long expected)
    {
        var source = $"model M input 3x{input}x{input} = maxpool({kernel}, stride: {stride}, pad: {pad}, ceil: {(ceil ? "true" : "false")})";
        Assert.Equal(new long[] { 3, expected, expected }, Dims(Model(source).Output));
    }

    [Fact]
    public void Max_pool_stride_defaults_to_its_kernel()
    {
        Assert.Equal(new long[] { 2, 3, 3 }, Dims(Model("model M input 2x10x10 = maxpool(3)").Output)); // (10-3)/3+1
    }

    [Fact]
    public void Avg_pool_output_size_floor_and_ceil()
    {
        Assert.Equal(new long[] { 3, 4, 4 }, Dims(Model("model M input 3x7x7 = avgpool(3, stride: 2, pad: 1)").Output)); // (7+2-3)/2+1
        Assert.Equal(new long[] { 3, 1, 1 }, Dims(Model("model M input 3x6x6 = avgpool(4, stride: 3)").Output)); // floor(2/3)+1
        Assert.Equal(new long[] { 3, 2, 2 }, Dims(Model("model M input 3x6x6 = avgpool(4, stride: 3, ceil: true)").Output)); // ceil(2/3)+1
        var pool = Model("model M input 3x6x6 = avgpool(2)").Layer("0");
        Assert.Equal(0, pool.Parameters);
        Assert.Equal(0, pool.MultiplyAdds);
        Assert.Equal("AvgPool2d", pool.TypeName);
    }

    [Fact]
    public void Adaptive_avg_pool_gives_the_requested_size()
    {
        var model = Model("model M input 512x13x13 = adaptive_avgpool(7)");
        Assert.Equal(new long[] { 512, 7, 7 }, Dims(model.Output));
        Assert.Equal(new long[] { 16, 7, 5 }, Dims(Model("model M input 16x13x13 = adaptive_avgpool([7, 5])").Output));
        Assert.Equal(new long[] { 16, 7, 7 }, Dims(Model("model M input 16x1x1 = adaptive_avgpool(7)").Output)); // upsamples
    }

    [Theory]
    [InlineData(13, 7)]
    [InlineData(13, 5)]
    [InlineData(7, 2)]
    [InlineData(6, 4)]
    [InlineData(2, 3)]
    [InlineData(1, 7)]
    [InlineData(14, 7)]
    public void Adaptive_avg_pool_receptive_field_is_its_widest_bin(int input, int output)
    {
        // PyTorch's bin i covers [floor(i*in/out), ceil((i+1)*in/out)).
        long widest = 0;
        for (var i = 0; i < output; i++)
        {
            var start = i * input / output;
            var end = ((i + 1) * input + output - 1) / output;
            widest = Math.Max(widest, end - start);
        }

        var pool = Model($"model M input 1x{input}x{input} = adaptive_avgpool({output})").Layer("0");
        Assert.Equal(input == output ? 1 : widest, pool.ReceptiveField.Size.H);
    }

    [Fact]
    public void Linear_after_flatten()
    {
        var model = Model("model M input 16x5x5 = flatten -> linear(120) -> linear(10, bias: false)");
        Assert.Equal(new long[] { 400 }, Dims(model.Layer("0").Output));
        Assert.Equal(400 * 120 + 120, model.Layer("1").Parameters);
        Assert.Equal(400 * 120, model.Layer("1").MultiplyAdds);
        Assert.Equal(120 * 10, model.Layer("2").Parameters);
        Assert.Equal(new long[] { 10 }, Dims(model.Output));
    }

    [Fact]
    public void Batch_norm_2d_and_1d_have_weight_bias_and_three_buffers()
    {
        var model = Model("model M input 3x8x8 = conv(16, 3) -> batchnorm -> flatten -> linear(32) -> batchnorm(eps: 0.001, momentum: 0.01)");
        var bn2d = model.Layer("1");
        Assert.Equal("BatchNorm2d", bn2d.TypeName);
        Assert.Equal(2 * 16, bn2d.Parameters);
        Assert.Equal(2 * 16 + 1, bn2d.Buffers);
        Assert.Equal(new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" }, bn2d.Tensors.Select(t => t.Name));
        var bn1d = model.Layer("4");
        Assert.Equal("BatchNorm1d", bn1d.TypeName);
        Assert.Equal(2 * 32, bn1d.Parameters);
        Assert.Equal(2 * 32 + 1, bn1d.Buffers);
        Assert.Equal(0, bn1d.MultiplyAdds);
        Assert.Equal(2 * 16 + 2 * 32, model.Parameters - (16 * 27 + 16) - (16 * 6 * 6 * 32 + 32));
        Assert.Equal(2 * 16 + 1 + 2 * 32 + 1, model.Buffers);
    }

    [Fact]
    public void Local_response_norm_keeps_the_shape_and_owns_nothing()
    {
        var lrn = Model("model M input 96x55x55 = lrn(5, alpha: 0.0001, beta: 0.75, k: 2)").Layer("0");
        Assert.Equal("LocalResponseNorm", lrn.TypeName);
        Assert.Equal(new long[] { 96, 55, 55 }, Dims(lrn.Output));
        Assert.Empty(lrn.Tensors);
        Assert.Equal(Pair.Square(1), lrn.ReceptiveField.Size);
    }

    [Fact]
    public void Pad_same_keeps_height_and_width()
    {
        var model = Model("model M input 3x10x9 = conv(8, 5, pad: same) -> conv(8, 3, dilation: 2, pad: same) -> conv(4, [1, 3], pad: same)");
        Assert.Equal(new long[] { 8, 10, 9 }, Dims(model.Layer("0").Output));
        Assert.Equal(new Pair(2, 2), ((Conv2dSpec)model.Layer("0").Spec!).Padding); // (5 - 1) / 2
        Assert.Equal(new Pair(2, 2), ((Conv2dSpec)model.Layer("1").Spec!).Padding); // 2 * (3 - 1) / 2
        Assert.Equal(new Pair(0, 1), ((Conv2dSpec)model.Layer("2").Spec!).Padding);
        Assert.Equal(new long[] { 4, 10, 9 }, Dims(model.Output));
        Assert.Equal(new long[] { 8, 6, 5 }, Dims(Model("model M input 3x10x9 = conv(8, 5, pad: valid)").Output));
    }

    [Fact]
    public void Pointwise_layers_keep_the_shape()
    {
        var model = Model("model M input 3x4x4 = relu -> sigmoid -> tanh -> dropout(0.2) -> flatten -> softmax");
        Assert.All(model.Layers.Take(4), l => Assert.Equal(new long[] { 3, 4, 4 }, Dims(l.Output)));
        Assert.Equal(new[] { "ReLU", "Sigmoid", "Tanh", "Dropout", "Flatten", "Softmax" }, model.Layers.Select(l => l.TypeName));
        Assert.Equal(new long[] { 48 }, Dims(model.Output));
        Assert.Equal(0, model.Parameters);
    }

    [Fact]
    public void Receptive_field_grows_with_dilation_and_effective_padding()
    {
        // conv k3 d2 p2: rf 1 + (5 - 1) * 1 = 5, jump 1, pad 2. maxpool 2: rf 6, jump 2.
        // conv k3 s2 p1: rf 6 + 2 * 2 = 10, jump 4, pad 2 + 1 * 2 = 4.
        var model = Model("model M input 1x32x32 = conv(4, 3, dilation: 2, pad: 2) -> maxpool(2) -> conv(4, 3, stride: 2, pad: 1)");
        Assert.Equal(Pair.Square(5), model.Layer("0").ReceptiveField.Size);
        var last = model.Layer("2").ReceptiveField;
        Assert.Equal(Pair.Square(10), last.Size);
        Assert.Equal(Pair.Square(4), last.Stride);
        Assert.Equal(Pair.Square(4), last.Padding);
    }
    // ---- Transposed convolution, upsampling -------------------------------------------------
    // PyTorch's ConvTranspose2d: out = (in - 1) * s - 2p + d(k - 1) + output_pad + 1.

    [Theory]
    [InlineData(16, 4, 2, 1, 0, 1, 32)]  // (16-1)*2 - 2 + 3 + 0 + 1 = 32: the usual x2 upsampler
    [InlineData(32, 3, 2, 1, 0, 1, 63)]  // (32-1)*2 - 2 + 2 + 1 = 63 ...
    [InlineData(32, 3, 2, 1, 1, 1, 64)]  // ... and output_pad 1 makes it 64, the inverse of a stride-2 conv
    [InlineData(7, 3, 1, 0, 0, 2, 11)]   // (7-1)*1 - 0 + 2*2 + 1 = 11
    [InlineData(1, 1, 1, 0, 0, 1, 1)]
    public void Conv_transpose_output_size(int input, int kernel, int stride, int pad, int outputPad, int dilation, long expected)
    {
        var source = $"model M input 4x{input}x{input} = conv_transpose(2, {kernel}, stride: {stride}, pad: {pad}, output_pad: {outputPad}, dilation: {dilation})";
        Assert.Equal(new long[] { 2, expected, expected }, Dims(Model(source).Output));
    }

    [Fact]
    public void Conv_transpose_weights_and_multiply_adds()
    {
        var layer = Model("model M input 16x16x16 = conv_transpose(8, 4, stride: 2, pad: 1)").Layer("0");
        Assert.Equal("ConvTranspose2d", layer.TypeName);
        Assert.Equal(new long[] { 8, 32, 32 }, Dims(layer.Output));
        // PyTorch's layout: weight [in, out / groups, kh, kw], bias [out].
        Assert.Equal(new long[] { 16, 8, 4, 4 }, layer.Tensors[0].Shape);
        Assert.Equal(16 * 8 * 16 + 8, layer.Parameters);
        // Each input position scatters into out/groups * k * k outputs: 16*16*16 * 8 * 16.
        Assert.Equal(16L * 16 * 16 * 8 * 16, layer.MultiplyAdds);

        var grouped = Model("model M input 16x5x5 = conv_transpose(8, 3, groups: 4, bias: false)").Layer("0");
        Assert.Equal(new long[] { 16, 2, 3, 3 }, grouped.Tensors.Single().Shape);
        Assert.Equal(new long[] { 8, 7, 7 }, Dims(grouped.Output)); // 4 + 2 + 1
        Assert.Equal(16L * 5 * 5 * 2 * 9, grouped.MultiplyAdds);
    }

    [Fact]
    public void Upsample_multiplies_height_and_width_and_costs_nothing()
    {
        var model = Model("model M input 3x8x8 = upsample -> upsample(scale: [2, 3], mode: bilinear, align_corners: true) -> upsample(3, mode: nearest)");
        Assert.Equal(new long[] { 3, 16, 16 }, Dims(model.Layer("0").Output)); // scale 2, nearest by default
        Assert.Equal(new long[] { 3, 32, 48 }, Dims(model.Layer("1").Output));
        Assert.Equal(new long[] { 3, 96, 144 }, Dims(model.Output));
        Assert.All(model.Layers, l => Assert.Equal("Upsample", l.TypeName));
        Assert.Equal(UpsampleMode.Bilinear, ((UpsampleSpec)model.Layer("1").Spec!).Mode);
        Assert.True(((UpsampleSpec)model.Layer("1").Spec!).AlignCorners);
        Assert.Equal(0, model.Parameters);
        Assert.Equal(0, model.MultiplyAdds);
    }

    // ---- Branches and merges ---------------------------------------------------------------

    [Fact]
    public void Concat_adds_up_channels_and_keeps_height_and_width()
    {
        var model = Model("model M input 16x8x8 = concat [conv(8, 1), conv(4, 3, pad: 1) -> conv(6, 3, pad: 1), maxpool(3, stride: 1, pad: 1)]");
        Assert.Equal(new long[] { 8 + 6 + 16, 8, 8 }, Dims(model.Output)); // the pool passes 16 channels through
        Assert.Equal("Concat", model.Merge("").TypeName);
        // Parameters and multiply-adds are the branches' sums; the join itself costs nothing.
        long conv1 = 8 * 16 + 8, conv2 = 4 * 16 * 9 + 4, conv3 = 6 * 4 * 9 + 6;
        Assert.Equal(conv1 + conv2 + conv3, model.Parameters);
        Assert.Equal(64L * (8 * 16 + 4 * 16 * 9 + 6 * 4 * 9), model.MultiplyAdds);
        // Features concatenate too.
        Assert.Equal(new long[] { 10 }, Dims(Model("model M input 2x2x2 = flatten -> concat [linear(4), linear(6)]").Output));
    }

    [Fact]
    public void Dense_joins_its_body_to_its_input_so_channels_add_up()
    {
        var model = Model("model M input 16x8x8 = dense(batchnorm -> relu -> conv(12, 3, pad: 1)) -> dense(conv(12, 3, pad: 1))");
        // 16 in; the first body adds 12: 28; the second sees 28 and adds 12: 40.
        Assert.Equal(new long[] { 12, 8, 8 }, Dims(model.Layer("2").Output)); // the body's own output
        Assert.Equal(new long[] { 28, 8, 8 }, Dims(model.Layer("3").Input));
        Assert.Equal(new long[] { 40, 8, 8 }, Dims(model.Output));
        Assert.Equal(2 * 16 + (12 * 16 * 9 + 12) + (12 * 28 * 9 + 12), model.Parameters);
        Assert.Equal(new long[] { 12, 28, 3, 3 }, model.Layer("3").Tensors[0].Shape);
    }

    [Fact]
    public void A_residual_keeps_the_body_shape_and_a_projection_takes_the_stride_torch_would()
    {
        var same = Model("model M input 8x8x8 = residual(conv(8, 3, pad: 1) -> relu -> conv(8, 3, pad: 1))");
        Assert.Equal(new long[] { 8, 8, 8 }, Dims(same.Output));
        Assert.Equal(2 * (8 * 8 * 9 + 8), same.Parameters); // the identity shortcut and the addition own nothing
        Assert.Null(same.Merge("").Shortcut);

        // 9x9 -> 5x5: a 1x1 conv of stride 2 gives floor((9 - 1) / 2) + 1 = 5, as torchvision's
        // downsample does on odd sizes (ResNet on a 100x100 input reaches 25x25 -> 13x13 in layer2).
        var odd = Model("model M input 8x9x9 = residual(conv(16, 3, stride: 2, pad: 1) -> batchnorm, shortcut: projection)");
        var projection = odd.Layer("downsample.0");
        Assert.Equal(Pair.Square(2), ((Conv2dSpec)projection.Spec!).Stride);
        Assert.Equal(new long[] { 16, 5, 5 }, Dims(projection.Output));
        Assert.Equal(16 * 8, projection.Parameters); // bias-free
        Assert.Equal(16L * 8 * 5 * 5, projection.MultiplyAdds);

        // Different sizes per axis need one stride that fits both: 8 -> 2 takes 4..7, 9 -> 2 takes 5..8.
        var mixed = Model("model M input 8x8x9 = residual(conv(16, [7, 8]) -> batchnorm, shortcut: projection)");
        Assert.Equal(Pair.Square(5), ((Conv2dSpec)mixed.Layer("downsample.0").Spec!).Stride);

        // Channels alone changing: a stride-1 projection.
        var widened = Model("model M input 8x4x4 = residual(conv(16, 1), shortcut: projection)");
        Assert.Equal(Pair.Square(1), ((Conv2dSpec)widened.Layer("downsample.0").Spec!).Stride);
    }

    [Fact]
    public void Resnet_runs_on_inputs_that_32_does_not_divide()
    {
        // 100x100: conv1 -> 50, maxpool -> 25, layer2 -> 13, layer3 -> 7, layer4 -> 4.
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "architectures", "resnet.cnn"))
            + "\nmodel Small input 3x100x100 = resnet(basic, [2, 2, 2, 2])\n";
        var model = Assert.Single(CompileClean(text).Models, m => m.Name == "Small");
        Assert.Equal(new long[] { 128, 13, 13 }, Dims(model.Layer("layer2").Output));
        Assert.Equal(new long[] { 512, 4, 4 }, Dims(model.Layer("layer4").Output));
        Assert.Equal(11_689_512, model.Parameters); // the same weights as at 224x224
    }

    [Fact]
    public void An_aux_head_reads_the_passing_tensor_and_leaves_it()
    {
        var model = Model("model M input 8x4x4 = conv(8, 3, pad: 1) -> head: aux(flatten -> linear(10)) -> flatten -> fc: linear(5)");
        var head = model.Layer("head");
        Assert.Equal(new long[] { 8, 4, 4 }, Dims(head.Input));
        Assert.Equal(new long[] { 10 }, Dims(head.Output));
        Assert.Equal(new long[] { 8, 4, 4 }, Dims(model.Layer("flatten").Input)); // the main path goes on from the conv
        Assert.Equal(new long[] { 5 }, Dims(model.Output));
        // conv 8*8*9 + 8 = 584 and fc 128*5 + 5 = 645 are the model's; the head's 128*10 + 10 are apart.
        Assert.Equal(584 + 645, model.Parameters);
        Assert.Equal(1_290, model.AuxiliaryParameters);
        Assert.Equal(16L * 8 * 8 * 9 + 128 * 5, model.MultiplyAdds);
        Assert.Contains("head.1.weight", model.Keys());
    }

    // ---- LeNet-1998 layers, global pooling, identity ----------------------------------------

    [Fact]
    public void Global_avgpool_identity_and_scaled_tanh()
    {
        var model = Model("model M input 32x7x5 = scaled_tanh -> identity -> scaled_tanh(1.0, 0.5) -> global_avgpool");
        Assert.Equal(new[] { "ScaledTanh", "Identity", "ScaledTanh", "AdaptiveAvgPool2d" }, model.Layers.Select(l => l.TypeName));
        Assert.Equal(new long[] { 32, 7, 5 }, Dims(model.Layer("2").Output));
        Assert.Equal(new long[] { 32, 1, 1 }, Dims(model.Output));
        Assert.Equal(0, model.Parameters);
        var squash = (ScaledTanhSpec)model.Layer("0").Spec!;
        Assert.Equal(1.7159, squash.Amplitude);
        Assert.Equal(2.0 / 3.0, squash.Slope);
    }

    [Fact]
    public void Subsample_pools_with_a_trainable_coefficient_and_bias_per_channel()
    {
        var model = Model("model M input 6x28x28 = subsample -> subsample(3, stride: 2)");
        Assert.Equal(new long[] { 6, 14, 14 }, Dims(model.Layer("0").Output));
        Assert.Equal(new long[] { 6, 6, 6 }, Dims(model.Output)); // (14 - 3) / 2 + 1
        Assert.Equal(2 * 6, model.Layer("0").Parameters);
        Assert.Equal(new[] { "weight", "bias" }, model.Layer("0").Tensors.Select(t => t.Name));
        Assert.Equal(6 * 14 * 14, model.Layer("0").MultiplyAdds); // one multiply per output element
        Assert.Equal(Pair.Square(2), model.Layer("0").ReceptiveField.Size);
    }

    [Fact]
    public void Rbf_output_keeps_fixed_codes_as_a_buffer()
    {
        var rbf = Model("model M input 84x1x1 = flatten -> rbf(10)").Layer("1");
        Assert.Equal("RbfOutput", rbf.TypeName);
        Assert.Equal(new long[] { 10 }, Dims(rbf.Output));
        Assert.Equal(0, rbf.Parameters);
        Assert.Equal(840, rbf.Buffers);
        Assert.Equal(new long[] { 10, 84 }, rbf.Tensors.Single().Shape);
        Assert.Equal(84 * 10, rbf.MultiplyAdds);
        Assert.Equal("CNN0033", Assert.Single(Compile("model M input 84x1x1 = rbf(10)").Diagnostics).Code);
    }

    [Fact]
    public void A_connection_table_owns_weights_for_its_connections_only()
    {
        // Output map 0 sees input 0; map 1 sees 0 and 1; map 2 sees 1: 4 connections.
        var conv = Model("model M input 2x5x5 = conv(3, 3, connections: [[0], [0, 1], [1]])").Layer("0");
        Assert.Equal("PartialConv2d", conv.TypeName);
        Assert.Equal(new long[] { 3, 3, 3 }, Dims(conv.Output));
        Assert.Equal(new long[] { 4, 3, 3 }, conv.Tensors[0].Shape); // [connections, kh, kw]
        Assert.Equal(4 * 9 + 3, conv.Parameters);
        Assert.Equal(3L * 3 * 4 * 9, conv.MultiplyAdds); // output positions x connections x kernel
        // A full table is an ordinary convolution's count.
        var full = Model("model M input 2x5x5 = conv(3, 3, connections: [[0, 1], [0, 1], [0, 1]])").Layer("0");
        Assert.Equal(Model("model M input 2x5x5 = conv(3, 3)").Parameters, full.Parameters);
    }

    // ---- Receptive field through branches -----------------------------------------------------

    [Fact]
    public void Receptive_field_of_a_concat_is_its_widest_branch()
    {
        // Branches: 1x1 (size 1), two 3x3 (size 5), 3x3 pool (size 3). The concat takes 5, and the
        // 3x3 conv after it grows that to 7. Nothing is labeled: members are numbered through the
        // concat, so the conv after it is `3`.
        var model = Model("model M input 4x8x8 = concat [conv(2, 1), conv(2, 3, pad: 1) -> conv(2, 3, pad: 1), maxpool(3, stride: 1, pad: 1)] -> conv(4, 3, pad: 1)");
        Assert.Equal(Pair.Square(5), model.Merge("").ReceptiveField.Size);
        Assert.Equal(Pair.Square(2), model.Merge("").ReceptiveField.Padding);
        Assert.Equal(Pair.Square(7), model.Layer("3").ReceptiveField.Size);
    }

    [Fact]
    public void Receptive_field_of_residual_and_dense_is_the_bodys_path()
    {
        // conv 3/2 p1: size 3, jump 2, pad 1; conv 3 p1: size 3 + 2*2 = 7, pad 1 + 2 = 3.
        var residual = Model("model M input 4x16x16 = residual(conv(8, 3, stride: 2, pad: 1) -> conv(8, 3, pad: 1), shortcut: projection)");
        var field = residual.Merge("").ReceptiveField;
        Assert.Equal((Pair.Square(7), Pair.Square(2), Pair.Square(3)), (field.Size, field.Stride, field.Padding));
        Assert.Equal(Pair.Square(1), residual.Layer("downsample").ReceptiveField.Size); // the shortcut's own is not the block's

        var dense = Model("model M input 4x8x8 = dense(conv(4, 3, pad: 1) -> conv(4, 3, pad: 1))");
        Assert.Equal(Pair.Square(5), dense.Merge("").ReceptiveField.Size);
    }

    [Fact]
    public void Conv_transpose_and_upsample_fields_are_followed_position_by_position()
    {
        var model = Model("model M input 4x8x8 = conv(4, 3, stride: 2, pad: 1) -> conv_transpose(4, 4, stride: 2, pad: 1) -> upsample -> conv(4, 3, pad: 1)");
        // conv: position q of 4 sees pixels 2q - 1 to 2q + 1 (3, stride 2, padding 1).
        Assert.Equal((Pair.Square(3), Pair.Square(2), Pair.Square(1)), Field(model.Layer("0")));
        // conv_transpose, 4 -> 8: output o receives input i where o = 2i - 1 + t, t in 0..3: o = 0
        // gets {0}, o = 1 and 2 get {0, 1}, o = 3 and 4 {1, 2}, ... o = 7 {3}. Two neighbouring
        // conv positions: pixels -1 to 3, 5 wide; the starts step by 0 or 2.
        Assert.Equal((Pair.Square(5), Pair.Square(2), Pair.Square(1)), Field(model.Layer("1")));
        // Nearest upsampling repeats each position twice: the same windows, a step of at most 2.
        Assert.Equal(Pair.Square(5), model.Layer("2").ReceptiveField.Size);
        // conv 3, pad 1: output o reads upsampled o - 1 to o + 1, transposed positions
        // (o - 1) / 2 to (o + 1) / 2: for o = 3, positions 1 and 2, pixels -1 to 5: 7 wide.
        Assert.Equal(Pair.Square(7), model.Layer("3").ReceptiveField.Size);
    }

    private static (Pair Size, Pair Stride, Pair Padding) Field(LayerInfo layer) =>
        (layer.ReceptiveField.Size, layer.ReceptiveField.Stride, layer.ReceptiveField.Padding);
}
