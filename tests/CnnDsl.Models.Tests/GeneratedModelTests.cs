using System.IO;
using System.Linq;
using CnnDsl.Dsl;
using TorchSharp;
using Xunit;

namespace CnnDsl.Models.Tests;

/// <summary>Every generated model, checked three ways against the published parameter counts:
/// the static analysis, the generated constant, and the instantiated TorchSharp module.</summary>
public sealed class GeneratedModelTests : IClassFixture<TorchFixture>
{
    [Theory]
    [MemberData(nameof(ReferenceFigures.Names), MemberType = typeof(ReferenceFigures))]
    public void Parameter_counts_match_the_reference_three_ways(string name)
    {
        var entry = ReferenceFigures.All[name];

        var path = Path.Combine(System.AppContext.BaseDirectory, "architectures", entry.File);
        var analysis = CnnCompiler.Compile(path, File.ReadAllText(path));
        Assert.Empty(analysis.Diagnostics);
        var model = analysis.Models.Single(m => m.Name == entry.Model);
        Assert.Equal(entry.Parameters, model.Parameters);
        Assert.Equal(entry.AuxiliaryParameters, model.AuxiliaryParameters);

        Assert.Equal(entry.Parameters, entry.GeneratedParameters);
        Assert.Equal(entry.AuxiliaryParameters, entry.GeneratedAuxiliaryParameters);

        // The module holds the training-only heads too: parameters() counts both.
        using var module = entry.Create();
        var counted = module.parameters().Sum(p => p.numel());
        Assert.Equal(entry.Parameters + entry.AuxiliaryParameters, counted);
    }

    [Theory]
    [MemberData(nameof(ReferenceFigures.Names), MemberType = typeof(ReferenceFigures))]
    public void Forward_pass_produces_the_declared_output_shape(string name)
    {
        var entry = ReferenceFigures.All[name];
        using var scope = torch.NewDisposeScope();
        using var module = entry.Create();
        module.eval();
        using var noGrad = torch.no_grad();

        var input = torch.randn(new long[] { 2 }.Concat(entry.InputShape).ToArray());
        var output = module.forward(input);

        Assert.Equal(new long[] { 2 }.Concat(entry.OutputShape).ToArray(), output.shape);
        Assert.False(output.isnan().any().item<bool>());
        Assert.False(input.IsInvalid);
    }

    [Fact]
    public void Forward_pass_in_training_mode_backpropagates_to_every_parameter()
    {
        using var scope = torch.NewDisposeScope();
        using var module = new CnnDsl.Architectures.LeNet5();
        module.train();
        var input = torch.randn(4, 1, 28, 28);
        var loss = module.forward(input).square().mean();
        loss.backward();

        Assert.All(module.parameters(), p => Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0));
    }
}
