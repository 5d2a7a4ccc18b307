using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Runtime.Interpreter;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace CnnDsl.Models.Tests;

/// <summary>Receptive fields are exact through layers whose windows are not uniform (adaptive
/// pooling in either direction, upsampling, transposed convolution) as through uniform ones,
/// and never larger than the input allows. The reference is independent of the analysis: the
/// input pixels whose gradient is not zero for each output position of the model built by
/// libtorch, all its weights set to 1 and its input positive, so that nothing cancels.</summary>
public sealed class ReceptiveFieldTests : IClassFixture<TorchFixture>
{
    [Theory]
    // The issue's case. Adaptive pooling 3 -> 5 averages pixels {0}, {0,1}, {1}, {1,2}, {2}; the
    // conv's outputs see bins 0-2, 1-3 and 2-4: pixels {0,1}, {0,1,2}, {1,2}. Field 3 (not 4).
    [InlineData("adaptive_avgpool(5) -> conv(2, 3)", 2, 3, 3, 3)]
    [InlineData("adaptive_avgpool(5)", 2, 3, 3, 2)]
    // Nearest upsampling by 2 repeats each pixel twice: three neighbours span two pixels.
    [InlineData("upsample(2) -> conv(1, 3)", 1, 4, 4, 2)]
    // Transposed, stride 2, kernel 3: an even output gets two inputs, an odd one one.
    [InlineData("conv_transpose(1, 3, stride: 2)", 1, 4, 4, 2)]
    // Adaptive pooling 7 -> 3 averages [0, 3), [2, 5), [4, 7): a conv over all three sees all 7.
    [InlineData("adaptive_avgpool(3) -> conv(1, 3)", 1, 7, 7, 7)]
    // Softmax over the rows: each output sees its whole column (4 pixels high); over the columns,
    // one row.
    [InlineData("softmax(dim: 2)", 1, 4, 4, 4)]
    [InlineData("softmax(dim: 3)", 1, 4, 4, 1)]
    [InlineData("softmax(dim: 2) -> conv(1, 3)", 1, 6, 6, 6)]
    public void Hand_computed_fields(string layers, long channels, long height, long width, long field)
    {
        var model = Model(layers, channels, height, width);

        Assert.Equal(field, model.Output.IsImage ? model.Root.ReceptiveField.Size.H : -1);
        Assert.Equal(field, Measured(model).H);
    }

    /// <summary>Random chains of the layers whose windows are uneven, and uniform ones between
    /// them, without padding (a padded position adds to the seed formula's field but not to any
    /// gradient): the analysed field equals the measured one on both axes.</summary>
    [Fact]
    public void Random_chains_have_the_field_their_gradients_show()
    {
        var random = new Random(1313);
        var checkedModels = 0;
        for (var attempt = 0; attempt < 400 && checkedModels < 60; attempt++)
        {
            var layers = Enumerable.Range(0, random.Next(1, 5)).Select(_ => RandomLayer(random)).ToList();
            var text = string.Join(" -> ", layers);
            var result = CnnCompiler.Compile("rf.cnn", $"model R input 1x{random.Next(3, 10)}x{random.Next(3, 10)} = {text}");
            if (result.HasErrors) continue;
            var model = result.Models.Single();
            if (model.Root.ReceptiveField.Global || model.Output.Height * model.Output.Width > 144) continue;

            var measured = Measured(model);
            Assert.True(model.Root.ReceptiveField.Size == measured,
                $"{model.Input} -> {text}: analysed {model.Root.ReceptiveField.Size}, gradients show {measured}");
            Assert.True(measured.H <= model.Input.Height && measured.W <= model.Input.Width);
            checkedModels++;
        }

        Assert.True(checkedModels >= 60, $"only {checkedModels} random models were accepted");
    }

    private static string RandomLayer(Random random) => random.Next(6) switch
    {
        0 => $"conv(1, {random.Next(1, 4)}, stride: {random.Next(1, 3)}, dilation: {random.Next(1, 3)})",
        1 => $"avgpool({random.Next(1, 4)}, stride: {random.Next(1, 3)})",
        2 => $"adaptive_avgpool([{random.Next(2, 8)}, {random.Next(2, 8)}])",
        3 => $"upsample({random.Next(1, 4)}, mode: nearest)",
        4 => $"upsample({random.Next(1, 4)}, mode: bilinear, align_corners: {(random.Next(2) == 0 ? "true" : "false")})",
        _ => $"conv_transpose(1, {random.Next(1, 4)}, stride: {random.Next(1, 4)})",
    };

    private static ModelInfo Model(string layers, long channels, long height, long width)
    {
        var result = CnnCompiler.Compile("rf.cnn", $"model R input {channels}x{height}x{width} = {layers}");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Models.Single();
    }

    /// <summary>The widest rows and columns of input pixels any output position depends on.</summary>
    private static Dsl.Layers.Pair Measured(ModelInfo model)
    {
        using var scope = NewDisposeScope();
        using var module = new InterpretedModel(model);
        using (no_grad())
        {
            foreach (var parameter in module.parameters()) parameter.fill_(1);
        }

        var input = rand(new long[] { 1 }.Concat(model.Input.Dimensions).ToArray()).add_(0.5).requires_grad_(true);
        var output = module.forward(input);
        long rows = 0, columns = 0;
        for (var h = 0L; h < output.shape[2]; h++)
        {
            for (var w = 0L; w < output.shape[3]; w++)
            {
                // The input's gradient, 1 x C x H x W, summed over the batch and the channels: H x W.
                var gradient = autograd.grad(new[] { output[0, 0, h, w] }, new[] { input }, retain_graph: true)[0];
                var seen = gradient.abs().sum(new long[] { 0, 1 }).gt(0);
                rows = Math.Max(rows, Extent(seen.any(1)));
                columns = Math.Max(columns, Extent(seen.any(0)));
            }
        }

        return new Dsl.Layers.Pair(rows, columns);
    }

    private static long Extent(Tensor mask)
    {
        var indices = mask.nonzero().flatten();
        return indices.numel() == 0 ? 0 : indices.max().item<long>() - indices.min().item<long>() + 1;
    }
}
