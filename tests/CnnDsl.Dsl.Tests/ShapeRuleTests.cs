using System;
using System.Linq;
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
}
