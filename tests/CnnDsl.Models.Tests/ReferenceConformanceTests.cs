using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CnnDsl.Models.Tests.Reference;
using CnnDsl.Runtime.Weights;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CnnDsl.Models.Tests;

/// <summary>torchvision is the oracle of the hand-written references too (WiringTests compares
/// them with the generated classes, but both run on the same libtorch, whose float32 convolutions
/// are wrong on some CPUs: DESIGN.md, Platform notes). PyTorch 1.13.1 builds torchvision's network
/// with seeded weights and non-trivial batch norms (tests/conformance/make_references.py, the
/// files of tests/CnnDsl.Conformance.Tests); the reference loads them strictly (same keys,
/// shapes, element types) and must compute torchvision's eval output within float32 rounding,
/// with CnnDsl.Conformance.Tests' bound: max |reference - torchvision32| &lt;= 4 x torchvision's
/// own float32 error (against its float64 run) + 1e-5 of the output's scale.</summary>
public sealed class ReferenceConformanceTests : IClassFixture<TorchFixture>, IClassFixture<TorchvisionOracle>
{
    private const double RoundingFactor = 4;
    private const double Floor = 1e-5;

    /// <summary>Each reference that benchmarks/ times, under its name in
    /// tests/conformance/models.json (ResNet-18's BasicBlock and VGG are left to WiringTests,
    /// against generated classes that CnnDsl.Conformance.Tests hold to torchvision).</summary>
    private static readonly Dictionary<string, Func<nn.Module<Tensor, Tensor>>> references = new()
    {
        ["MobileNetV2"] = () => new MobileNetV2Reference(),
        ["EfficientNetB0"] = () => EfficientNetReference.B0(),
        ["ResNet50"] = () => ResNetReference.ResNet50(),
        ["GoogLeNet"] = () => new GoogLeNetReference(auxLogits: false),
        ["DenseNet121"] = () => DenseNetReference.DenseNet121(),
    };

    private readonly TorchvisionOracle oracle;
    private readonly ITestOutputHelper output;

    public ReferenceConformanceTests(TorchFixture fixture, TorchvisionOracle oracle, ITestOutputHelper output)
    {
        _ = fixture;
        this.oracle = oracle;
        this.output = output;
    }

    public static TheoryData<string> Models() => new(references.Keys);

    [Theory]
    [MemberData(nameof(Models))]
    public void Reference_computes_torchvisions_output_on_torchvisions_weights(string model)
    {
        var folder = oracle.Make(model);
        try
        {
            using var weights = StateDictFile.Read(Path.Combine(folder, "weights.pth"));
            using var io = StateDictFile.Read(Path.Combine(folder, "io.pth"));
            var tensors = io.Entries.ToDictionary(e => e.Key, e => e.Value);
            var input = tensors["input"];
            var expected = tensors["output"];
            var exact = tensors["output.float64"];

            using var reference = references[model]();
            reference.eval();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();

            // Its own random weights first: the bound must be able to fail.
            var (before, _, _) = Errors(reference.forward(input), expected, exact);

            LoadStrictly(reference, weights.Entries, model);
            var (d, e, scale) = Errors(reference.forward(input), expected, exact);
            var allowed = RoundingFactor * e + Floor * scale;
            output.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "{0} input {1}: max abs {2:E2}, max rel {3:E2}; torchvision's own {4:E2}; allowed {5:E2}; with its own weights {6:E2}",
                model, string.Join("x", input.shape), d, d / scale, e / scale, allowed / scale, before / scale));
            Assert.True(before > allowed, $"{model}: the reference with its own random weights is already within the bound ({before:E2} <= {allowed:E2})");
            Assert.True(d <= allowed, $"{model}: the reference differs from torchvision by {d:E2} (max rel {d / scale:E2}); allowed {allowed:E2} ({RoundingFactor} x torchvision's own float32 error {e:E2} + {Floor:0e0} of the scale {scale:E2})");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Copies every tensor of the file into the module's tensor of the same key, after
    /// checking that both have exactly the same keys, shapes and element types.</summary>
    private static void LoadStrictly(nn.Module module, IReadOnlyList<KeyValuePair<string, Tensor>> file, string model)
    {
        var ours = module.state_dict();
        var theirs = file.ToDictionary(e => e.Key, e => e.Value);
        var missing = theirs.Keys.Except(ours.Keys).ToList();
        var extra = ours.Keys.Except(theirs.Keys).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{model}: keys differ from torchvision's: torchvision only [{string.Join(", ", missing.Take(5))}]; reference only [{string.Join(", ", extra.Take(5))}]");
        foreach (var (key, tensor) in theirs)
        {
            Assert.True(tensor.shape.SequenceEqual(ours[key].shape) && tensor.dtype == ours[key].dtype,
                $"{model}: '{key}' is [{string.Join(", ", ours[key].shape)}] {ours[key].dtype} in the reference, [{string.Join(", ", tensor.shape)}] {tensor.dtype} in torchvision");
            ours[key].copy_(tensor);
        }
    }

    /// <summary>max |ours - torchvision32|, max |torchvision32 - torchvision64|, max |torchvision64|
    /// (NaN in ours makes the first NaN).</summary>
    private static (double Ours, double Torchvision, double Scale) Errors(Tensor ours, Tensor single, Tensor exact)
    {
        using var scope = NewDisposeScope();
        Assert.Equal(single.shape, ours.shape);
        var a = ours.to(float64);
        var b = single.to(float64);
        var d = a.isnan().any().item<bool>() ? double.NaN : (a - b).abs().max().item<double>();
        var e = (b - exact).abs().max().item<double>();
        var scale = exact.abs().max().item<double>();
        return (d, e, scale == 0 ? 1 : scale);
    }
}
