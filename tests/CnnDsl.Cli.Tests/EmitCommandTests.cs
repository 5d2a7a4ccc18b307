using System;
using System.IO;
using System.Linq;
using System.Threading;
using CnnDsl.Generator.Pipeline;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary><c>cnn emit</c> prints what the source generator produces, byte for byte.</summary>
public class EmitCommandTests
{
    [Fact]
    public void Emit_prints_the_generators_code_for_one_model()
    {
        var path = CliRunner.Architecture("resnet.cnn");
        var run = CliRunner.Run("emit", path, "--model", "ResNet18");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        var generated = FileGeneration.Run(new CnnFile(path, File.ReadAllText(path)), null, CancellationToken.None);
        var expected = generated.Sources.Single(s => s.HintName == "resnet.ResNet18.g.cs").Text;
        Assert.Equal(expected, run.Out);
        Assert.Contains("public sealed partial class ResNet18 : global::TorchSharp.torch.nn.Module<", run.Out);
        Assert.Contains("public const long ParameterCount = 11689512L;", run.Out);
    }

    [Fact]
    public void Emit_without_model_prints_every_class_in_file_order()
    {
        var run = CliRunner.Run("emit", CliRunner.Architecture("lenet5.cnn"));

        Assert.Equal(0, run.ExitCode);
        var classes = run.Out.Split('\n').Where(l => l.Contains("public sealed partial class", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, classes.Count);
        Assert.Contains("class LeNet5 ", classes[0]);
        Assert.Contains("class LeNet5_1998 ", classes[1]);
    }

    [Fact]
    public void Namespace_comes_from_the_option_when_the_file_declares_none()
    {
        using var file = new TempCnnFile("model Tiny input 1x8x8 = conv(2, 3) -> flatten -> linear(4)\n", "tiny.cnn");

        Assert.Contains("namespace CnnDsl.Models\n", CliRunner.Run("emit", file.Path).Out);
        Assert.Contains("namespace My.Nets\n", CliRunner.Run("emit", file.Path, "--namespace", "My.Nets").Out);
        // A keyword segment is escaped, as C# needs it.
        Assert.Contains("namespace Foo.@class.Bar\n", CliRunner.Run("emit", file.Path, "--namespace", "Foo.class.Bar").Out);
    }

    /// <summary>The case: `emit --namespace "A B"` printed code that does not compile and
    /// exited 0. A namespace C# cannot read is a usage error.</summary>
    [Theory]
    [InlineData("A B")]
    [InlineData("A..B")]
    [InlineData("1A")]
    public void A_namespace_that_is_no_namespace_is_a_usage_error(string ns)
    {
        using var file = new TempCnnFile("model Tiny input 1x8x8 = conv(2, 3)\n", "tiny.cnn");

        var run = CliRunner.Run("emit", file.Path, "--namespace", ns);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains($"--namespace takes names of letters, digits and '_' joined by dots, such as My.Models, not '{ns}'.", run.Error);
    }

    [Fact]
    public void Output_writes_the_generators_file_names()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cnn-emit-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = CliRunner.Run("emit", CliRunner.Architecture("lenet5.cnn"), "-o", directory);

            Assert.Equal(0, run.ExitCode);
            Assert.Equal("", run.Out);
            Assert.Equal(new[] { "lenet5.LeNet5.g.cs", "lenet5.LeNet5_1998.g.cs" },
                Directory.GetFiles(directory).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Contains("wrote ", run.Error);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
