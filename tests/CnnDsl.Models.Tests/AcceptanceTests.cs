using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Merges;
using CnnDsl.Dsl.Semantics;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CnnDsl.Models.Tests;

/// <summary>The language accepts a layer exactly when libtorch does, with the same output shape:
/// for every layer and every structure of the Dsl's catalogue (<see cref="LayerCatalog"/>,
/// <see cref="Evaluator.StructureNames"/> and <see cref="Structure"/>'s merges), a grid of options,
/// input sizes and layouts (C x H x W, features after <c>flatten</c>, channels-last after
/// <c>permute(0, 2, 3, 1)</c>) is checked by the Dsl (a model compiled from text, so the language's
/// own argument rules count too) and run by libtorch through TorchSharp's modules and tensor
/// operations, built here from the options directly (not from the Dsl's recipes). A kind of the
/// catalogue without grid cases fails: a new layer comes with its grid. Shapes and refusals do not
/// depend on libtorch's convolution arithmetic, which is wrong on these machines for some channel
/// counts (DESIGN.md), so libtorch is the reference for them.</summary>
/// <remarks>Where the language refuses what libtorch would run on purpose (a layer that needs
/// C x H x W given a channels-last map, sizes the language keeps at 1 or more, PyTorch's
/// broadcasting of a single number), the case says why, and only the refusal is checked. An output
/// with a size of 0 counts as a refusal: libtorch makes empty tensors where the language requires
/// every size to be at least 1.</remarks>
public sealed class AcceptanceTests : IClassFixture<TorchFixture>
{
    private readonly ITestOutputHelper _output;

    public AcceptanceTests(ITestOutputHelper output) => _output = output;

    /// <summary>What a layer's twin is built for: the layer's input without the batch, and its
    /// channels (what a PyTorch user passes as num_features: C of C x H x W, the features, or the
    /// last dimension of a channels-last map).</summary>
    private sealed record Dims(long[] Sizes, long Channels)
    {
        public long this[int index] => Sizes[index];

        public int Length => Sizes.Length;
    }

    private delegate nn.Module<Tensor, Tensor>? Twin(Dims input);

    /// <summary>One case: the layers as the language writes them, the input (C, H, W), and how
    /// libtorch builds and runs the same; a null build where libtorch 2.10 would end the process
    /// instead of refusing (see the transposed convolution's cases), which counts as a refusal.
    /// <see cref="Design"/>: why the language refuses this although libtorch would run it.</summary>
    private sealed record Case(string Layer, long C, long H, long W, Func<nn.Module<Tensor, Tensor>>? Build, string? Design = null);

    /// <summary>How a layer receives its input in a case: as the model's C x H x W map, as the
    /// features <c>flatten</c> makes of it, or as the channels-last map <c>permute(0, 2, 3, 1)</c>
    /// makes; <see cref="Dimensions"/> gives the layer's input without the batch.</summary>
    private sealed record Layout(string Name, string Prefix, Func<Tensor, Tensor> Apply, Func<long, long, long, Dims> Dimensions);

    private static readonly Layout Image = new("image", "", x => x, (c, h, w) => new(new[] { c, h, w }, c));
    private static readonly Layout Features = new("features", "flatten -> ", x => x.flatten(1), (c, h, w) => new(new[] { c * h * w }, c * h * w));
    private static readonly Layout ChannelsLast = new("channels-last", "permute(0, 2, 3, 1) -> ", x => x.permute(0, 2, 3, 1), (c, h, w) => new(new[] { h, w, c }, c));
    private static readonly Layout[] AllLayouts = { Image, Features, ChannelsLast };

    private const string NeedsChannelsFirst =
        "the layer works on dimension 1, the channels of a CxHxW map; on a channels-last map that is its rows (CNN0046)";

    private const string SizesFromOne = "the language keeps sizes at 1 or more (CNN0018), where libtorch makes an empty tensor or takes a negative";

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string B(bool value) => value ? "true" : "false";

    private static IEnumerable<long> Sizes(int max) => Enumerable.Range(1, max).Select(i => (long)i);

    /// <summary>The catalogue: every builtin layer and every structure of the language.</summary>
    public static IReadOnlyList<string> Catalogue() => LayerCatalog.Layers.Keys
        .Concat(Evaluator.StructureNames)
        .Concat(typeof(Structure).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(Structure))
            .Select(p => ((Structure)p.GetValue(null)!).Name))
        .Distinct()
        .OrderBy(k => k, StringComparer.Ordinal)
        .ToList();

    public static IEnumerable<object[]> Kinds() => Catalogue().Select(k => new object[] { k });

    /// <summary>A module that applies a tensor function: the twin of a layer or structure that
    /// PyTorch writes as tensor operations (torchvision's code) rather than as one module.</summary>
    private sealed class Lambda : nn.Module<Tensor, Tensor>
    {
        private readonly Func<Tensor, Tensor> _function;

        public Lambda(Func<Tensor, Tensor> function)
            : base(nameof(Lambda)) => _function = function;

        public override Tensor forward(Tensor input) => _function(input);
    }

    private static nn.Module<Tensor, Tensor> Fn(Func<Tensor, Tensor> function) => new Lambda(function);

    /// <summary>The cases of <paramref name="layer"/> on one input in one layout.</summary>
    private static Case On(Layout layout, string layer, long c, long h, long w, Twin twin, string? design = null)
    {
        var dimensions = layout.Dimensions(c, h, w);
        return new Case(layout.Prefix + layer, c, h, w, () =>
        {
            var module = twin(dimensions) ?? throw new ArgumentException("refused by PyTorch's documented rule");
            return nn.Sequential(Fn(layout.Apply), module);
        }, design);
    }

    /// <summary>A layer on each layout of a few inputs; on a channels-last map refused by design
    /// when it works on dimension 1 (<paramref name="channelsFirst"/>).</summary>
    private static IEnumerable<Case> Everywhere(string layer, Twin twin, bool channelsFirst = false, bool imageOnly = false)
    {
        foreach (var (c, h, w) in new (long, long, long)[] { (1, 1, 1), (2, 3, 3), (3, 2, 4), (4, 4, 2) })
        {
            yield return On(Image, layer, c, h, w, twin);
            if (imageOnly) continue;
            yield return On(Features, layer, c, h, w, twin);
            yield return On(ChannelsLast, layer, c, h, w, twin, channelsFirst ? NeedsChannelsFirst : null);
        }
    }

    /// <summary>Whether <c>add [conv(2, ka, pad: pa), conv(ob, kb)]</c> on 2 x h x h gives two
    /// valid branches of different sizes that PyTorch's broadcasting would still add.</summary>
    private static bool AddBroadcasts(long h, long ka, long pa, long ob, long kb)
    {
        if (h + 2 * pa < ka || h < kb || ob != 2) return false;
        var (a, b) = (h + 2 * pa - ka + 1, h - kb + 1);
        return a != b && (a == 1 || b == 1);
    }

    private static Tensor Filled(long channels, double value) => full(new long[] { channels, 1, 1 }, value);

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
                yield return new Case("maxpool(0)", 1, 4, 4, () => nn.MaxPool2d((0, 0), (1, 1)));
                yield return new Case("maxpool(2, stride: 0)", 1, 4, 4, () => nn.MaxPool2d((2, 2), (0, 0)));
                yield return new Case("maxpool(2, pad: -1)", 1, 4, 4, () => nn.MaxPool2d((2, 2), (2, 2), (-1, -1)));
                yield return new Case("maxpool(2, dilation: 0)", 1, 4, 4, () => nn.MaxPool2d((2, 2), (2, 2), (0, 0), (0, 0)));
                yield return On(Features, "maxpool(2)", 2, 2, 2, _ => nn.MaxPool2d((2, 2), (2, 2)));
                yield return On(ChannelsLast, "maxpool(2)", 2, 4, 4, _ => nn.MaxPool2d((2, 2), (2, 2)), NeedsChannelsFirst);
                break;
            case "avgpool":
                foreach (var k in Sizes(4)) foreach (var s in Sizes(3)) foreach (var p in new long[] { 0, 1, 2, 3 })
                    foreach (var ceil in new[] { false, true }) foreach (var include in new[] { false, true }) foreach (var h in Sizes(7))
                    {
                        yield return new Case($"avgpool({N(k)}, stride: {N(s)}, pad: {N(p)}, ceil: {B(ceil)}, count_include_pad: {B(include)})", 1, h, h,
                            () => nn.AvgPool2d((k, k), (s, s), (p, p), ceil, include));
                    }

                yield return new Case("avgpool(0)", 1, 4, 4, () => nn.AvgPool2d((0, 0), (1, 1)));
                yield return On(Features, "avgpool(2)", 2, 2, 2, _ => nn.AvgPool2d((2, 2), (2, 2)));
                yield return On(ChannelsLast, "avgpool(2)", 2, 4, 4, _ => nn.AvgPool2d((2, 2), (2, 2)), NeedsChannelsFirst);
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

                // Kernels, strides and paddings that differ between height and width; no bias; many groups.
                foreach (var (kh, kw) in new (long, long)[] { (1, 3), (3, 1), (2, 5) }) foreach (var (sh, sw) in new (long, long)[] { (1, 2), (2, 1) })
                    foreach (var h in Sizes(4))
                    {
                        yield return new Case($"conv(4, [{N(kh)}, {N(kw)}], stride: [{N(sh)}, {N(sw)}], pad: [0, 1], bias: false)", 2, h, h + 1,
                            () => nn.Conv2d(2, 4, (kh, kw), (sh, sw), (0, 1), bias: false));
                    }

                foreach (var c in Sizes(6)) foreach (var g in new long[] { 1, 2, 3, 4, 6 })
                {
                    yield return new Case($"conv(6, 1, groups: {N(g)})", c, 2, 2, () => nn.Conv2d(c, 6, (1, 1), groups: g));
                }

                // LeNet-5's connection table: output map j sums a convolution over the maps its row names.
                foreach (var c in Sizes(3)) foreach (var k in new long[] { 1, 3 }) foreach (var h in Sizes(3))
                    foreach (var table in new[] { new[] { new long[] { 0 }, new long[] { 1 } }, new[] { new long[] { 0, 1 }, new long[] { 2 } }, new[] { new long[] { 0 }, new long[] { 0 } } })
                    {
                        var text = "[" + string.Join(", ", table.Select(r => "[" + string.Join(", ", r) + "]")) + "]";
                        yield return new Case($"conv(2, {N(k)}, connections: {text})", c, h, h, () => Fn(x =>
                            cat(table.Select(row => nn.Conv2d(row.Length, 1, (k, k)).forward(x.index_select(1, tensor(row)))).ToArray(), 1)));
                    }

                yield return new Case("conv(0, 3)", 1, 4, 4, () => nn.Conv2d(1, 0, (3, 3)), SizesFromOne);
                yield return new Case("conv(2, 0)", 1, 4, 4, () => nn.Conv2d(1, 2, (0, 0)));
                yield return new Case("conv(2, 3, stride: 0)", 1, 4, 4, () => nn.Conv2d(1, 2, (3, 3), (0, 0)));
                yield return new Case("conv(2, 3, pad: -1)", 1, 4, 4, () => nn.Conv2d(1, 2, (3, 3), padding: (-1, -1)));
                yield return new Case("conv(2, 3, dilation: 0)", 1, 4, 4, () => nn.Conv2d(1, 2, (3, 3), dilation: (0, 0)));
                yield return new Case("conv(2, 3, groups: 0)", 1, 4, 4, () => nn.Conv2d(1, 2, (3, 3), groups: 0));
                yield return new Case("conv(2, 3, groups: -1)", 1, 4, 4, () => nn.Conv2d(1, 2, (3, 3), groups: -1));
                yield return On(Features, "conv(2, 1)", 2, 2, 2, d => nn.Conv2d(d[0], 2, (1, 1)));
                yield return On(ChannelsLast, "conv(2, 1)", 2, 2, 2, d => nn.Conv2d(2, 2, (1, 1)), NeedsChannelsFirst);
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

                // PyTorch's ConvTranspose2d raises "out_channels must be divisible by groups"; TorchSharp
                // 0.107's module does not check, and makes out / groups * groups channels instead, so
                // that refusal is PyTorch's documented rule here.
                foreach (var c in Sizes(4)) foreach (var o in new long[] { 2, 3, 4 }) foreach (var g in new long[] { 1, 2, 4 })
                {
                    yield return new Case($"conv_transpose({N(o)}, 2, stride: 2, groups: {N(g)}, bias: false)", c, 2, 3,
                        o % g != 0 ? null : () => nn.ConvTranspose2d(c, o, (2, 2), (2, 2), groups: g, bias: false));
                }

                yield return new Case("conv_transpose(2, 3, stride: 2, output_pad: [0, 1])", 2, 3, 3, null,
                    "TorchSharp 0.107's ConvTranspose2d module applies its first output_pad to both axes, so a model built from it would not have this shape");
                yield return On(Features, "conv_transpose(2, 1)", 2, 2, 2, d => nn.ConvTranspose2d(d[0], 2, (1, 1)));
                yield return On(ChannelsLast, "conv_transpose(2, 1)", 2, 2, 2, _ => nn.ConvTranspose2d(2, 2, (1, 1)), NeedsChannelsFirst);
                break;
            case "adaptive_avgpool":
                foreach (var size in Sizes(6)) foreach (var h in Sizes(6))
                {
                    yield return new Case($"adaptive_avgpool({N(size)})", 2, h, h + 1, () => nn.AdaptiveAvgPool2d((size, size)));
                }

                foreach (var (sh, sw) in new (long, long)[] { (1, 3), (4, 2) })
                {
                    yield return new Case($"adaptive_avgpool([{N(sh)}, {N(sw)}])", 2, 3, 5, () => nn.AdaptiveAvgPool2d((sh, sw)));
                }

                yield return new Case("adaptive_avgpool(0)", 2, 3, 3, () => nn.AdaptiveAvgPool2d((0, 0)));
                yield return On(Features, "adaptive_avgpool(2)", 2, 3, 3, _ => nn.AdaptiveAvgPool2d((2, 2)));
                yield return On(ChannelsLast, "adaptive_avgpool(2)", 2, 3, 3, _ => nn.AdaptiveAvgPool2d((2, 2)), NeedsChannelsFirst);
                break;
            case "global_avgpool":
                foreach (var (c, h, w) in new (long, long, long)[] { (1, 1, 1), (2, 3, 3), (3, 2, 4) })
                {
                    yield return On(Image, "global_avgpool", c, h, w, _ => nn.AdaptiveAvgPool2d((1, 1)));
                    yield return On(ChannelsLast, "global_avgpool", c, h, w, _ => nn.AdaptiveAvgPool2d((1, 1)), NeedsChannelsFirst);
                    // libtorch 2.10 pools to 1x1 as a mean over the last two dimensions of whatever it
                    // is given, so on flat features it averages across the batch (PyTorch 1.13 refuses
                    // a 2-D input): the language asks for a map (CNN0032).
                    yield return On(Features, "global_avgpool", c, h, w, _ => nn.AdaptiveAvgPool2d((1, 1)),
                        "global_avgpool averages each channel of a CxHxW map (CNN0032); libtorch's 1x1 pooling of flat features would average across the batch");
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

                foreach (var (sh, sw) in new (long, long)[] { (1, 2), (3, 1) }) foreach (var bilinear in new[] { false, true })
                {
                    var mode = bilinear ? UpsampleMode.Bilinear : UpsampleMode.Nearest;
                    yield return new Case($"upsample([{N(sh)}, {N(sw)}], mode: {(bilinear ? "bilinear" : "nearest")})", 1, 2, 3,
                        () => nn.Upsample(scale_factor: new double[] { sh, sw }, mode: mode));
                }

                yield return new Case("upsample(0)", 1, 2, 2, () => nn.Upsample(scale_factor: new double[] { 0, 0 }));
                yield return On(Features, "upsample(2)", 2, 2, 2, _ => nn.Upsample(scale_factor: new double[] { 2, 2 }));
                yield return On(ChannelsLast, "upsample(2)", 2, 2, 2, _ => nn.Upsample(scale_factor: new double[] { 2, 2 }), NeedsChannelsFirst);
                break;
            case "subsample":
                // LeNet-5's trainable subsampling: a window sum times a coefficient plus a bias per
                // channel, the window of an average pooling without padding.
                foreach (var k in Sizes(4)) foreach (var s in Sizes(3)) foreach (var h in Sizes(6))
                {
                    yield return new Case($"subsample({N(k)}, stride: {N(s)})", 2, h, h, () => Fn(x =>
                        nn.AvgPool2d((k, k), (s, s)).forward(x) * (k * k) * ones(2, 1, 1) + zeros(2, 1, 1)));
                }

                yield return new Case("subsample(0)", 2, 3, 3, () => nn.AvgPool2d((0, 0), (1, 1)));
                yield return On(Features, "subsample(2)", 2, 2, 2, _ => nn.AvgPool2d((2, 2), (2, 2)));
                yield return On(ChannelsLast, "subsample(2)", 2, 4, 4, _ => nn.AvgPool2d((2, 2), (2, 2)), NeedsChannelsFirst);
                break;
            case "lrn":
                foreach (var size in Sizes(4)) foreach (var c in Sizes(3))
                {
                    yield return new Case($"lrn({N(size)})", c, 3, 3, () => nn.LocalResponseNorm(size));
                }

                yield return On(Features, "lrn(2)", 2, 2, 2, _ => nn.LocalResponseNorm(2));
                yield return On(ChannelsLast, "lrn(2)", 2, 2, 2, _ => nn.LocalResponseNorm(2), NeedsChannelsFirst);
                break;
            case "softmax":
                foreach (var dim in Sizes(4))
                {
                    foreach (var layout in AllLayouts) yield return On(layout, $"softmax(dim: {N(dim)})", 2, 3, 4, _ => nn.Softmax(dim));
                }

                foreach (var dim in new long[] { 0, -1 })
                {
                    yield return new Case($"softmax(dim: {N(dim)})", 2, 3, 3, () => nn.Softmax(dim),
                        "the language counts softmax's dim from 1, the channels, to the tensor's last: the batch (0) and counting from the end are not offered");
                }

                break;
            case "linear":
                foreach (var o in new long[] { 1, 3, 0, -1 }) foreach (var bias in new[] { true, false }) foreach (var (c, h, w) in new (long, long, long)[] { (1, 1, 1), (2, 3, 4) })
                {
                    yield return On(Features, $"linear({N(o)}, bias: {B(bias)})", c, h, w, d => nn.Linear(d[0], o, bias), o == 0 ? SizesFromOne : null);
                    yield return On(ChannelsLast, $"linear({N(o)}, bias: {B(bias)})", c, h, w, d => nn.Linear(d[2], o, bias), o == 0 ? SizesFromOne : null);
                    yield return On(Image, $"linear({N(o)}, bias: {B(bias)})", c, h, w, d => nn.Linear(d[0], o, bias),
                        o >= 1 && w == c ? "a linear layer needs flat features (CNN0033), where PyTorch's Linear reads the last dimension of a map" : null);
                }

                break;
            case "rbf":
                // LeNet-5's output: per class, the squared distance from the input vector to a fixed code.
                foreach (var classes in new long[] { 1, 10, 0 }) foreach (var (c, h, w) in new (long, long, long)[] { (1, 1, 1), (2, 3, 4) })
                {
                    Twin rbf = d => Fn(x => (x.unsqueeze(1) - zeros(classes, d.Channels)).pow(2).sum(2));
                    yield return On(Features, $"rbf({N(classes)})", c, h, w, rbf);
                    yield return On(Image, $"rbf({N(classes)})", c, h, w, rbf, "rbf reads a flat vector of features (CNN0033); on a map PyTorch would broadcast the codes against its rows");
                }

                break;
            case "flatten":
                foreach (var c in Everywhere("flatten", _ => nn.Flatten())) yield return c;
                break;
            case "identity":
                foreach (var c in Everywhere("identity", _ => nn.Identity())) yield return c;
                break;
            case "relu":
                foreach (var c in Everywhere("relu", _ => nn.ReLU())) yield return c;
                break;
            case "sigmoid":
                foreach (var c in Everywhere("sigmoid", _ => nn.Sigmoid())) yield return c;
                break;
            case "tanh":
                foreach (var c in Everywhere("tanh", _ => nn.Tanh())) yield return c;
                break;
            case "relu6":
                foreach (var c in Everywhere("relu6", _ => nn.ReLU6())) yield return c;
                break;
            case "hardswish":
                foreach (var c in Everywhere("hardswish", _ => nn.Hardswish())) yield return c;
                break;
            case "hardsigmoid":
                foreach (var c in Everywhere("hardsigmoid", _ => nn.Hardsigmoid())) yield return c;
                break;
            case "silu":
                foreach (var c in Everywhere("silu", _ => nn.SiLU())) yield return c;
                break;
            case "mish":
                foreach (var c in Everywhere("mish", _ => nn.Mish())) yield return c;
                break;
            case "gelu":
                foreach (var c in Everywhere("gelu", _ => nn.GELU())) yield return c;
                foreach (var c in Everywhere("gelu(approximate: tanh)", _ => nn.GELU(TorchSharp.Modules.GELU.Approximate.tanh))) yield return c;
                foreach (var c in Everywhere("gelu(approximate: none)", _ => nn.GELU())) yield return c;
                break;
            case "leaky_relu":
                foreach (var slope in new[] { 0.01, 0, -0.5, 2 })
                {
                    foreach (var c in Everywhere($"leaky_relu(slope: {N(slope)})", _ => nn.LeakyReLU(slope))) yield return c;
                }

                break;
            case "elu":
                foreach (var alpha in new[] { 1.0, 0.5, 0, -1 })
                {
                    foreach (var c in Everywhere($"elu(alpha: {N(alpha)})", _ => nn.ELU(alpha))) yield return c;
                }

                break;
            case "scaled_tanh":
                foreach (var (amplitude, slope) in new[] { (1.7159, 2.0 / 3), (1.0, -1.0), (0.0, 0.0) })
                {
                    foreach (var c in Everywhere($"scaled_tanh(amplitude: {N(amplitude)}, slope: {N(slope)})", _ => Fn(x => amplitude * (slope * x).tanh()))) yield return c;
                }

                break;
            case "prelu":
                foreach (var c in Everywhere("prelu", _ => nn.PReLU(1, 0.25))) yield return c;
                foreach (var c in Everywhere("prelu(per_channel: false, init: -1)", _ => nn.PReLU(1, -1))) yield return c;
                foreach (var c in Everywhere("prelu(per_channel: true)", d => nn.PReLU(d.Channels, 0.25), channelsFirst: true)) yield return c;
                break;
            case "dropout":
                foreach (var p in new[] { 0, 0.5, 1, 1.5, -0.1 })
                {
                    // PyTorch's Dropout raises ValueError for p outside [0, 1].
                    foreach (var c in Everywhere($"dropout({N(p)})", _ => p is < 0 or > 1 ? null : nn.Dropout(p))) yield return c;
                }

                break;
            case "stochastic_depth":
                // torchvision's StochasticDepth: the identity in eval mode; p outside [0, 1] is a ValueError.
                foreach (var p in new[] { 0, 0.2, 1, 1.5, -0.1 }) foreach (var mode in new[] { "row", "batch" })
                {
                    foreach (var c in Everywhere($"stochastic_depth({N(p)}, mode: {mode})", _ => p is < 0 or > 1 ? null : nn.Identity())) yield return c;
                }

                break;
            case "batchnorm":
                foreach (var c in Everywhere("batchnorm", d => d.Length == 1 ? nn.BatchNorm1d(d[0]) : nn.BatchNorm2d(d.Channels), channelsFirst: true)) yield return c;
                foreach (var c in Everywhere("batchnorm(eps: 0.001, momentum: 0.01)", d => d.Length == 1 ? nn.BatchNorm1d(d[0], 0.001, 0.01) : nn.BatchNorm2d(d.Channels, 0.001, 0.01), channelsFirst: true)) yield return c;
                yield return new Case("batchnorm(eps: 0)", 2, 2, 2, () => nn.BatchNorm2d(2, 0), "the language keeps eps above 0 (CNN0018): a constant channel would divide by zero");
                yield return new Case("batchnorm(momentum: 1.5)", 2, 2, 2, () => nn.BatchNorm2d(2, momentum: 1.5), "the language keeps momentum in [0, 1] (CNN0018), a fraction of the new statistics");
                break;
            case "layernorm":
                // torchvision's LayerNorm2d on a CxHxW map: LayerNorm over the channels of a channels-last view.
                foreach (var (c, h, w) in new (long, long, long)[] { (1, 1, 1), (2, 3, 3), (3, 2, 4) })
                {
                    yield return On(Image, "layernorm", c, h, w, d => Fn(x => nn.LayerNorm(d[0]).forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)));
                    yield return On(Features, "layernorm", c, h, w, d => nn.LayerNorm(d[0]));
                    yield return On(ChannelsLast, "layernorm(eps: 1e-6)", c, h, w, d => nn.LayerNorm(d[2], 1e-6));
                }

                break;
            case "groupnorm":
                // PyTorch's GroupNorm takes (N, C, *), flat features included; TorchSharp 0.107's module
                // refuses N x C (the runtime has its own), so the twin is libtorch's group_norm itself.
                foreach (var g in Sizes(4)) foreach (var (c, h, w) in new (long, long, long)[] { (1, 1, 1), (2, 3, 3), (4, 2, 2), (6, 1, 2) })
                {
                    Twin groupNorm = d => Fn(x => nn.functional.group_norm(x, g, ones(d.Channels), zeros(d.Channels)));
                    yield return On(Image, $"groupnorm({N(g)})", c, h, w, groupNorm);
                    yield return On(Features, $"groupnorm({N(g)})", c, h, w, groupNorm);
                    yield return On(ChannelsLast, $"groupnorm({N(g)})", c, h, w, groupNorm, NeedsChannelsFirst);
                }

                // PyTorch's GroupNorm requires groups to divide the channels, which 0 cannot (Python
                // raises ZeroDivisionError). Not run: whether libtorch 2.10 checks before it takes the
                // remainder by zero was not tried, as a SIGFPE would end the test process.
                yield return new Case("groupnorm(0)", 2, 2, 2, null);
                break;
            case "instancenorm":
                foreach (var affine in new[] { false, true }) foreach (var track in new[] { false, true })
                {
                    foreach (var c in Everywhere($"instancenorm(affine: {B(affine)}, track_running_stats: {B(track)})",
                        d => nn.InstanceNorm2d(d.Channels, affine: affine, track_running_stats: track), channelsFirst: true))
                    {
                        yield return c;
                    }
                }

                break;
            case "layer_scale":
                // ConvNeXt's layer_scale: a (C, 1, 1) parameter times a CxHxW map.
                foreach (var init in new[] { 1e-6, 0, -2 })
                {
                    foreach (var c in Everywhere($"layer_scale({N(init)})", d => Fn(x => x * Filled(d.Channels, init)), imageOnly: true)) yield return c;
                }

                yield return On(Features, "layer_scale", 2, 2, 2, d => Fn(x => x * Filled(d[0], 1e-6)),
                    "a (C, 1, 1) scale broadcast against flat features gives another shape; the language needs a CxHxW map (CNN0032)");
                yield return On(ChannelsLast, "layer_scale", 2, 2, 2, d => Fn(x => x * Filled(d[2], 1e-6)), NeedsChannelsFirst);
                break;
            case "channel_affine":
                // torchvision's transform_input: x[:, c] * scale[c] + shift[c], one number per channel.
                foreach (var count in Sizes(3)) foreach (var c in Sizes(3))
                {
                    var numbers = "[" + string.Join(", ", Enumerable.Repeat("0.5", (int)count)) + "]";
                    yield return new Case($"channel_affine(scale: {numbers}, shift: {numbers})", c, 2, 3,
                        () => Fn(x => x * Filled(count, 0.5) + Filled(count, 0.5)),
                        count != c && (count == 1 || c == 1) ? "one scale and one shift per channel (CNN0018), where PyTorch would broadcast one number over all channels, or one channel over all numbers" : null);
                }

                yield return new Case("channel_affine(scale: [1, 2], shift: [0])", 2, 2, 2, () => Fn(x => x * tensor(new float[] { 1, 2 }).view(2, 1, 1) + zeros(1, 1, 1)),
                    "one scale and one shift per channel (CNN0018), where PyTorch would broadcast the single shift");
                yield return On(Features, "channel_affine(scale: [1, 2], shift: [0, 0])", 2, 1, 1, _ => Fn(x => x * tensor(new float[] { 1, 2 }).view(2, 1, 1)),
                    "a (C, 1, 1) scale broadcast against flat features gives another shape; the language needs a CxHxW map (CNN0032)");
                yield return On(ChannelsLast, "channel_affine(scale: [1, 2], shift: [0, 0])", 2, 2, 2, _ => Fn(x => x * tensor(new float[] { 1, 2 }).view(2, 1, 1)), NeedsChannelsFirst);
                break;
            case "channel_shuffle":
                foreach (var g in new long[] { 1, 2, 3, 4, 0, -1 }) foreach (var c in Sizes(6))
                {
                    yield return On(Image, $"channel_shuffle({N(g)})", c, 2, 2, _ => nn.ChannelShuffle(g));
                }

                yield return On(Features, "channel_shuffle(2)", 2, 2, 2, _ => nn.ChannelShuffle(2));
                yield return On(ChannelsLast, "channel_shuffle(2)", 2, 2, 2, _ => nn.ChannelShuffle(2), NeedsChannelsFirst);
                break;
            case "channel_pad":
                // F.pad(x, (0, 0, 0, 0, before, after)); a negative padding crops in PyTorch.
                foreach (var before in new long[] { 0, 1, 2, -1 }) foreach (var after in new long[] { 0, 2, -1 }) foreach (var c in Sizes(2))
                {
                    var design = (before < 0 || after < 0) && c + before + after >= 1
                        ? "channel_pad adds channels (before and after at least 0, CNN0018); a negative padding would crop them in PyTorch"
                        : null;
                    yield return On(Image, $"channel_pad({N(before)}, {N(after)})", c, 2, 3, _ => Fn(x => nn.functional.pad(x, new[] { 0L, 0, 0, 0, before, after })), design);
                }

                yield return On(Features, "channel_pad(1)", 2, 2, 2, _ => Fn(x => nn.functional.pad(x, new[] { 0L, 0, 0, 0, 1, 1 })));
                yield return On(ChannelsLast, "channel_pad(1)", 2, 2, 2, _ => Fn(x => nn.functional.pad(x, new[] { 0L, 0, 0, 0, 1, 1 })), NeedsChannelsFirst);
                break;
            case "permute":
                // torchvision's Permute: any order of the four dimensions; the language offers ConvNeXt's two.
                foreach (var order in new[] { new long[] { 0, 2, 3, 1 }, new long[] { 0, 3, 1, 2 }, new long[] { 0, 1, 2, 3 }, new long[] { 0, 2, 1, 3 }, new long[] { 1, 0, 2, 3 }, new long[] { 0, 1, 2, 4 }, new long[] { 0, 0, 1, 2 } })
                {
                    var text = $"permute({string.Join(", ", order)})";
                    var valid = order.OrderBy(i => i).SequenceEqual(new long[] { 0, 1, 2, 3 });
                    var offered = order.SequenceEqual(new long[] { 0, 2, 3, 1 }) || order.SequenceEqual(new long[] { 0, 3, 1, 2 });
                    foreach (var layout in AllLayouts)
                    {
                        var fits = layout == Image ? order[1] == 2 : layout == ChannelsLast && order[1] == 3;
                        var design = !valid || layout == Features ? null
                            : !offered ? "permute takes (0, 2, 3, 1) and (0, 3, 1, 2), the orders ConvNeXt uses (CNN0018)"
                            : fits ? null
                            : "the two orders go from CxHxW to channels-last and back; the other way round they would mix up the axes (CNN0046)";
                        yield return On(layout, text, 2, 3, 4, _ => Fn(x => x.permute(order)), design);
                    }
                }

                break;
            case "concat":
                foreach (var (ka, pa) in new (long, long)[] { (1, 0), (3, 1), (3, 0) }) foreach (var (kb, pb) in new (long, long)[] { (1, 0), (5, 2), (2, 0) }) foreach (var h in Sizes(4))
                {
                    yield return new Case($"concat [conv(2, {N(ka)}, pad: {N(pa)}), conv(3, {N(kb)}, pad: {N(pb)})]", 2, h, h,
                        () => Fn(x => cat(new[] { nn.Conv2d(2, 2, (ka, ka), padding: (pa, pa)).forward(x), nn.Conv2d(2, 3, (kb, kb), padding: (pb, pb)).forward(x) }, 1)));
                }

                yield return On(Features, "concat [linear(2), identity, linear(3)]", 2, 2, 2, d => Fn(x => cat(new[] { nn.Linear(d[0], 2).forward(x), x, nn.Linear(d[0], 3).forward(x) }, 1)));
                yield return new Case("concat [identity, flatten]", 2, 2, 2, () => Fn(x => cat(new[] { x, x.flatten(1) }, 1)));
                yield return new Case("concat [conv(2, 1), global_avgpool]", 2, 3, 3, () => Fn(x => cat(new[] { nn.Conv2d(2, 2, (1, 1)).forward(x), nn.AdaptiveAvgPool2d((1, 1)).forward(x) }, 1)));
                yield return On(ChannelsLast, "concat [identity, identity]", 2, 3, 4, _ => Fn(x => cat(new[] { x, x }, 1)),
                    "concat joins along the channels, dimension 1 of a CxHxW map; on a channels-last map that is its rows (CNN0039)");
                break;
            case "split":
                foreach (var n in new[] { 2, 3 }) foreach (var c in Sizes(6))
                {
                    var branches = string.Join(", ", Enumerable.Range(0, n).Select(i => i == 0 ? "identity" : "conv(2, 1)"));
                    var chunks = (c + (c + n - 1) / n - 1) / ((c + n - 1) / n);
                    yield return new Case($"split [{branches}]", c, 2, 3, () => Fn(x =>
                        {
                            var parts = x.chunk(n, 1);
                            if (parts.Length != n) throw new ArgumentException($"torch.chunk gave {parts.Length} chunks, not {n}");
                            return cat(parts.Select((part, i) => i == 0 ? part : nn.Conv2d(part.shape[1], 2, (1, 1)).forward(part)).ToArray(), 1);
                        }),
                        c % n != 0 && chunks == n ? "split cuts equal chunks (CNN0047); torch.chunk would give the last a different size" : null);
                }

                yield return new Case("split [conv(2, 3), identity]", 4, 3, 3, () => Fn(x =>
                {
                    var parts = x.chunk(2, 1);
                    return cat(new[] { nn.Conv2d(2, 2, (3, 3)).forward(parts[0]), parts[1] }, 1);
                }));
                yield return On(Features, "split [identity, linear(3)]", 2, 2, 2, d => Fn(x =>
                {
                    var parts = x.chunk(2, 1);
                    return cat(new[] { parts[0], nn.Linear(d[0] / 2, 3).forward(parts[1]) }, 1);
                }));
                yield return On(ChannelsLast, "split [identity, identity]", 2, 2, 2, _ => Fn(x => cat(x.chunk(2, 1), 1)), NeedsChannelsFirst);
                break;
            case "add":
                foreach (var (ka, pa) in new (long, long)[] { (1, 0), (3, 1), (3, 0) }) foreach (var (ob, kb) in new (long, long)[] { (2, 1), (3, 1), (2, 3) }) foreach (var h in Sizes(4))
                {
                    yield return new Case($"add [conv(2, {N(ka)}, pad: {N(pa)}), conv({N(ob)}, {N(kb)})]", 2, h, h,
                        () => Fn(x => nn.Conv2d(2, 2, (ka, ka), padding: (pa, pa)).forward(x) + nn.Conv2d(2, ob, (kb, kb)).forward(x)),
                        AddBroadcasts(h, ka, pa, ob, kb) ? "add needs two branches of one shape (CNN0039), where PyTorch would broadcast a 1x1 branch" : null);
                }

                yield return On(Features, "add [linear(3), linear(3)]", 2, 2, 2, d => Fn(x => nn.Linear(d[0], 3).forward(x) + nn.Linear(d[0], 3).forward(x)));
                yield return new Case("add [identity, global_avgpool]", 2, 3, 3, () => Fn(x => x + nn.AdaptiveAvgPool2d((1, 1)).forward(x)),
                    "add needs two branches of one shape (CNN0039), where PyTorch would broadcast a 1x1 branch");
                break;
            case "residual":
                foreach (var o in new long[] { 2, 3 }) foreach (var s in Sizes(2)) foreach (var p in new long[] { 0, 1 }) foreach (var h in Sizes(4))
                {
                    var body = $"conv({N(o)}, 3, stride: {N(s)}, pad: {N(p)})";
                    Func<Tensor, Tensor> Body() => x => nn.Conv2d(2, o, (3, 3), (s, s), (p, p)).forward(x);
                    var valid = h + 2 * p >= 3;
                    var size = valid ? (h + 2 * p - 3) / s + 1 : 0;
                    var shortcutSize = (h - 1) / s + 1;
                    yield return new Case($"residual({body})", 2, h, h, () => Fn(x => Body()(x) + x),
                        o == 2 && valid && size != h && (size == 1 || h == 1) ? "residual needs the body to keep the input's shape (CNN0038), where PyTorch would broadcast a 1x1 body" : null);
                    // torchvision's downsample, where the shape changes: a 1x1 convolution with the
                    // stride that reaches the body's size (the language's documented rule).
                    yield return new Case($"residual({body}, shortcut: projection)", 2, h, h, () => Fn(x =>
                    {
                        var y = Body()(x);
                        if (y.shape.SequenceEqual(x.shape)) return y + x;
                        var stride = Sizes((int)h).FirstOrDefault(t => (h - 1) / t + 1 == y.shape[2]);
                        if (stride == 0 || y.shape[2] > h) throw new ArgumentException("no stride reaches the body's size");
                        return y + nn.Conv2d(2, o, (1, 1), (stride, stride), bias: false).forward(x);
                    }));
                    yield return new Case($"residual({body}, shortcut: conv({N(o)}, 1, stride: {N(s)}))", 2, h, h,
                        () => Fn(x => Body()(x) + nn.Conv2d(2, o, (1, 1), (s, s)).forward(x)),
                        valid && size != shortcutSize && (size == 1 || shortcutSize == 1) ? "the shortcut must give the body's shape (CNN0038), where PyTorch would broadcast a 1x1 one" : null);
                }

                yield return On(Features, "residual(linear(8))", 2, 2, 2, d => Fn(x => nn.Linear(d[0], 8).forward(x) + x));
                yield return On(Features, "residual(linear(3))", 2, 2, 2, d => Fn(x => nn.Linear(d[0], 3).forward(x) + x));
                break;
            case "dense":
                foreach (var g in new long[] { 1, 3 }) foreach (var (k, p) in new (long, long)[] { (1, 0), (3, 1), (3, 0), (2, 1) }) foreach (var h in Sizes(4))
                {
                    yield return new Case($"dense(conv({N(g)}, {N(k)}, pad: {N(p)}))", 2, h, h,
                        () => Fn(x => cat(new[] { x, nn.Conv2d(2, g, (k, k), padding: (p, p)).forward(x) }, 1)));
                }

                yield return On(Features, "dense(linear(3))", 2, 2, 2, d => Fn(x => cat(new[] { x, nn.Linear(d[0], 3).forward(x) }, 1)));
                yield return On(ChannelsLast, "dense(identity)", 2, 2, 3, _ => Fn(x => cat(new[] { x, x }, 1)), NeedsChannelsFirst);
                break;
            case "gate":
                // torchvision's SqueezeExcitation: scale * input, the scale broadcast where it has size 1.
                foreach (var o in new long[] { 1, 2, 3 }) foreach (var h in Sizes(4))
                {
                    yield return new Case($"gate(global_avgpool -> conv({N(o)}, 1) -> sigmoid)", 2, h, h,
                        () => Fn(x => x * nn.Conv2d(2, o, (1, 1)).forward(nn.AdaptiveAvgPool2d((1, 1)).forward(x)).sigmoid()));
                    yield return new Case($"gate(conv({N(o)}, 3))", 2, h, h, () => Fn(x => x * nn.Conv2d(2, o, (3, 3)).forward(x)));
                    yield return new Case($"gate(conv({N(o)}, 1))", 2, h, h, () => Fn(x => x * nn.Conv2d(2, o, (1, 1)).forward(x)));
                }

                yield return new Case("gate(conv(2, 1, pad: 1))", 1, 1, 1, () => Fn(x => x * nn.Conv2d(1, 2, (1, 1), padding: (1, 1)).forward(x)),
                    "a gate gives its input's shape (CNN0039); PyTorch would broadcast the input up to the larger scale");
                yield return On(Features, "gate(linear(1) -> sigmoid)", 2, 2, 2, d => Fn(x => x * nn.Linear(d[0], 1).forward(x).sigmoid()));
                yield return On(Features, "gate(linear(3))", 2, 2, 2, d => Fn(x => x * nn.Linear(d[0], 3).forward(x)));
                break;
            case "aux":
                // GoogLeNet's auxiliary heads: a head reads the tensor, the path goes on with it unchanged.
                foreach (var k in Sizes(4)) foreach (var h in Sizes(4))
                {
                    yield return new Case($"aux(conv(2, {N(k)}) -> flatten -> linear(3))", 2, h, h, () => Fn(x =>
                    {
                        var head = nn.Conv2d(2, 2, (k, k)).forward(x).flatten(1);
                        _ = nn.Linear(head.shape[1], 3).forward(head);
                        return x;
                    }));
                }

                yield return new Case("aux(linear(3))", 2, 2, 2, () => Fn(x =>
                {
                    _ = nn.Linear(2, 3).forward(x);
                    return x;
                }), "a linear layer needs flat features (CNN0033), where PyTorch's Linear reads the last dimension of a map");
                break;
            default:
                throw new InvalidOperationException($"`{kind}` is in the language's catalogue but has no acceptance grid: add its cases to AcceptanceTests.Cases");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_language_accepts_a_layer_exactly_when_libtorch_does_with_the_same_shape(string kind)
    {
        var differences = new List<string>();
        var count = 0;
        var refused = 0;
        foreach (var c in Cases(kind))
        {
            count++;
            var dsl = Dsl(c);
            if (dsl == "refused") refused++;
            if (c.Design is not null)
            {
                // A deliberate difference: the language refuses, for the reason the case gives.
                if (dsl != "refused") differences.Add($"{c.Layer} on {c.C}x{c.H}x{c.W}: the language gives {dsl}, but should refuse it: {c.Design}");
                continue;
            }

            var torch = Torch(c);
            if (dsl != torch) differences.Add($"{c.Layer} on {c.C}x{c.H}x{c.W}: the language gives {dsl}, libtorch {torch}");
        }

        _output.WriteLine($"{count} cases of {kind}, {refused} refused");
        Assert.True(count > 0, $"no cases of {kind}");
        Assert.True(differences.Count == 0, $"{differences.Count} of {count} differ:\n" + string.Join("\n", differences.Take(30)));
    }

    [Fact]
    public void The_grid_covers_every_layer_and_structure_of_the_catalogue()
    {
        // A kind without a grid throws in Cases; the catalogue itself must hold the known kinds,
        // so that the list it is read from is not empty or cut short.
        var kinds = Catalogue();
        Assert.Contains("conv", kinds);
        Assert.Contains("concat", kinds);
        Assert.Contains("aux", kinds);
        var missing = kinds.Where(k =>
        {
            try
            {
                return !Cases(k).Any();
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }).ToList();
        Assert.True(missing.Count == 0, "no acceptance grid for: " + string.Join(", ", missing));
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
            // An empty tensor is no shape of the language's: every size is at least 1.
            return output.shape.Skip(1).Any(d => d == 0) ? "refused" : string.Join("x", output.shape.Skip(1));
        }
        catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or DivideByZeroException)
        {
            return "refused";
        }
    }
}
