using System;
using System.IO;
using System.Linq;
using CnnDsl.Models.Tests.Cases;
using CnnDsl.Runtime.Interpreter;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace CnnDsl.Models.Tests;

/// <summary>The generated forward and the interpreter overwrite a ReLU's input in place only
/// where autograd allows it. Where they must not (a sibling branch or an auxiliary head read the
/// tensor first and saved it for its backward), overwriting it makes backward() fail with
/// "modified by an inplace operation"; so a training step must go through, and give the
/// generated class and the interpreter the same gradients.</summary>
public sealed class InPlaceTests : IClassFixture<TorchFixture>
{
    private static readonly string CasesFile = Path.Combine(AppContext.BaseDirectory, "Cases", "in_place.cnn");

    public static TheoryData<string> Models() => new() { "ReluAfterConv", "ReluBesideConv", "ReluAfterAuxHead", "AddAfterAuxHead" };

    private static nn.Module<Tensor, Tensor> Generated(string name) => name switch
    {
        "ReluAfterConv" => new ReluAfterConv(),
        "ReluBesideConv" => new ReluBesideConv(),
        "ReluAfterAuxHead" => new ReluAfterAuxHead(),
        "AddAfterAuxHead" => new AddAfterAuxHead(),
        _ => throw new ArgumentException(name),
    };

    /// <summary>The training loss: the main output's, plus the auxiliary head's where there is one.</summary>
    private static Tensor Loss(nn.Module<Tensor, Tensor> model, Tensor input) => model switch
    {
        ReluAfterAuxHead generated => Sum(generated.ForwardWithAuxiliary(input)),
        AddAfterAuxHead generated => Sum(generated.ForwardWithAuxiliary(input)),
        InterpretedModel interpreted => interpreted.ForwardWithAuxiliary(input) is var (output, heads)
            ? heads.Aggregate(output.square().sum(), (loss, head) => loss + head.square().sum())
            : throw new InvalidOperationException(),
        _ => model.forward(input).square().sum(),
    };

    private static Tensor Sum((Tensor Output, Tensor Head) outputs) => outputs.Output.square().sum() + outputs.Head.square().sum();

    [Theory]
    [MemberData(nameof(Models))]
    public void A_training_step_goes_through_and_both_engines_get_the_same_gradients(string name)
    {
        using var scope = NewDisposeScope();
        using var generated = Generated(name);
        using var interpreted = CnnInterpreter.Build(CasesFile, File.ReadAllText(CasesFile), name);
        interpreted.load_state_dict(generated.state_dict());
        generated.train();
        interpreted.train();
        manual_seed(7);
        var input = randn(new long[] { 2 }.Concat(interpreted.Model.Input.Dimensions).ToArray());

        Loss(generated, input).backward();
        Loss(interpreted, input).backward();

        var fromInterpreter = interpreted.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (parameterName, parameter) in generated.named_parameters())
        {
            Assert.NotNull(parameter.grad);
            Assert.True(parameter.grad!.abs().sum().item<float>() > 0, $"{name}: {parameterName} got no gradient");
            Assert.Equal(0f, (parameter.grad - fromInterpreter[parameterName].grad!).abs().max().item<float>());
        }
    }
}
