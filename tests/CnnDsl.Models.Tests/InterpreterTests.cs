using System.IO;
using System.Linq;
using CnnDsl.Runtime.Interpreter;
using TorchSharp;
using Xunit;

namespace CnnDsl.Models.Tests;

/// <summary>The runtime interpreter builds the same module as the generated class: same names,
/// same shapes, and with the same weights the same outputs.</summary>
public sealed class InterpreterTests : IClassFixture<TorchFixture>
{
    [Theory]
    [MemberData(nameof(ReferenceFigures.Names), MemberType = typeof(ReferenceFigures))]
    public void Interpreted_model_matches_the_generated_class(string name)
    {
        var entry = ReferenceFigures.All[name];
        var path = Path.Combine(System.AppContext.BaseDirectory, "architectures", entry.File);
        using var scope = torch.NewDisposeScope();
        using var generated = entry.Create();
        using var interpreted = CnnInterpreter.Build(path, File.ReadAllText(path), entry.Model);

        var generatedState = generated.state_dict();
        var interpretedState = interpreted.state_dict();
        Assert.Equal(generatedState.Keys.OrderBy(k => k), interpretedState.Keys.OrderBy(k => k));
        Assert.All(generatedState, kv => Assert.Equal(kv.Value.shape, interpretedState[kv.Key].shape));

        var input = torch.randn(new long[] { 1 }.Concat(entry.InputShape).ToArray());
        generated.eval();
        interpreted.eval();
        using (torch.no_grad())
        {
            var before = (generated.forward(input) - interpreted.forward(input)).abs().max().item<float>();
            Assert.True(before > 0, "independently initialised models should differ before the weights are shared");

            interpreted.load_state_dict(generatedState);
            var difference = (generated.forward(input) - interpreted.forward(input)).abs().max().item<float>();
            Assert.Equal(0f, difference);
        }
    }

    [Fact]
    public void A_checkpoint_saved_from_the_generated_class_loads_into_the_interpreter_and_back()
    {
        var path = Path.Combine(System.AppContext.BaseDirectory, "architectures", "googlenet.cnn");
        var file = Path.Combine(Path.GetTempPath(), $"cnndsl-{System.Guid.NewGuid():N}.bin");
        try
        {
            using var scope = torch.NewDisposeScope();
            using var generated = new CnnDsl.Architectures.GoogLeNetAux();
            generated.save(file);
            using var interpreted = CnnInterpreter.Build(path, File.ReadAllText(path), "GoogLeNetAux");
            interpreted.load(file);

            generated.eval();
            interpreted.eval();
            using var noGrad = torch.no_grad();
            var input = torch.randn(1, 3, 224, 224);
            var (output, aux1, aux2) = generated.ForwardWithAuxiliary(input);
            var (interpretedOutput, heads) = interpreted.ForwardWithAuxiliary(input);
            Assert.Equal(0f, (output - interpretedOutput).abs().max().item<float>());
            Assert.Equal(0f, (aux1 - heads[0]).abs().max().item<float>());
            Assert.Equal(0f, (aux2 - heads[1]).abs().max().item<float>());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
