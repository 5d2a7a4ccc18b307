using System;
using System.Diagnostics;
using System.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnDsl.ConvSweep;

/// <summary>Errors of one float32 case against float64 on the same (float32-rounded) data:
/// max |float32 - float64| / max |float64| for the output and both gradients.</summary>
public readonly record struct CaseErrors(double Output, double InputGrad, double WeightGrad, double Milliseconds)
{
    public double Worst => Max(Max(Output, InputGrad), WeightGrad);

    // NaN compares false with everything; a NaN result is the worst error there is.
    private static double Max(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);
}

/// <summary>Runs cases forward and backward (input and weight gradients, upstream gradient
/// random) in float32 and float64 with the same inputs.</summary>
public sealed class CaseRunner
{
    private readonly bool _channelsLast;
    private readonly string? _dumpDirectory;

    public CaseRunner(bool channelsLast, string? dumpDirectory)
    {
        _channelsLast = channelsLast;
        _dumpDirectory = dumpDirectory;
    }

    public CaseErrors Run(ConvCase c, int index, bool dump)
    {
        using var scope = NewDisposeScope();
        manual_seed(1000 + index);
        Tensor x = randn(c.Batch, c.InChannels, c.Size, c.Size);
        long[] weightShape = c.Transposed
            ? new long[] { c.InChannels, c.OutChannels / c.Groups, c.Kernel, c.Kernel }
            : new long[] { c.OutChannels, c.InChannels / c.Groups, c.Kernel, c.Kernel };
        Tensor w = randn(weightShape) * (1.0 / Math.Sqrt(c.InChannels / c.Groups * c.Kernel * c.Kernel));
        Tensor b = randn(c.OutChannels) * 0.1;

        var timer = Stopwatch.StartNew();
        var (y32, gx32, gw32, upstream) = ForwardBackward(c, Layout(x), Layout(w), b, null);
        timer.Stop();
        var (y64, gx64, gw64, _) = ForwardBackward(c, x.to_type(ScalarType.Float64), w.to_type(ScalarType.Float64), b.to_type(ScalarType.Float64), upstream.to_type(ScalarType.Float64));

        if (dump && _dumpDirectory != null)
        {
            Dump(c, index, x, w, b, upstream, y64, gx64, gw64);
        }

        return new CaseErrors(Relative(y32, y64), Relative(gx32, gx64), Relative(gw32, gw64), timer.Elapsed.TotalMilliseconds);
    }

    private Tensor Layout(Tensor t) =>
        _channelsLast ? t.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : t;

    private static (Tensor Output, Tensor InputGrad, Tensor WeightGrad, Tensor Upstream) ForwardBackward(
        ConvCase c, Tensor x, Tensor w, Tensor b, Tensor? upstream)
    {
        Tensor xLeaf = x.detach().requires_grad_(true);
        Tensor wLeaf = w.detach().requires_grad_(true);
        long[] stride = { c.Stride, c.Stride };
        long[] padding = { c.EffectivePadding, c.EffectivePadding };
        long[] dilation = { c.Dilation, c.Dilation };
        Tensor y = c.Transposed
            ? nn.functional.conv_transpose2d(xLeaf, wLeaf, b, stride, padding, null, dilation, c.Groups)
            : nn.functional.conv2d(xLeaf, wLeaf, b, stride, padding, dilation, c.Groups);
        upstream ??= randn(y.shape);
        var grads = autograd.grad(new[] { y }, new[] { xLeaf, wLeaf }, new[] { upstream });
        return (y.detach(), grads[0], grads[1], upstream);
    }

    private static double Relative(Tensor actual, Tensor expected)
    {
        double scale = expected.abs().max().item<double>();
        double error = (actual.to_type(ScalarType.Float64) - expected).abs().max().item<double>();
        return scale == 0 ? error : error / scale;
    }

    private void Dump(ConvCase c, int index, Tensor x, Tensor w, Tensor b, Tensor upstream, Tensor y64, Tensor gx64, Tensor gw64)
    {
        string stem = Path.Combine(_dumpDirectory!, $"case{index:D5}");
        File.WriteAllText(stem + ".txt", string.Join('\t', c.Columns()) + "\n");
        Write(stem + ".x.f64", x.to_type(ScalarType.Float64));
        Write(stem + ".w.f64", w.to_type(ScalarType.Float64));
        Write(stem + ".b.f64", b.to_type(ScalarType.Float64));
        Write(stem + ".g.f64", upstream.to_type(ScalarType.Float64));
        Write(stem + ".y.f64", y64);
        Write(stem + ".gx.f64", gx64);
        Write(stem + ".gw.f64", gw64);
    }

    private static void Write(string path, Tensor t)
    {
        double[] values = t.contiguous().data<double>().ToArray();
        using var writer = new BinaryWriter(File.Create(path));
        foreach (double v in values) writer.Write(v);
    }
}
