using System;
using System.IO;
using System.Linq;
using CnnDsl.Dsl;
using CnnDsl.Runtime.Interpreter;
using TorchSharp;
using Xunit;

namespace CnnDsl.Models.Tests;

/// <summary>Every byte figure comes from each tensor's own element type: for every tensor of
/// every model here (the catalogue file's, which use every layer of the language, LeNet-5 1998's
/// RBF codes, ResNet-18's batch norms), the bytes the Dsl gives it at float32 and at float16 are those of
/// the tensor libtorch holds, as built and after <c>to(float16)</c>, which converts floating
/// tensors only (as PyTorch's <c>Module.half()</c> does: <c>num_batches_tracked</c> stays int64).</summary>
public sealed class ByteFigureTests : IClassFixture<TorchFixture>
{
    public static TheoryData<string, string> Models() => new()
    {
        { "Cases/catalogue.cnn", "CoverConvolutions" },
        { "Cases/catalogue.cnn", "CoverPooling" },
        { "Cases/catalogue.cnn", "CoverActivations" },
        { "Cases/catalogue.cnn", "CoverNorms" },
        { "Cases/catalogue.cnn", "CoverStructures" },
        { "architectures/lenet5.cnn", "LeNet5_1998" },
        { "architectures/resnet.cnn", "ResNet18" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Each_tensor_has_the_bytes_of_its_own_type_at_either_float_size(string file, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, file);
        var text = File.ReadAllText(path);
        var info = CnnCompiler.Compile(path, text).Models.Single(m => m.Name == name);
        using var scope = torch.NewDisposeScope();
        using var module = CnnInterpreter.Build(path, text, name);

        foreach (var (floatBytes, type) in new[] { (4, torch.ScalarType.Float32), (2, torch.ScalarType.Float16) })
        {
            if (type != torch.ScalarType.Float32) module.to(type);
            var state = module.state_dict();
            foreach (var (key, spec) in info.StateDict())
            {
                var tensor = state[key];
                Assert.True(spec.Bytes(floatBytes) == tensor.numel() * tensor.element_size(),
                    $"{name} {key}: the Dsl gives {spec.Bytes(floatBytes)} bytes at {floatBytes} bytes a float, libtorch holds {tensor.numel() * tensor.element_size()} ({tensor.dtype})");
            }
        }
    }
}
