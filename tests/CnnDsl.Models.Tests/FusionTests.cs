using System;
using System.Linq;
using CnnDsl.Architectures;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;

namespace CnnDsl.Models.Tests;

/// <summary>FuseForInference folds batch norm into the convolution before it; the model's
/// eval-mode outputs stay the same up to float rounding, and the folded batch norms are no
/// longer run at all.</summary>
public sealed class FusionTests : IClassFixture<TorchFixture>
{
    [Theory]
    [InlineData("ResNet50", 53)]
    [InlineData("VGG16_BN", 13)]
    [InlineData("GoogLeNet", 57)]
    [InlineData("DenseNet121", 59)]
    public void Folded_model_gives_the_same_outputs_without_running_its_batch_norms(string name, int foldable)
    {
        using var scope = torch.NewDisposeScope();
        var (model, fuse) = Create(name);
        using var owned = model;

        // Non-trivial statistics: otherwise a batch norm dropped by mistake would look folded.
        model.train();
        using (torch.no_grad()) model.forward(torch.randn(4, 3, 224, 224) * 2 + 0.5);

        model.eval();
        var input = torch.randn(2, 3, 224, 224);
        using var noGrad = torch.no_grad();
        var expected = model.forward(input);

        fuse();
        // A folded batch norm must not run any more: poison its statistics.
        var norms = model.modules().OfType<BatchNorm2d>().ToList();
        var poisoned = 0;
        foreach (var (conv, norm) in FoldedPairs(model))
        {
            norm.running_var!.fill_(float.NaN);
            poisoned++;
        }

        var folded = model.forward(input);
        Assert.Equal(foldable, poisoned);
        Assert.False(folded.isnan().any().item<bool>(), "a folded batch norm still ran");
        var scale = Math.Max(1e-3, expected.abs().max().item<float>());
        var relative = (folded - expected).abs().max().item<float>() / scale;
        Assert.True(relative < 1e-4, $"relative difference {relative:E2}");
        Assert.NotEmpty(norms);
    }

    [Theory]
    [InlineData("ResNet50", 53)]
    [InlineData("GoogLeNet", 57)]
    public void Interpreter_folds_the_same_batch_norms_as_the_generated_class(string name, int foldable)
    {
        var entry = ReferenceFigures.All[name];
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, "architectures", entry.File);
        using var scope = torch.NewDisposeScope();
        using var model = CnnDsl.Runtime.Interpreter.CnnInterpreter.Build(path, System.IO.File.ReadAllText(path), entry.Model);
        model.train();
        using (torch.no_grad()) model.forward(torch.randn(4, 3, 224, 224) * 2 + 0.5);

        model.eval();
        var input = torch.randn(2, 3, 224, 224);
        using var noGrad = torch.no_grad();
        var expected = model.forward(input);

        model.FuseForInference();
        var pairs = FoldedPairs(model);
        foreach (var (_, norm) in pairs) norm.running_var!.fill_(float.NaN);

        var folded = model.forward(input);
        Assert.Equal(foldable, pairs.Length);
        Assert.False(folded.isnan().any().item<bool>(), "a folded batch norm still ran");
        var relative = (folded - expected).abs().max().item<float>() / Math.Max(1e-3, expected.abs().max().item<float>());
        Assert.True(relative < 1e-4, $"relative difference {relative:E2}");
        Assert.Throws<InvalidOperationException>(() => model.ForwardWithAuxiliary(input));
    }

    private static (torch.nn.Module<torch.Tensor, torch.Tensor> Model, Action Fuse) Create(string name)
    {
        switch (name)
        {
            case "ResNet50": { var m = new ResNet50(); return (m, m.FuseForInference); }
            case "VGG16_BN": { var m = new VGG16_BN(); return (m, m.FuseForInference); }
            case "GoogLeNet": { var m = new GoogLeNet(); return (m, m.FuseForInference); }
            default: { var m = new DenseNet121(); return (m, m.FuseForInference); }
        }
    }

    /// <summary>Each batch norm registered right after a convolution in the same module
    /// (torchvision's conv1/bn1, conv/bn, features.N/features.N+1 and downsample.0/1 layouts).</summary>
    private static (Conv2d, BatchNorm2d)[] FoldedPairs(torch.nn.Module model) =>
        new[] { model }.Concat(model.named_modules().Select(m => m.module))
            .Distinct()
            .SelectMany(parent =>
            {
                var children = parent.named_children().Select(c => c.module).ToList();
                return children.Zip(children.Skip(1), (a, b) => (a, b))
                    .Where(p => p.a is Conv2d && p.b is BatchNorm2d)
                    .Select(p => ((Conv2d)p.a, (BatchNorm2d)p.b));
            })
            .ToArray();
}
