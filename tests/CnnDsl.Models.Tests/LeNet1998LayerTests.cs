using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Runtime.Layers;
using TorchSharp;
using Xunit;

namespace CnnDsl.Models.Tests;

/// <summary>The building blocks of LeCun et al. 1998's LeNet-5: C3's partial connections, the
/// trainable sub-sampling of S2/S4, the scaled tanh and the RBF output layer.</summary>
public sealed class LeNet1998LayerTests : IClassFixture<TorchFixture>
{
    /// <summary>
    /// Table I of the paper, as printed: one row per S2 map (0-5), one column per C3 map (0-15,
    /// separated by single spaces); an X marks which S2 maps each C3 map combines.
    /// </summary>
    private static readonly string[] PaperTableI =
    {
        //  C3: 0 1 2 3 4 5 6 7 8 9 10..15
        "0 |X       X X X     X X X X   X X|",
        "1 |X X       X X X     X X X X   X|",
        "2 |X X X       X X X     X   X X X|",
        "3 |  X X X     X X X X     X   X X|",
        "4 |    X X X     X X X X   X X   X|",
        "5 |      X X X     X X X X   X X X|",
    };

    /// <summary>The table as lists, in the order of the design notes (and the paper's text).</summary>
    private static readonly int[][] C3Lists =
    {
        new[] { 0, 1, 2 }, new[] { 1, 2, 3 }, new[] { 2, 3, 4 }, new[] { 3, 4, 5 }, new[] { 4, 5, 0 }, new[] { 5, 0, 1 },
        new[] { 0, 1, 2, 3 }, new[] { 1, 2, 3, 4 }, new[] { 2, 3, 4, 5 }, new[] { 3, 4, 5, 0 }, new[] { 4, 5, 0, 1 }, new[] { 5, 0, 1, 2 },
        new[] { 0, 1, 3, 4 }, new[] { 1, 2, 4, 5 }, new[] { 0, 2, 3, 5 },
        new[] { 0, 1, 2, 3, 4, 5 },
    };

    /// <summary>mask[j, i]: whether C3 map j sees S2 map i, parsed from <see cref="PaperTableI"/>.</summary>
    private static bool[,] ParseTableI()
    {
        Assert.Equal(6, PaperTableI.Length);
        var mask = new bool[16, 6];
        for (int i = 0; i < 6; i++)
        {
            string line = PaperTableI[i];
            Assert.StartsWith($"{i} |", line, StringComparison.Ordinal);
            Assert.EndsWith("|", line, StringComparison.Ordinal);
            string cells = line.Substring(3, line.Length - 4);
            Assert.Equal(31, cells.Length);
            for (int j = 0; j < 16; j++)
            {
                char cell = cells[2 * j];
                Assert.True(cell is 'X' or ' ', $"row {i}, column {j}: '{cell}'");
                if (j < 15)
                {
                    Assert.Equal(' ', cells[(2 * j) + 1]);
                }

                mask[j, i] = cell == 'X';
            }
        }

        return mask;
    }

    private static PartialConv2d CreateC3() =>
        new PartialConv2d(6, 16, (5, 5), (1, 1), (0, 0), PartialConv2d.LeNet5C3Connections);

    private static torch.Tensor MaskTensor(bool[,] mask)
    {
        var values = new float[16 * 6 * 5 * 5];
        for (int j = 0; j < 16; j++)
        {
            for (int i = 0; i < 6; i++)
            {
                for (int k = 0; k < 25; k++)
                {
                    values[(((j * 6) + i) * 25) + k] = mask[j, i] ? 1f : 0f;
                }
            }
        }

        return torch.tensor(values, new long[] { 16, 6, 5, 5 });
    }

    /// <summary>Same shape and exactly the same values (TorchSharp's <c>equal</c> is elementwise).</summary>
    private static bool Same(torch.Tensor a, torch.Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static torch.Tensor Parameter(torch.nn.Module module, string name) =>
        module.named_parameters().Single(p => p.name == name).parameter;

    [Fact]
    public void C3_connection_table_is_the_papers_Table_I()
    {
        bool[,] mask = ParseTableI();
        var runtime = PartialConv2d.LeNet5C3Connections;
        Assert.Equal(16, runtime.Count);
        int total = 0;
        for (int j = 0; j < 16; j++)
        {
            var fromGrid = Enumerable.Range(0, 6).Where(i => mask[j, i]).ToHashSet();
            Assert.True(fromGrid.SetEquals(runtime[j]), $"C3 map {j}: grid {{{string.Join(",", fromGrid)}}}, runtime {{{string.Join(",", runtime[j])}}}");
            Assert.True(fromGrid.SetEquals(C3Lists[j]), $"C3 map {j}: grid and the listed sets differ");
            Assert.Equal(C3Lists[j], runtime[j]);
            total += fromGrid.Count;
        }

        Assert.Equal(60, total);

        using var c3 = CreateC3();
        Assert.Equal(runtime.Select(r => r.ToArray()), c3.Connections.Select(r => r.ToArray()));
    }

    [Fact]
    public void C3_has_1516_parameters_under_weight_and_bias_only()
    {
        using var c3 = CreateC3();

        // 60 connections x 25 taps + 16 biases = 1,500 + 16 = 1,516.
        Assert.Equal(1516L, c3.parameters().Sum(p => p.numel()));
        var state = c3.state_dict();
        Assert.Equal(new[] { "bias", "weight" }, state.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(new long[] { 60, 5, 5 }, state["weight"].shape);
        Assert.Equal(new long[] { 16 }, state["bias"].shape);
        Assert.Empty(c3.buffers());

        using var noBias = new PartialConv2d(6, 16, (5, 5), (1, 1), (0, 0), PartialConv2d.LeNet5C3Connections, bias: false);
        Assert.Equal(new[] { "weight" }, noBias.state_dict().Keys);
        Assert.Equal(1500L, noBias.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void C3_initialisation_is_within_lecuns_bounds()
    {
        using var c3 = CreateC3();
        using var scope = torch.NewDisposeScope();
        var weight = Parameter(c3, "weight");
        var bias = Parameter(c3, "bias");
        int c = 0;
        for (int j = 0; j < 16; j++)
        {
            double bound = 2.4 / (C3Lists[j].Length * 25);
            for (int k = 0; k < C3Lists[j].Length; k++, c++)
            {
                Assert.True(weight[c].abs().max().item<float>() <= bound, $"kernel {c} of map {j} exceeds {bound}");
            }

            Assert.True(Math.Abs(bias[j].item<float>()) <= bound);
        }

        Assert.True(weight.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void C3_effective_weight_places_each_packed_kernel_and_forward_is_conv2d_with_it()
    {
        using var c3 = CreateC3();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var packed = Parameter(c3, "weight");
        var bias = Parameter(c3, "bias");

        // Built independently: kernel c (in packing order) goes to [j, i] for the c-th listed pair.
        var expected = torch.zeros(16, 6, 5, 5);
        int c = 0;
        for (int j = 0; j < 16; j++)
        {
            foreach (int i in C3Lists[j])
            {
                expected[j, i] = packed[c++];
            }
        }

        Assert.Equal(60, c);
        var effective = c3.EffectiveWeight();
        Assert.Equal(new long[] { 16, 6, 5, 5 }, effective.shape);
        Assert.True(Same(effective, expected));

        var input = torch.randn(3, 6, 14, 14);
        var output = c3.forward(input);
        Assert.Equal(new long[] { 3, 16, 10, 10 }, output.shape);
        var reference = torch.nn.functional.conv2d(input, expected, bias);
        Assert.True(Same(output, reference));
    }

    [Fact]
    public void Masked_entries_are_exactly_zero_and_stay_zero_after_sgd_and_adam_steps()
    {
        bool[,] mask = ParseTableI();
        using var c3 = CreateC3();
        using var scope = torch.NewDisposeScope();
        var keep = MaskTensor(mask);
        var masked = keep.logical_not();

        void AssertMaskedZero(string when)
        {
            using var noGrad = torch.no_grad();
            var effective = c3.EffectiveWeight();
            Assert.True(effective.masked_select(masked).eq(0).all().item<bool>(), $"a masked entry is not 0 {when}");
        }

        AssertMaskedZero("after construction");

        var sgd = torch.optim.SGD(c3.parameters(), 0.1, momentum: 0.9, weight_decay: 0.01);
        var adam = torch.optim.Adam(c3.parameters(), lr: 0.01, weight_decay: 0.01);
        foreach (var (name, optimizer) in new (string, torch.optim.Optimizer)[] { ("SGD", sgd), ("Adam", adam), ("SGD", sgd) })
        {
            var before = Parameter(c3, "weight").detach().clone();
            optimizer.zero_grad();
            var input = torch.randn(4, 6, 14, 14);
            var loss = c3.forward(input).square().mean();
            loss.backward();

            var grad = Parameter(c3, "weight").grad;
            Assert.NotNull(grad);
            Assert.Equal(new long[] { 60, 5, 5 }, grad!.shape);
            Assert.True(grad.abs().sum().item<float>() > 0);

            optimizer.step();
            Assert.False(Same(Parameter(c3, "weight"), before), $"{name} did not change the weight");
            AssertMaskedZero($"after a {name} step");
        }
    }

    [Fact]
    public void C3_survives_a_dtype_change_and_its_creating_dispose_scope()
    {
        PartialConv2d c3;
        using (torch.NewDisposeScope())
        {
            c3 = CreateC3();
            using var warm = torch.randn(1, 6, 14, 14);
            using var once = c3.forward(warm);
        }

        using (c3)
        using (var scope = torch.NewDisposeScope())
        {
            c3.to(torch.float64);
            Assert.Equal(torch.float64, Parameter(c3, "weight").dtype);
            var output = c3.forward(torch.randn(2, 6, 14, 14, dtype: torch.float64));
            Assert.Equal(torch.float64, output.dtype);
            Assert.Equal(new long[] { 2, 16, 10, 10 }, output.shape);
            Assert.Equal(new[] { "bias", "weight" }, c3.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal));
        }
    }

    /// <summary>A parent that registers its fields the way generated models may.</summary>
    private sealed class Parent : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        private readonly PartialConv2d c3 = CreateC3();
        private readonly TrainableSubsampling s4 = new TrainableSubsampling(16);
        private readonly ScaledTanh squash = new ScaledTanh();
        private readonly RbfOutput output = new RbfOutput(84, 10);

        public Parent()
            : base(nameof(Parent))
        {
            RegisterComponents();
        }

        public override torch.Tensor forward(torch.Tensor input) =>
            squash.forward(s4.forward(c3.forward(input)));

        public torch.Tensor Distances(torch.Tensor features) => output.forward(features);
    }

    [Fact]
    public void Inside_a_parent_only_the_promised_tensors_appear()
    {
        using var parent = new Parent();
        using var scope = torch.NewDisposeScope();
        Assert.Equal(
            new[] { "c3.bias", "c3.weight", "output.codes", "s4.bias", "s4.weight" },
            parent.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(1516L + 32L, parent.parameters().Sum(p => p.numel()));
        Assert.Equal(new long[] { 2, 16, 5, 5 }, parent.forward(torch.randn(2, 6, 14, 14)).shape);
        Assert.Equal(new long[] { 2, 10 }, parent.Distances(torch.randn(2, 84)).shape);

        // Module.to(...) on the parent reaches the children's fields.
        parent.to(torch.float64);
        Assert.Equal(torch.float64, parent.forward(torch.randn(2, 6, 14, 14, dtype: torch.float64)).dtype);
        Assert.Equal(torch.float64, parent.Distances(torch.randn(2, 84, dtype: torch.float64)).dtype);
        Assert.All(parent.state_dict().Values, t => Assert.Equal(torch.float64, t.dtype));
    }

    public static IEnumerable<object[]> InvalidTables()
    {
        int[][] Rows(params int[][] rows) => rows;
        // Wrong number of rows for 3 outputs over 4 inputs.
        yield return new object[] { "two rows for three outputs", Rows(new[] { 0 }, new[] { 1 }) };
        yield return new object[] { "four rows for three outputs", Rows(new[] { 0 }, new[] { 1 }, new[] { 2 }, new[] { 3 }) };
        yield return new object[] { "index 4 with four inputs", Rows(new[] { 0 }, new[] { 1, 4 }, new[] { 2 }) };
        yield return new object[] { "negative index", Rows(new[] { 0 }, new[] { -1 }, new[] { 2 }) };
        yield return new object[] { "duplicate", Rows(new[] { 0, 1, 0 }, new[] { 1 }, new[] { 2 }) };
        yield return new object[] { "empty row", Rows(new[] { 0 }, Array.Empty<int>(), new[] { 2 }) };
        yield return new object[] { "null row", Rows(new[] { 0 }, null!, new[] { 2 }) };
    }

    [Theory]
    [MemberData(nameof(InvalidTables))]
    public void Invalid_connection_tables_throw_ArgumentException(string why, int[][] rows)
    {
        Assert.False(string.IsNullOrEmpty(why));
        Assert.ThrowsAny<ArgumentException>(() =>
            new PartialConv2d(4, 3, (3, 3), (1, 1), (0, 0), rows.Select(r => (IReadOnlyList<int>)r).ToArray()));
    }

    [Fact]
    public void Null_table_throws_ArgumentException()
    {
        Assert.ThrowsAny<ArgumentException>(() => new PartialConv2d(4, 3, (3, 3), (1, 1), (0, 0), null!));
    }

    [Fact]
    public void Subsampling_sums_each_window_then_scales_and_shifts_per_channel()
    {
        using var s = new TrainableSubsampling(1);
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad())
        {
            Parameter(s, "weight").fill_(0.5);
            Parameter(s, "bias").fill_(-1.0);
        }

        // 1  2  3  4
        // 5  6  7  8
        // 9 10 11 12
        // 13 14 15 16
        var input = torch.arange(1, 17, dtype: torch.float32).reshape(1, 1, 4, 4);

        // Window sums: 1+2+5+6 = 14, 3+4+7+8 = 22, 9+10+13+14 = 46, 11+12+15+16 = 54.
        // Times 0.5 minus 1: 14*0.5-1 = 6, 22*0.5-1 = 10, 46*0.5-1 = 22, 54*0.5-1 = 26.
        var output = s.forward(input);
        Assert.Equal(new long[] { 1, 1, 2, 2 }, output.shape);
        Assert.Equal(new[] { 6f, 10f, 22f, 26f }, output.data<float>().ToArray());
    }

    [Fact]
    public void Subsampling_has_a_coefficient_and_a_bias_per_channel()
    {
        using var s2 = new TrainableSubsampling(6);
        using var s4 = new TrainableSubsampling(16, 2, 2);
        Assert.Equal(12L, s2.parameters().Sum(p => p.numel()));
        Assert.Equal(32L, s4.parameters().Sum(p => p.numel()));
        Assert.Equal(new[] { "bias", "weight" }, s2.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(new long[] { 6 }, s2.state_dict()["weight"].shape);
        Assert.Equal(new long[] { 6 }, s2.state_dict()["bias"].shape);

        using var scope = torch.NewDisposeScope();
        using (torch.no_grad())
        {
            // Channel 0 scaled by 1, channel 1 by 2: all-ones 2x2 windows sum to 4.
            var s = new TrainableSubsampling(2);
            Parameter(s, "weight").copy_(torch.tensor(new[] { 1f, 2f }));
            Parameter(s, "bias").copy_(torch.tensor(new[] { 0f, 0.5f }));
            var output = s.forward(torch.ones(1, 2, 4, 6));
            Assert.Equal(new long[] { 1, 2, 2, 3 }, output.shape);
            Assert.True(output[0, 0].eq(4f).all().item<bool>());
            Assert.True(output[0, 1].eq(8.5f).all().item<bool>());
        }

        Assert.Equal(new long[] { 2, 6, 14, 14 }, s2.forward(torch.randn(2, 6, 28, 28)).shape);
        Assert.Equal(new long[] { 2, 16, 5, 5 }, s4.forward(torch.randn(2, 16, 10, 10)).shape);
    }

    [Fact]
    public void ScaledTanh_is_1_7159_tanh_of_two_thirds_x()
    {
        using var f = new ScaledTanh();
        using var scope = torch.NewDisposeScope();
        Assert.Empty(f.parameters());
        Assert.Empty(f.state_dict());

        var output = f.forward(torch.tensor(new[] { 0.0, 1.0, -1.0, 3.0 })).data<double>().ToArray();
        Assert.Equal(0.0, output[0]);
        Assert.Equal(1.7159 * Math.Tanh(2.0 / 3.0), output[1], 12);
        Assert.Equal(-1.7159 * Math.Tanh(2.0 / 3.0), output[2], 12);
        Assert.Equal(1.7159 * Math.Tanh(2.0), output[3], 12);

        // f(1) is about 1: the reason for the constants.
        Assert.Equal(1.0, output[1], 3);

        using var custom = new ScaledTanh(2.0, 0.5);
        Assert.Equal(2.0 * Math.Tanh(0.5), custom.forward(torch.tensor(new[] { 1.0 })).item<double>(), 12);
    }

    [Fact]
    public void Rbf_output_has_fixed_distinct_plus_minus_one_digit_codes_and_no_parameters()
    {
        using var rbf = new RbfOutput(84, 10);
        using var scope = torch.NewDisposeScope();
        Assert.Empty(rbf.parameters());
        Assert.Equal(new[] { "codes" }, rbf.state_dict().Keys);
        var codes = rbf.state_dict()["codes"];
        Assert.Equal(new long[] { 10, 84 }, codes.shape);
        Assert.False(codes.requires_grad);
        Assert.True(codes.abs().eq(1f).all().item<bool>());

        float[] values = codes.data<float>().ToArray();
        var rows = Enumerable.Range(0, 10).Select(i => string.Concat(values.Skip(i * 84).Take(84).Select(v => v > 0 ? '#' : '.'))).ToArray();
        Assert.Equal(10, rows.Distinct().Count());

        // Each code is its digit's bitmap flattened row by row.
        for (int digit = 0; digit < 10; digit++)
        {
            Assert.Equal(string.Concat(RbfOutput.DigitBitmap(digit)), rows[digit]);
        }

        // An input equal to a code is at distance 0 from it and predicted as that class; the
        // distance to another code is 4 per differing pixel.
        var x = codes[7].unsqueeze(0);
        var distances = rbf.forward(x);
        Assert.Equal(new long[] { 1, 10 }, distances.shape);
        Assert.Equal(0f, distances[0, 7].item<float>());
        Assert.Equal(7L, RbfOutput.Predict(distances)[0].item<long>());
        int differing = rows[7].Zip(rows[1]).Count(p => p.First != p.Second);
        Assert.Equal(4f * differing, distances[0, 1].item<float>());

        using var fewer = new RbfOutput(84, 3);
        Assert.True(Same(fewer.state_dict()["codes"], codes[..3]));
    }

    [Fact]
    public void Rbf_distances_match_a_hand_computation()
    {
        using var rbf = new RbfOutput(4, 2);
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad())
        {
            rbf.state_dict()["codes"].copy_(torch.tensor(new[] { 1f, 1f, 1f, 1f, -1f, 1f, -1f, 1f }, new long[] { 2, 4 }));
        }

        var x = torch.tensor(new[] { 0.5f, -1f, 2f, 0f, -1f, 1f, -1f, 0f }, new long[] { 2, 4 });

        // Row 0 against code 0 (1, 1, 1, 1): (0.5-1)^2 + (-1-1)^2 + (2-1)^2 + (0-1)^2 = 0.25 + 4 + 1 + 1 = 6.25
        //        against code 1 (-1, 1, -1, 1): (0.5+1)^2 + (-1-1)^2 + (2+1)^2 + (0-1)^2 = 2.25 + 4 + 9 + 1 = 16.25
        // Row 1 against code 0: (-1-1)^2 + (1-1)^2 + (-1-1)^2 + (0-1)^2 = 4 + 0 + 4 + 1 = 9
        //        against code 1: (-1+1)^2 + (1-1)^2 + (-1+1)^2 + (0-1)^2 = 0 + 0 + 0 + 1 = 1
        var distances = rbf.forward(x);
        Assert.Equal(new[] { 6.25f, 16.25f, 9f, 1f }, distances.data<float>().ToArray());
        Assert.Equal(new[] { 0L, 1L }, RbfOutput.Predict(distances).data<long>().ToArray());

        // Gradients reach the input, not the fixed codes.
        var input = torch.randn(3, 4, requires_grad: true);
        rbf.forward(input).sum().backward();
        Assert.NotNull(input.grad);
        Assert.Null(rbf.state_dict()["codes"].grad);
    }

    [Fact]
    public void Rbf_codes_outside_the_digit_case_come_from_the_documented_generator()
    {
        using var wide = new RbfOutput(84, 11);
        using var other = new RbfOutput(16, 5);
        using var scope = torch.NewDisposeScope();
        Assert.False(RbfOutput.UsesDigitBitmaps(84, 11));
        Assert.False(RbfOutput.UsesDigitBitmaps(16, 5));

        foreach (var (rbf, features, classes) in new[] { (wide, 84L, 11L), (other, 16L, 5L) })
        {
            var codes = rbf.state_dict()["codes"];
            Assert.Equal(new[] { classes, features }, codes.shape);
            float[] values = codes.data<float>().ToArray();
            Assert.Equal(RbfOutput.GeneratedCode(features, classes), values);
            Assert.All(values, v => Assert.True(v is 1f or -1f));
            Assert.Equal((int)classes, Enumerable.Range(0, (int)classes).Select(i => string.Concat(values.Skip(i * (int)features).Take((int)features).Select(v => v > 0 ? '1' : '0'))).Distinct().Count());
            Assert.Contains(1f, values);
            Assert.Contains(-1f, values);
        }
    }
}
