using System;
using System.Linq;
using CnnDsl.Runtime;
using CnnDsl.Runtime.Layers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace CnnDsl.Models.Tests;

/// <summary>What the modules of the new layers compute, against formulas written out here in
/// double precision (PyTorch's documented definitions), element by element: libtorch is not its
/// own oracle. Inputs cover both signs, the kinks (-3, 0, 3, 6) and the tails.</summary>
public sealed class LayerNumericsTests : IClassFixture<TorchFixture>
{
    private static readonly float[] Points =
    {
        -8f, -6f, -3.5f, -3f, -2.25f, -1f, -0.5f, -0.1f, 0f, 0.1f, 0.5f, 1f, 1.75f, 2.9f, 3f, 3.5f, 5.9f, 6f, 6.5f, 9f,
    };

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Softplus(double x) => x > 20 ? x : Math.Log(1 + Math.Exp(x));

    /// <summary>erf(x) = 2/sqrt(pi) * integral from 0 to x of exp(-t^2) dt, by Simpson's rule on
    /// 4,000 intervals (error below 1e-12 for |x| &lt;= 7).</summary>
    private static double Erf(double x)
    {
        const int intervals = 4000;
        var h = x / intervals;
        var sum = 1 + Math.Exp(-x * x);
        for (var i = 1; i < intervals; i++) sum += (i % 2 == 1 ? 4 : 2) * Math.Exp(-(i * h) * (i * h));
        return 2 / Math.Sqrt(Math.PI) * sum * h / 3;
    }

    private static void AssertElementwise(nn.Module<Tensor, Tensor> module, Func<double, double> formula, double tolerance = 1e-6)
    {
        using var scope = NewDisposeScope();
        var input = tensor(Points).reshape(1, 4, 5);
        var output = module.forward(input).data<float>().ToArray();
        for (var i = 0; i < Points.Length; i++)
        {
            var expected = formula(Points[i]);
            Assert.True(Math.Abs(output[i] - expected) <= tolerance * Math.Max(1, Math.Abs(expected)),
                $"{module.GetName()}({Points[i]}) = {output[i]}, the formula gives {expected}");
        }
    }

    [Fact]
    public void Relu6_clamps_to_zero_and_six() => AssertElementwise(nn.ReLU6(), x => Math.Min(Math.Max(x, 0), 6));

    [Fact]
    public void Hardswish_is_x_times_relu6_of_x_plus_3_over_6() => AssertElementwise(nn.Hardswish(), x => x * Math.Min(Math.Max(x + 3, 0), 6) / 6);

    [Fact]
    public void Hardsigmoid_is_relu6_of_x_plus_3_over_6() => AssertElementwise(nn.Hardsigmoid(), x => Math.Min(Math.Max(x + 3, 0), 6) / 6);

    [Fact]
    public void Silu_is_x_times_sigmoid() => AssertElementwise(nn.SiLU(), x => x * Sigmoid(x));

    [Fact]
    public void Mish_is_x_times_tanh_of_softplus() => AssertElementwise(nn.Mish(), x => x * Math.Tanh(Softplus(x)));

    [Fact]
    public void Gelu_is_x_times_the_normal_distribution_function() =>
        AssertElementwise(nn.GELU(), x => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))));

    [Fact]
    public void Gelu_tanh_is_pytorchs_approximation_and_differs_from_the_exact_form()
    {
        AssertElementwise(nn.GELU(TorchSharp.Modules.GELU.Approximate.tanh),
            x => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))));
        using var scope = NewDisposeScope();
        var input = tensor(Points);
        Assert.True((nn.GELU(TorchSharp.Modules.GELU.Approximate.tanh).forward(input) - nn.GELU().forward(input)).abs().max().item<float>() > 1e-4);
    }

    [Fact]
    public void Leaky_relu_scales_negatives_by_its_slope() => AssertElementwise(nn.LeakyReLU(0.2), x => x >= 0 ? x : 0.2 * x);

    [Fact]
    public void Elu_is_alpha_times_expm1_below_zero() => AssertElementwise(nn.ELU(0.7), x => x > 0 ? x : 0.7 * (Math.Exp(x) - 1));

    [Fact]
    public void Prelu_uses_its_own_slope_per_channel()
    {
        using var scope = NewDisposeScope();
        using var prelu = nn.PReLU(4, 0.25);
        using (no_grad()) prelu.weight.copy_(tensor(new[] { 0.1f, -0.5f, 2f, 0f }));
        var input = tensor(Points).reshape(1, 4, 5);
        var output = prelu.forward(input).data<float>().ToArray();
        float[] slopes = { 0.1f, -0.5f, 2f, 0f };
        for (var i = 0; i < Points.Length; i++)
        {
            var x = (double)Points[i];
            Assert.Equal(x >= 0 ? x : slopes[i / 5] * x, output[i], 6);
        }
    }

    /// <summary>Mean and biased variance of a set of values, then (v - mean) / sqrt(var + eps).</summary>
    private static double[] Normalised(double[] values, double eps)
    {
        var mean = values.Average();
        var variance = values.Select(v => (v - mean) * (v - mean)).Average();
        return values.Select(v => (v - mean) / Math.Sqrt(variance + eps)).ToArray();
    }

    private static Tensor Sample(long c, long h, long w) =>
        arange(1 * c * h * w, dtype: float32).reshape(1, c, h, w).mul(0.37).sin().mul(3).add(arange(c, dtype: float32).reshape(1, c, 1, 1));

    [Fact]
    public void Layernorm2d_normalises_the_channels_of_each_position_then_scales_and_shifts()
    {
        using var scope = NewDisposeScope();
        using var norm = new LayerNorm2d(3, eps: 1e-6);
        using (no_grad())
        {
            norm.get_parameter("weight")!.copy_(tensor(new[] { 1f, 2f, -1f }));
            norm.get_parameter("bias")!.copy_(tensor(new[] { 0f, 0.5f, 1f }));
        }

        var input = Sample(3, 2, 4);
        var x = input.to(float64).data<double>().ToArray();
        var y = norm.forward(input).data<float>().ToArray();
        double[] weight = { 1, 2, -1 }, bias = { 0, 0.5, 1 };
        for (var position = 0; position < 8; position++)
        {
            var normalised = Normalised(Enumerable.Range(0, 3).Select(c => x[c * 8 + position]).ToArray(), 1e-6);
            for (var c = 0; c < 3; c++) Assert.Equal(normalised[c] * weight[c] + bias[c], y[c * 8 + position], 5);
        }
    }

    [Fact]
    public void Layernorm_on_channels_last_normalises_the_last_dimension()
    {
        using var scope = NewDisposeScope();
        using var norm = nn.LayerNorm(3, eps: 1e-5);
        var input = Sample(2, 2, 3);
        var x = input.to(float64).data<double>().ToArray();
        var y = norm.forward(input).data<float>().ToArray();
        for (var row = 0; row < 4; row++)
        {
            var normalised = Normalised(x.Skip(row * 3).Take(3).ToArray(), 1e-5);
            for (var i = 0; i < 3; i++) Assert.Equal(normalised[i], y[row * 3 + i], 5);
        }
    }

    [Fact]
    public void Groupnorm_normalises_each_group_of_channels_over_all_its_positions()
    {
        using var scope = NewDisposeScope();
        using var norm = new GroupNorm(2, 4, eps: 1e-5);
        var input = Sample(4, 3, 3);
        var x = input.to(float64).data<double>().ToArray();
        var y = norm.forward(input).data<float>().ToArray();
        for (var group = 0; group < 2; group++)
        {
            var normalised = Normalised(x.Skip(group * 18).Take(18).ToArray(), 1e-5);
            for (var i = 0; i < 18; i++) Assert.Equal(normalised[i], y[group * 18 + i], 5);
        }

        // On features (N x C), each group is normalised over its channels alone.
        var flat = tensor(new[] { 1f, 2f, 4f, 8f }).reshape(1, 4);
        var flatOut = norm.forward(flat).data<float>().ToArray();
        var first = Normalised(new[] { 1.0, 2.0 }, 1e-5);
        var second = Normalised(new[] { 4.0, 8.0 }, 1e-5);
        Assert.Equal(new[] { first[0], first[1], second[0], second[1] }, flatOut.Select(v => (double)v), new RoundedEquality(5));
    }

    /// <summary>Doubles equal to a number of decimal places.</summary>
    private sealed class RoundedEquality(int decimals) : System.Collections.Generic.IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Round(x - y, decimals) == 0;
        public int GetHashCode(double value) => 0;
    }

    [Fact]
    public void Instancenorm_normalises_each_channel_over_its_positions()
    {
        using var scope = NewDisposeScope();
        using var norm = nn.InstanceNorm2d(3, eps: 1e-5);
        var input = Sample(3, 2, 5);
        var x = input.to(float64).data<double>().ToArray();
        var y = norm.forward(input).data<float>().ToArray();
        for (var c = 0; c < 3; c++)
        {
            var normalised = Normalised(x.Skip(c * 10).Take(10).ToArray(), 1e-5);
            for (var i = 0; i < 10; i++) Assert.Equal(normalised[i], y[c * 10 + i], 5);
        }
    }

    [Fact]
    public void Layer_scale_multiplies_each_channel_by_its_own_factor_and_lives_on_its_parent()
    {
        using var scope = NewDisposeScope();
        var scale = new LayerScale(3, 0.5);
        using var parent = new ModuleGroup("block", ("gamma", scale));
        Assert.Equal(new[] { "gamma" }, parent.state_dict().Keys.ToArray());
        Assert.Equal(new long[] { 3, 1, 1 }, parent.get_parameter("gamma")!.shape);
        using (no_grad()) parent.get_parameter("gamma")!.copy_(tensor(new[] { 1f, -2f, 0.5f }).reshape(3, 1, 1));
        var input = Sample(3, 2, 2);
        var x = input.data<float>().ToArray();
        var y = scale.forward(input).data<float>().ToArray();
        double[] factors = { 1, -2, 0.5 };
        for (var i = 0; i < 12; i++) Assert.Equal(x[i] * factors[i / 4], y[i], 5);
    }

    [Fact]
    public void Layer_scale_follows_its_parameter_when_the_parent_converts_it()
    {
        using var scope = NewDisposeScope();
        var scale = new LayerScale(2, 0.25);
        using var parent = new ModuleGroup("block", ("layer_scale", scale));
        parent.to(float64);
        Assert.Equal(float64, parent.get_parameter("layer_scale")!.dtype);
        var output = scale.forward(ones(1, 2, 1, 1, dtype: float64));
        Assert.Equal(float64, output.dtype);
        Assert.Equal(0.25, output[0, 1, 0, 0].item<double>());
    }

    [Fact]
    public void Stochastic_depth_is_the_identity_in_eval_and_drops_whole_samples_in_training()
    {
        using var scope = NewDisposeScope();
        using var row = new StochasticDepth(0.5, StochasticDepthMode.Row);
        var input = ones(64, 3, 2, 2);
        row.eval();
        Assert.Same(input, row.forward(input));

        row.train();
        manual_seed(5);
        var output = row.forward(input);
        var perSample = output.reshape(64, -1);
        var kept = 0;
        for (var n = 0; n < 64; n++)
        {
            var values = perSample[n].data<float>().ToArray();
            // Each sample is dropped (all 0) or kept and scaled by 1 / (1 - p) = 2.
            Assert.True(values.All(v => v == 0f) || values.All(v => v == 2f), $"sample {n}: {string.Join(", ", values)}");
            if (values[0] == 2f) kept++;
        }

        Assert.InRange(kept, 16, 48); // Binomial(64, 0.5): outside this range with probability below 1e-4

        using var batch = new StochasticDepth(0.5, StochasticDepthMode.Batch);
        batch.train();
        var values2 = batch.forward(input).data<float>().ToArray();
        Assert.True(values2.All(v => v == 0f) || values2.All(v => v == 2f));
    }

    [Fact]
    public void Permute_moves_the_channels_last_and_back()
    {
        using var scope = NewDisposeScope();
        var input = Sample(3, 2, 4);
        using var last = new Permute(new long[] { 0, 2, 3, 1 });
        using var first = new Permute(new long[] { 0, 3, 1, 2 });
        var channelsLast = last.forward(input);
        Assert.Equal(new long[] { 1, 2, 4, 3 }, channelsLast.shape);
        Assert.Equal(input[0, 2, 1, 3].item<float>(), channelsLast[0, 1, 3, 2].item<float>());
        Assert.Equal(0f, (first.forward(channelsLast) - input).abs().max().item<float>());
        Assert.Throws<ArgumentException>(() => new Permute(new long[] { 0, 1, 1, 2 }));
    }
}
