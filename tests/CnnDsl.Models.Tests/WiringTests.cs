using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Architectures;
using CnnDsl.Models.Tests.Reference;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CnnDsl.Models.Tests;

/// <summary>
/// Checks the wiring of the generated models against the hand-written torchvision-structured
/// references in <c>Reference/</c>: same state_dict keys and shapes, and, once the generated
/// model's weights and buffers are copied into the reference by name, the same outputs. A layer
/// called in the wrong place, a branch fed the wrong tensor, a BN attached to the wrong conv or a
/// missing residual add all make the outputs disagree. Also: training-mode backward through the
/// generated code, and LeCun 1998's LeNet-5 with its C3 connection table.
/// </summary>
public sealed class WiringTests : IClassFixture<TorchFixture>
{
    private const int SeedGenerated = 1001;
    private const int SeedReference = 2002;
    private const int SeedData = 3003;

    /// <summary>
    /// Relative tolerance on the outputs after the copy. Both sides run the same libtorch float32
    /// kernels on the same tensors in the same order; the only differences in the computation are
    /// the operand order of the residual add and of squeeze-and-excitation's product (IEEE
    /// addition and multiplication are commutative, so bitwise equal) and DenseNet's concatenation
    /// done incrementally instead of from a list (pure copies). A correct
    /// wiring should therefore give 0 or a few float32 ulps (eps = 1.2e-7) of the output scale,
    /// should a kernel pick a different algorithm for a differently laid-out but equal tensor;
    /// 1e-5 of the output scale, max(1, max|output|), leaves room for that across ~100 layers
    /// (with these random weights the logits are below 1, so the bound is an absolute 1e-5). A
    /// wiring error changes the outputs by a sizeable fraction of their scale: swapping one pair of
    /// BN running means in ResNet-18 (the negative control below) moves them by ~1e-2.
    /// </summary>
    private const double RelativeTolerance = 1e-5;

    private readonly ITestOutputHelper output;

    public WiringTests(TorchFixture fixture, ITestOutputHelper output)
    {
        _ = fixture;
        this.output = output;
    }

    /// <summary>One model pair: factories for both sides and how to run each in eval mode
    /// (every output that must agree, main logits first).</summary>
    private sealed record Case(
        Func<nn.Module> Generated,
        Func<nn.Module> Reference,
        Func<nn.Module, Tensor, Tensor[]> RunGenerated,
        Func<nn.Module, Tensor, Tensor[]> RunReference);

    private static Tensor[] Plain(nn.Module m, Tensor x) => new[] { ((nn.Module<Tensor, Tensor>)m).forward(x) };

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["ResNet18"] = new(() => new ResNet18(), () => ResNetReference.ResNet18(), Plain, Plain),
        ["ResNet50"] = new(() => new ResNet50(), () => ResNetReference.ResNet50(), Plain, Plain),
        ["GoogLeNetAux"] = new(
            () => new GoogLeNetAux(),
            () => new GoogLeNetReference(auxLogits: true),
            (m, x) =>
            {
                var (o, a1, a2) = ((GoogLeNetAux)m).ForwardWithAuxiliary(x);
                return new[] { o, a1, a2 };
            },
            (m, x) =>
            {
                var (o, a1, a2) = ((GoogLeNetReference)m).ForwardWithAux(x);
                return new[] { o, a1, a2 };
            }),
        ["DenseNet121"] = new(() => new DenseNet121(), () => DenseNetReference.DenseNet121(), Plain, Plain),
        ["VGG16"] = new(() => new VGG16(), () => VggReference.VGG16(), Plain, Plain),
        ["VGG16_BN"] = new(() => new VGG16_BN(), () => VggReference.VGG16_BN(), Plain, Plain),
        ["MobileNetV2"] = new(() => new MobileNetV2(), () => new MobileNetV2Reference(), Plain, Plain),
        ["EfficientNetB0"] = new(() => new EfficientNetB0(), () => EfficientNetReference.B0(), Plain, Plain),
    };

    private static readonly string[] OutputNames = { "output", "aux1", "aux2" };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    // ---------------------------------------------------------------- 1. generated == reference

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Generated_model_has_the_references_state_dict_and_computes_the_same_function(string name)
    {
        var c = Cases[name];
        manual_seed(SeedGenerated);
        using var generated = c.Generated();
        manual_seed(SeedReference);
        using var reference = c.Reference();

        // Same key set (torchvision's names, buffers included) and the same shape for every key.
        var g = generated.state_dict();
        var r = reference.state_dict();
        var onlyGenerated = g.Keys.Except(r.Keys).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var onlyReference = r.Keys.Except(g.Keys).OrderBy(k => k, StringComparer.Ordinal).ToList();
        Assert.True(onlyGenerated.Count == 0 && onlyReference.Count == 0,
            $"{name}: keys only in generated: [{string.Join(", ", onlyGenerated)}]; only in reference: [{string.Join(", ", onlyReference)}]");
        Assert.Equal(r.Count, g.Count);
        foreach (var (key, tensor) in g)
            Assert.True(tensor.shape.SequenceEqual(r[key].shape) && tensor.dtype == r[key].dtype,
                $"{name}: '{key}' is [{string.Join(", ", tensor.shape)}] {tensor.dtype} generated, [{string.Join(", ", r[key].shape)}] {r[key].dtype} in the reference");
        if (name == "GoogLeNetAux")
        {
            Assert.Contains(g.Keys, k => k.StartsWith("aux1.", StringComparison.Ordinal));
            Assert.Contains(g.Keys, k => k.StartsWith("aux2.", StringComparison.Ordinal));
        }

        MakeEveryNormDistinctive(generated, c.RunGenerated);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        generated.eval();
        reference.eval();
        manual_seed(SeedData);
        var input = randn(2, 3, 224, 224);

        var fromGenerated = c.RunGenerated(generated, input);
        var beforeCopy = c.RunReference(reference, input);
        Assert.Equal(fromGenerated.Length, beforeCopy.Length);
        for (var i = 0; i < fromGenerated.Length; i++)
        {
            Assert.Equal(new long[] { 2, 1000 }, fromGenerated[i].shape);
            Assert.True(isfinite(fromGenerated[i]).all().item<bool>(), $"{name} {OutputNames[i]} is not finite");
            var scale = Scale(fromGenerated[i]);
            var before = WeightTransfer.MaxAbsDifference(fromGenerated[i], beforeCopy[i]);
            output.WriteLine($"{name} {OutputNames[i]}: before the copy max|diff| = {before:G4} (output scale {scale:G4})");
            // Differently seeded weights must give clearly different outputs, or the check below proves nothing.
            Assert.True(before > 100 * RelativeTolerance * scale,
                $"{name} {OutputNames[i]}: generated and reference already agree before the copy ({before:G4})");
        }

        WeightTransfer.CopyByName(generated, reference);

        var afterCopy = c.RunReference(reference, input);
        for (var i = 0; i < fromGenerated.Length; i++)
        {
            var scale = Scale(fromGenerated[i]);
            var after = WeightTransfer.MaxAbsDifference(fromGenerated[i], afterCopy[i]);
            output.WriteLine($"{name} {OutputNames[i]}: after the copy max|diff| = {after:G4} (tolerance {RelativeTolerance * scale:G4})");
            Assert.True(after < RelativeTolerance * scale,
                $"{name} {OutputNames[i]}: generated and reference differ by {after:G4} after copying by name (scale {scale:G4})");
        }
    }

    // ---------------------------------------------------------------- 2. negative control

    [Fact]
    public void Negative_control_swapping_two_BN_running_means_in_the_reference_is_caught()
    {
        var c = Cases["ResNet18"];
        manual_seed(SeedGenerated);
        using var generated = c.Generated();
        manual_seed(SeedReference);
        using var reference = c.Reference();
        MakeEveryNormDistinctive(generated, c.RunGenerated);
        WeightTransfer.CopyByName(generated, reference);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        generated.eval();
        reference.eval();
        manual_seed(SeedData);
        var input = randn(2, 3, 224, 224);
        var expected = c.RunGenerated(generated, input)[0];
        var scale = Scale(expected);
        var intact = WeightTransfer.MaxAbsDifference(expected, c.RunReference(reference, input)[0]);
        Assert.True(intact < RelativeTolerance * scale);

        // What a generator that attached bn2 where bn1 belongs (same shape, so no load error) would do.
        var state = reference.state_dict();
        var bn1 = state["layer1.0.bn1.running_mean"];
        var bn2 = state["layer1.0.bn2.running_mean"];
        var saved = bn1.clone();
        bn1.copy_(bn2);
        bn2.copy_(saved);

        var swapped = WeightTransfer.MaxAbsDifference(expected, c.RunReference(reference, input)[0]);
        output.WriteLine($"ResNet18: intact max|diff| = {intact:G4}; with layer1.0.bn1/bn2 running_mean swapped = {swapped:G4}; tolerance {RelativeTolerance * scale:G4}");
        Assert.True(swapped > 100 * RelativeTolerance * scale,
            $"swapping two BN running means changed the output by only {swapped:G4}: the comparison could not catch a misplaced BN");
    }

    // ---------------------------------------------------------------- 3. training-mode backward

    [Theory]
    [InlineData("ResNet18")]
    [InlineData("DenseNet121")]
    [InlineData("GoogLeNetAux")]
    public void Training_mode_backward_gives_every_parameter_a_finite_nonzero_gradient(string name)
    {
        manual_seed(SeedGenerated);
        using var model = Cases[name].Generated();
        model.train();

        using var scope = NewDisposeScope();
        manual_seed(SeedData);
        var input = randn(2, 3, 224, 224);
        var labels = randint(0, 1000, new long[] { 2 }, dtype: int64);

        Tensor loss;
        if (model is GoogLeNetAux googlenet)
        {
            var (o, a1, a2) = googlenet.ForwardWithAuxiliary(input);
            loss = nn.functional.cross_entropy(o, labels)
                + 0.3 * (nn.functional.cross_entropy(a1, labels) + nn.functional.cross_entropy(a2, labels));
        }
        else
        {
            loss = nn.functional.cross_entropy(((nn.Module<Tensor, Tensor>)model).forward(input), labels);
        }
        Assert.True(isfinite(loss).item<bool>());
        loss.backward();

        var parameters = model.named_parameters().ToList();
        Assert.NotEmpty(parameters);
        var missing = new List<string>();
        foreach (var (key, parameter) in parameters)
        {
            var grad = parameter.grad;
            if (grad is null || !isfinite(grad).all().item<bool>() || grad.abs().max().item<float>() == 0f)
                missing.Add(key);
        }
        output.WriteLine($"{name}: loss {loss.item<float>():G6}, {parameters.Count} parameters, {missing.Count} without a usable gradient");
        Assert.True(missing.Count == 0, $"{name}: no finite non-zero gradient for [{string.Join(", ", missing)}]");
        Assert.False(input.IsInvalid, "the forward pass disposed its input");
    }

    // ---------------------------------------------------------------- 4. LeNet-5, 1998

    /// <summary>C3 of LeCun et al. 1998, Table I: the S2 maps each C3 map sees.</summary>
    private static readonly int[][] TableI =
    {
        new[] { 0, 1, 2 }, new[] { 1, 2, 3 }, new[] { 2, 3, 4 }, new[] { 3, 4, 5 }, new[] { 4, 5, 0 }, new[] { 5, 0, 1 },
        new[] { 0, 1, 2, 3 }, new[] { 1, 2, 3, 4 }, new[] { 2, 3, 4, 5 }, new[] { 3, 4, 5, 0 }, new[] { 4, 5, 0, 1 }, new[] { 5, 0, 1, 2 },
        new[] { 0, 1, 3, 4 }, new[] { 1, 2, 4, 5 }, new[] { 0, 2, 3, 5 },
        new[] { 0, 1, 2, 3, 4, 5 },
    };

    [Fact]
    public void LeNet5_1998_has_60000_parameters_Table_I_in_C3_and_keeps_the_mask_through_an_SGD_step()
    {
        manual_seed(SeedGenerated);
        using var model = new LeNet5_1998();

        Assert.Equal(60_000L, model.parameters().Sum(p => p.numel()));
        Assert.Equal(60_000L, LeNet5_1998.ParameterCount);

        var state = model.state_dict();
        Assert.True(state.ContainsKey("output.codes"), "output.codes missing from the state_dict");
        Assert.Equal(new long[] { 10, 84 }, state["output.codes"].shape);
        Assert.DoesNotContain(model.named_parameters(), p => p.name == "output.codes");
        Assert.True(state.ContainsKey("c3.weight"), "c3.weight missing from the state_dict");
        Assert.Equal(new long[] { 60, 5, 5 }, state["c3.weight"].shape);

        // The layer's table, as sets (the order within a row only decides the packing).
        var connections = model.C3.Connections;
        Assert.Equal(TableI.Length, connections.Count);
        for (var j = 0; j < TableI.Length; j++)
            Assert.True(new HashSet<int>(TableI[j]).SetEquals(connections[j]),
                $"C3 map {j} sees {{{string.Join(",", connections[j])}}}, Table I says {{{string.Join(",", TableI[j])}}}");

        using var scope = NewDisposeScope();
        var keepData = new bool[16 * 6 * 5 * 5];
        for (var j = 0; j < 16; j++)
            foreach (var i in TableI[j])
                for (var k = 0; k < 25; k++)
                    keepData[(j * 6 + i) * 25 + k] = true;
        var keep = tensor(keepData).reshape(16, 6, 5, 5);
        var masked = keep.logical_not();

        Tensor Effective()
        {
            using var noGrad = no_grad();
            return model.C3.EffectiveWeight().detach().clone();
        }

        var before = Effective();
        Assert.Equal(new long[] { 16, 6, 5, 5 }, before.shape);
        Assert.True(before.masked_select(masked).eq(0).all().item<bool>(), "a masked C3 entry is not 0 before training");
        Assert.True(before.masked_select(keep).ne(0).any().item<bool>());

        model.train();
        var optimizer = optim.SGD(model.parameters(), 0.1);
        manual_seed(SeedData);
        var input = randn(8, 1, 32, 32);
        var labels = randint(0, 10, new long[] { 8 }, dtype: int64);
        optimizer.zero_grad();
        var distances = model.forward(input);
        Assert.Equal(new long[] { 8, 10 }, distances.shape);
        var loss = nn.functional.cross_entropy(-distances, labels);
        loss.backward();
        optimizer.step();

        var after = Effective();
        Assert.True(after.masked_select(masked).eq(0).all().item<bool>(), "a masked C3 entry is not exactly 0 after an SGD step");
        var changed = after.masked_select(keep).ne(before.masked_select(keep)).sum().item<long>();
        output.WriteLine($"LeNet5_1998: loss {loss.item<float>():G6}; {changed} of {keep.sum().item<long>()} unmasked C3 entries changed");
        Assert.True(changed > 0, "no unmasked C3 entry changed after an SGD step");

        // The codes are fixed: the step must not have moved them.
        Assert.True(model.state_dict()["output.codes"].abs().eq(1).all().item<bool>());
    }

    // ---------------------------------------------------------------- helpers

    private static double Scale(Tensor t)
    {
        using var noGrad = no_grad();
        using var abs = t.abs();
        using var max = abs.max();
        return Math.Max(1.0, max.item<float>());
    }

    /// <summary>
    /// With BN's initial state (weight 1, bias 0, running mean 0, var 1) two BN layers of the same
    /// width are interchangeable, so a BN wired to the wrong place would go unnoticed. Give every BN
    /// its own random affine parameters, then run one training-mode pass (no grad) so the running
    /// statistics and num_batches_tracked move away from 0 / 1 / 0 too; asserts that they did.
    /// A model without batch norm is left as it is.
    /// </summary>
    private static void MakeEveryNormDistinctive(nn.Module model, Func<nn.Module, Tensor, Tensor[]> run)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var state = model.state_dict();
        var norms = state.Keys
            .Where(k => k.EndsWith(".running_mean", StringComparison.Ordinal))
            .Select(k => k[..^".running_mean".Length])
            .ToList();
        if (norms.Count == 0) return; // plain VGG16 has no batch norm
        foreach (var prefix in norms)
        {
            state[prefix + ".weight"].uniform_(0.5, 1.5);
            state[prefix + ".bias"].normal_(0, 0.1);
        }

        model.train();
        manual_seed(SeedData + 1);
        run(model, randn(2, 3, 224, 224));
        model.eval();

        foreach (var prefix in norms)
        {
            Assert.Equal(1L, state[prefix + ".num_batches_tracked"].item<long>());
            Assert.True(state[prefix + ".running_mean"].abs().max().item<float>() > 1e-4,
                $"{prefix}.running_mean is still 0 after a training-mode pass");
            Assert.True(state[prefix + ".running_var"].sub(1).abs().max().item<float>() > 1e-4,
                $"{prefix}.running_var is still 1 after a training-mode pass");
        }
    }
}
