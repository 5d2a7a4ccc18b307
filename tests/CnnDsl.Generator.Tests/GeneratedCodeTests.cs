using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Snapshooter;
using Snapshooter.Xunit;
using Xunit;

namespace CnnDsl.Generator.Tests;

public sealed class GeneratedCodeTests
{
    [Theory]
    [InlineData("lenet5.cnn", "LeNet5")]
    [InlineData("vgg.cnn", "VGG16")]
    [InlineData("resnet.cnn", "ResNet50")]
    [InlineData("googlenet.cnn", "GoogLeNetAux")]
    [InlineData("lenet5.cnn", "LeNet5_1998")]
    public void Generated_code_is_pinned(string file, string model)
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Architecture(file));
        var source = result.Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith("." + model + ".g.cs"));
        Snapshot.Match(source.SourceText.ToString(), new SnapshotNameExtension(model));
    }

    [Theory]
    [InlineData("lenet5.cnn")]
    [InlineData("alexnet.cnn")]
    [InlineData("vgg.cnn")]
    [InlineData("resnet.cnn")]
    [InlineData("googlenet.cnn")]
    [InlineData("densenet.cnn")]
    [InlineData("nin.cnn")]
    public void Generated_code_compiles_without_a_single_warning(string file)
    {
        var driver = GeneratorHarness.Driver(new[] { new GeneratorHarness.InMemoryText(GeneratorHarness.ArchitecturePath(file), GeneratorHarness.Architecture(file).Text) });
        driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation("class Placeholder {}"), out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Generation_does_not_depend_on_the_current_culture_or_time_zone()
    {
        var vgg = GeneratorHarness.Architecture("vgg.cnn");
        var lrn = ("lrn.cnn", "model Tiny input 3x8x8 = conv(4, 3) -> lrn(5, alpha: 0.0001, beta: 0.75, k: 2) -> batchnorm(eps: 0.001) -> flatten -> dropout(0.5) -> linear(2)");
        string Generate()
        {
            var run = GeneratorHarness.Run(vgg, lrn);
            return string.Join("\n//----\n", run.Results.Single().GeneratedSources.OrderBy(s => s.HintName).Select(s => s.SourceText.ToString()));
        }

        var original = Thread.CurrentThread.CurrentCulture;
        var originalZone = Environment.GetEnvironmentVariable("TZ");
        try
        {
            var settings = new[] { ("de-DE", "Europe/Berlin"), ("tr-TR", "Europe/Istanbul"), ("fr-FR", "Pacific/Chatham"), ("", "UTC"), ("", "America/St_Johns") };
            var outputs = settings.Select(setting =>
            {
                Thread.CurrentThread.CurrentCulture = CultureInfo.GetCultureInfo(setting.Item1);
                Thread.CurrentThread.CurrentUICulture = CultureInfo.GetCultureInfo(setting.Item1);
                Environment.SetEnvironmentVariable("TZ", setting.Item2);
                TimeZoneInfo.ClearCachedData();
                Assert.Equal(setting.Item2, TimeZoneInfo.Local.Id);
                return Generate();
            }).ToList();

            Assert.All(outputs, text => Assert.Equal(outputs[0], text));
            Assert.Contains("Dropout(p: 0.5)", outputs[0]);
            Assert.Contains("alpha: 0.0001, beta: 0.75, k: 2.0", outputs[0]);
            Assert.Contains("eps: 0.001", outputs[0]);
            Assert.DoesNotContain("0,5", outputs[0]);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = original;
            Thread.CurrentThread.CurrentUICulture = original;
            Environment.SetEnvironmentVariable("TZ", originalZone);
            TimeZoneInfo.ClearCachedData();
        }
    }

    [Fact]
    public void A_relu_overwrites_its_input_only_where_it_is_the_only_reader()
    {
        const string text = """
            model Alone input 3x8x8 = conv(4, 3) -> relu -> flatten -> linear(2)
            model BesideConv input 3x8x8 = conv(4, 3) -> concat [conv(2, 1), relu] -> flatten -> linear(2)
            model AfterHead input 3x8x8 = conv(4, 3) -> aux(conv(2, 1) -> flatten -> linear(2)) -> relu -> flatten -> linear(2)
            """;
        var sources = GeneratorHarness.Run(("/m/in_place.cnn", text)).Results.Single().GeneratedSources
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        string Method(string model, string signature)
        {
            var source = sources[$"in_place.{model}.g.cs"];
            var start = source.IndexOf(signature, StringComparison.Ordinal);
            Assert.True(start >= 0, $"{model} has no {signature}");
            return source.Substring(start, source.IndexOf("\n        }", start, StringComparison.Ordinal) - start);
        }

        Assert.Contains(".relu_();", Method("Alone", "Tensor forward("));
        Assert.DoesNotContain(".relu_();", Method("BesideConv", "Tensor forward("));
        Assert.Contains(".relu_();", Method("AfterHead", "Tensor forward("));
        Assert.DoesNotContain(".relu_();", Method("AfterHead", "ForwardWithAuxiliary("));
    }

    [Fact]
    public void Generation_is_byte_identical_across_runs()
    {
        string Generate() => string.Concat(GeneratorHarness.Run(GeneratorHarness.Architecture("vgg.cnn")).Results.Single()
            .GeneratedSources.Select(s => s.HintName + s.SourceText));
        Assert.Equal(Generate(), Generate());
    }

    [Fact]
    public void Namespace_comes_from_the_file_then_the_msbuild_property_then_the_root_namespace()
    {
        const string withoutNamespace = "model Tiny input 1x4x4 = flatten -> linear(2)";
        string NamespaceOf(string text, params (string Key, string Value)[] properties)
        {
            var driver = GeneratorHarness.Driver(
                new[] { new GeneratorHarness.InMemoryText("/m/tiny.cnn", text) },
                properties.ToDictionary(p => p.Key, p => p.Value));
            var source = driver.RunGenerators(GeneratorHarness.Compilation()).GetRunResult().GeneratedTrees.Single(t => !t.FilePath.EndsWith(".export.g.cs", StringComparison.Ordinal)).ToString();
            return source.Split('\n').Single(l => l.StartsWith("namespace ")).Substring("namespace ".Length).Trim();
        }

        Assert.Equal("CnnDsl.Models", NamespaceOf(withoutNamespace));
        Assert.Equal("My.App", NamespaceOf(withoutNamespace, ("build_property.RootNamespace", "My.App")));
        Assert.Equal("My.Nets", NamespaceOf(withoutNamespace, ("build_property.RootNamespace", "My.App"), ("build_property.CnnDslNamespace", "My.Nets")));
        Assert.Equal("From.File", NamespaceOf("namespace From.File\n" + withoutNamespace, ("build_property.CnnDslNamespace", "My.Nets")));
    }
}
