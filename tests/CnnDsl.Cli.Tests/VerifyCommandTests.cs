using System.Collections.Generic;
using System.Linq;
using CnnDsl.Cli.Verification;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary><c>cnn verify</c> builds real models: every shipped model passes, and a difference
/// fails naming the layer.</summary>
public class VerifyCommandTests
{
    /// <summary>Every shipped model: each file of architectures/ at the smallest input all its
    /// models take where that is known to be much smaller than the declared one (building and
    /// running them is what costs); every other file, such as LeNet-5 and GoogLeNet, whose paper
    /// forms have fixed-size pooling, at the declared inputs.</summary>
    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void Every_shipped_model_passes(string file)
    {
        var args = new List<string> { "verify", CliRunner.Architecture(file) };
        if (ReducedInputs.TryGetValue(file, out var input)) args.AddRange(new[] { "--input", input });
        var run = CliRunner.Run(args.ToArray());

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.DoesNotContain("FAILED", run.Out);
        Assert.Contains($"of architectures/{file} ", run.Out);
        Assert.Contains("run-time shapes and parameter counts equal the static analysis.", run.Out);
    }

    private static readonly Dictionary<string, string> ReducedInputs = new()
    {
        ["alexnet.cnn"] = "3x96x96",
        ["convnext.cnn"] = "3x64x64",
        ["vgg.cnn"] = "3x32x32",
        ["nin.cnn"] = "3x96x96",
        ["resnet.cnn"] = "3x32x32",
        ["densenet.cnn"] = "3x32x32",
        ["efficientnet.cnn"] = "3x64x64",
        ["mobilenetv3.cnn"] = "3x64x64",
        ["regnet.cnn"] = "3x64x64",
        ["shufflenetv2.cnn"] = "3x64x64",
    };

    public static TheoryData<string> ShippedFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in System.IO.Directory.GetFiles(System.IO.Path.Combine(CliRunner.BaseDirectory, "architectures"), "*.cnn")
                     .OrderBy(f => f, System.StringComparer.Ordinal))
        {
            data.Add(System.IO.Path.GetFileName(path));
        }

        return data;
    }

    [Fact]
    public void Output_names_each_model_with_what_was_checked()
    {
        var run = CliRunner.Run("verify", CliRunner.Architecture("lenet5.cnn"), "--model", "LeNet5");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "ok     LeNet5 13 layers, groups and merges; 61,706 parameters; output 10\n"
            + "Verified 1 model of architectures/lenet5.cnn at its declared input: run-time shapes and parameter counts equal the static analysis.\n",
            run.Out);

        var both = CliRunner.Run("verify", CliRunner.Architecture("lenet5.cnn"));
        Assert.Equal(0, both.ExitCode);
        Assert.EndsWith("Verified 2 models of architectures/lenet5.cnn at their declared inputs: run-time shapes and parameter counts equal the static analysis.\n", both.Out);
    }

    /// <summary>An analysis that is wrong about one layer's output and another's parameters (as a
    /// bug in a shape rule would be) is caught, and each difference names its layer.</summary>
    [Fact]
    public void A_difference_fails_naming_the_layer()
    {
        var path = CliRunner.Architecture("lenet5.cnn");
        var model = CnnCompiler.Compile(path, System.IO.File.ReadAllText(path)).Models.Single(m => m.Name == "LeNet5");
        var children = model.Root.Children.ToList();
        var c1 = children.Single(c => c.Path == "c1");
        children[children.IndexOf(c1)] = c1 with { Output = Shape.Image(6, 27, 27), Parameters = 150 };
        var wrong = model with { Root = model.Root with { Children = children } };

        var result = ModelVerifier.Verify(wrong);

        Assert.False(result.Passed);
        Assert.Contains("c1: output 6x28x28 at run time, 6x27x27 in the analysis", result.Differences);
        Assert.Contains("c1: 156 parameters at run time, 150 in the analysis", result.Differences);
    }

    [Fact]
    public void A_file_with_errors_is_not_built()
    {
        using var bad = new TempCnnFile("model Broken input 1x28x28 = conv(6, 5) -> relux\n");
        var run = CliRunner.Run("verify", bad.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("fix it to verify it.", run.Error);
        Assert.Equal("", run.Out);
    }
}
