using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnDsl.Dsl;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CnnDsl.Models.Tests;

/// <summary>The language accepts a layer exactly when libtorch does, with the same output shape:
/// for each layer kind, a grid of options and input sizes is checked by the Dsl (a one-layer
/// model compiled from text, so the language's own argument rules count too) and run by libtorch
/// through TorchSharp's modules, built here from the options directly (not from the Dsl's
/// recipes). Shapes and refusals do not depend on libtorch's convolution arithmetic, which is
/// wrong on these machines for some channel counts (DESIGN.md), so libtorch is the reference for them.</summary>
public sealed class AcceptanceTests : IClassFixture<TorchFixture>
{
    private readonly ITestOutputHelper _output;

    public AcceptanceTests(ITestOutputHelper output) => _output = output;

    /// <summary>One case: the layer as the language writes it, the input (C, H, W), and how
    /// libtorch builds and runs the same layer; null where libtorch 2.10 would end the process
    /// instead of refusing (see the transposed convolution's cases), which counts as a refusal.</summary>
    private sealed record Case(string Layer, long C, long H, long W, Func<nn.Module<Tensor, Tensor>>? Build);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string B(bool value) => value ? "true" : "false";

    private static IEnumerable<long> Sizes(int max) => Enumerable.Range(1, max).Select(i => (long)i);

    public static IEnumerable<object[]> Kinds() => new[]
    {
        "maxpool", "avgpool", "conv", "conv_transpose", "adaptive_avgpool", "upsample", "lrn", "softmax", "other",
    }.Select(k => new object[] { k });

    private static IEnumerable<Case> Cases(string kind)
    {
        switch (kind)
        {
            case "maxpool":
                foreach (var k in Sizes(4)) foreach (var s in Sizes(3)) foreach (var p in new long[] { 0, 1, 2, 3 })
                    foreach (var d in Sizes(3)) foreach (var ceil in new[] { false, true }) foreach (var h in Sizes(7))
                    {
                        yield return new Case($"maxpool({N(k)}, stride: {N(s)}, pad: {N(p)}, dilation: {N(d)}, ceil: {B(ceil)})", 1, h, h,
                            () => nn.MaxPool2d((k, k), (s, s), (p, p), (d, d), ceil));
                    }

                // The issue's cases: PyTorch allows padding up to half the kernel, whatever the dilation.
                yield return new Case("maxpool(3, stride: 2, pad: 2, dilation: 10)", 1, 100, 100, () => nn.MaxPool2d((3, 3), (2, 2), (2, 2), (10, 10), false));
                yield return new Case("maxpool(2, dilation: 3, pad: 2)", 1, 9, 9, () => nn.MaxPool2d((2, 2), (2, 2), (2, 2), (3, 3), false));
                yield return new Case("maxpool([3, 2], stride: [1, 2], pad: [1, 1])", 2, 5, 6, () => nn.MaxPool2d((3, 2), (1, 2), (1, 1), (1, 1), false));
                break;
            case "avgpool":
                foreach (var k in Sizes(4)) foreach (var s in Sizes(3)) foreach (var p in new long[] { 0, 1, 2, 3 })
                    foreach (var ceil in new[] { false, true }) foreach (var include in new[] { false, true }) foreach (var h in Sizes(7))
                    {
                        yield return new Case($"avgpool({N(k)}, stride: {N(s)}, pad: {N(p)}, ceil: {B(ceil)}, count_include_pad: {B(include)})", 1, h, h,
                            () => nn.AvgPool2d((k, k), (s, s), (p, p), ceil, include));
                    }

                break;
            case "conv":
                foreach (var c in new long[] { 1, 2, 4 }) foreach (var o in new long[] { 2, 3 }) foreach (var g in new long[] { 1, 2 })
                    foreach (var k in Sizes(4)) foreach (var s in Sizes(2)) foreach (var p in new long[] { 0, 1, 2 })
                        foreach (var d in Sizes(2)) foreach (var h in Sizes(5))
                        {
                            yield return new Case($"conv({N(o)}, {N(k)}, stride: {N(s)}, pad: {N(p)}, dilation: {N(d)}, groups: {N(g)})", c, h, h,
                                () => nn.Conv2d(c, o, (k, k), (s, s), (p, p), (d, d), groups: g));
                        }

                // `pad: same` at stride 1 and an odd effective kernel (the only kind the language
                // accepts; see Pad_same_with_an_even_window_is_refused_by_design).
                foreach (var k in new long[] { 1, 3, 5 }) foreach (var d in Sizes(2)) foreach (var h in Sizes(4))
                {
                    yield return new Case($"conv(2, {N(k)}, pad: same, dilation: {N(d)})", 1, h, h, () => nn.Conv2d(1, 2, (k, k), dilation: (d, d), padding: Padding.Same));
                }

                break;
            case "conv_transpose":
                foreach (var k in Sizes(3)) foreach (var s in Sizes(3)) foreach (var p in new long[] { 0, 1, 2 })
                    foreach (var op in new long[] { 0, 1, 2 }) foreach (var d in Sizes(2)) foreach (var h in Sizes(4))
                    {
                        // PyTorch refuses an output size below 1 ("Output size is too small", checked
                        // with PyTorch 1.13: 1x1 input, kernel 1, stride 2, pad 1, output_pad 1 gives 0);
                        // libtorch 2.10 on these machines aborts the process on it from oneDNN ("could not
                        // construct a memory descriptor"), so the size is computed here by PyTorch's formula.
                        var size = (h - 1) * s - 2 * p + d * (k - 1) + op + 1;
                        yield return new Case($"conv_transpose(2, {N(k)}, stride: {N(s)}, pad: {N(p)}, output_pad: {N(op)}, dilation: {N(d)})", 2, h, h,
                            size < 1 ? null : () => nn.ConvTranspose2d(2, 2, (k, k), (s, s), (p, p), (op, op), (d, d)));
                    }

                break;
            case "adaptive_avgpool":
                foreach (var size in Sizes(6)) foreach (var h in Sizes(6))
                {
                    yield return new Case($"adaptive_avgpool({N(size)})", 2, h, h + 1, () => nn.AdaptiveAvgPool2d((size, size)));
                }

                break;
            case "upsample":
                // align_corners given or not: PyTorch refuses it with nearest even when false.
                foreach (var scale in Sizes(3)) foreach (var bilinear in new[] { false, true }) foreach (var align in new bool?[] { null, false, true }) foreach (var h in Sizes(3))
                {
                    var mode = bilinear ? UpsampleMode.Bilinear : UpsampleMode.Nearest;
                    var option = align is { } given ? $", align_corners: {B(given)}" : "";
                    yield return new Case($"upsample({N(scale)}, mode: {(bilinear ? "bilinear" : "nearest")}{option})", 2, h, h + 1,
                        () => nn.Upsample(scale_factor: new double[] { scale, scale }, mode: mode, align_corners: align));
                }

                break;
            case "lrn":
                foreach (var size in Sizes(4)) foreach (var c in Sizes(3))
                {
                    yield return new Case($"lrn({N(size)})", c, 3, 3, () => nn.LocalResponseNorm(size));
                }

                break;
            case "softmax":
                foreach (var dim in Sizes(4))
                {
                    yield return new Case($"softmax(dim: {N(dim)})", 2, 3, 3, () => nn.Softmax(dim));
                    yield return new Case($"flatten -> softmax(dim: {N(dim)})", 2, 3, 3, () => nn.Sequential(nn.Flatten(), nn.Softmax(dim)));
                }

                break;
            default:
                foreach (var h in Sizes(3))
                {
                    yield return new Case("batchnorm", 2, h, h, () => nn.BatchNorm2d(2));
                    yield return new Case("flatten -> batchnorm", 2, h, h, () => nn.Sequential(nn.Flatten(), nn.BatchNorm1d(2 * h * h)));
                    yield return new Case("flatten -> linear(3)", 2, h, h, () => nn.Sequential(nn.Flatten(), nn.Linear(2 * h * h, 3)));
                    yield return new Case("global_avgpool", 2, h, h, () => nn.AdaptiveAvgPool2d(1));
                    yield return new Case("dropout(0.3) -> relu -> sigmoid -> tanh -> identity", 2, h, h,
                        () => nn.Sequential(nn.Dropout(0.3), nn.ReLU(), nn.Sigmoid(), nn.Tanh(), nn.Identity()));
                }

                break;
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_language_accepts_a_layer_exactly_when_libtorch_does_with_the_same_shape(string kind)
    {
        var differences = new List<string>();
        var count = 0;
        foreach (var c in Cases(kind))
        {
            count++;
            var dsl = Dsl(c);
            var torch = Torch(c);
            if (dsl != torch) differences.Add($"{c.Layer} on {c.C}x{c.H}x{c.W}: the language gives {dsl}, libtorch {torch}");
        }

        _output.WriteLine($"{count} cases of {kind}");
        Assert.True(differences.Count == 0, $"{differences.Count} of {count} differ:\n" + string.Join("\n", differences.Take(30)));
    }

    [Theory]
    [InlineData("conv(2, 2, pad: same)")]
    [InlineData("conv(2, 4, pad: same)")]
    [InlineData("maxpool(2, stride: 1, pad: same)")]
    public void Pad_same_with_an_even_window_is_refused_by_design(string layer)
    {
        // PyTorch pads an even window more on one side; the language's padding is symmetric, so
        // it asks for the padding to be written out (CNN0035), and says why.
        var result = CnnCompiler.Compile("same.cnn", $"model M input 1x6x6 = {layer}");

        Assert.Equal("CNN0035", Assert.Single(result.Diagnostics).Code);
    }

    /// <summary>"refused", or the output shape of one sample.</summary>
    private static string Dsl(Case c)
    {
        var result = CnnCompiler.Compile("case.cnn", $"model M input {c.C}x{c.H}x{c.W} = {c.Layer}");
        return result.HasErrors ? "refused" : string.Join("x", result.Models.Single().Output.Dimensions);
    }

    private static string Torch(Case c)
    {
        if (c.Build is null) return "refused";
        using var scope = NewDisposeScope();
        try
        {
            using var module = c.Build();
            module.eval();
            using var _ = no_grad();
            var output = module.forward(zeros(2, c.C, c.H, c.W));
            return string.Join("x", output.shape.Skip(1));
        }
        catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or ArgumentException or InvalidOperationException)
        {
            return "refused";
        }
    }
}
