using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CnnDsl.Generator.Tests;

/// <summary>The generator's pipeline caches by value: unrelated edits reuse earlier results,
/// and an edit to one .cnn file regenerates that file alone. Proven with Roslyn's step tracking.</summary>
public sealed class IncrementalTests
{
    private static readonly GeneratorHarness.InMemoryText Lenet =
        new(GeneratorHarness.ArchitecturePath("lenet5.cnn"), GeneratorHarness.Architecture("lenet5.cnn").Text);

    private static readonly GeneratorHarness.InMemoryText Vgg =
        new(GeneratorHarness.ArchitecturePath("vgg.cnn"), GeneratorHarness.Architecture("vgg.cnn").Text);

    [Fact]
    public void Editing_a_csharp_file_reparses_no_cnn_file()
    {
        var compilation = GeneratorHarness.Compilation("class A {}");
        var driver = GeneratorHarness.Driver(new[] { Lenet, Vgg }).RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B { int x; }"));
        var run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var reasons = Reasons(run, CnnModelGenerator.GenerationStep);
        Assert.Equal(2, reasons.Length);
        Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(Reasons(run, CnnModelGenerator.FilesStep), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void Editing_one_cnn_file_regenerates_only_that_file()
    {
        var compilation = GeneratorHarness.Compilation("class A {}");
        var driver = GeneratorHarness.Driver(new[] { Lenet, Vgg }).RunGenerators(compilation);

        var editedVgg = new GeneratorHarness.InMemoryText(Vgg.Path, Vgg.GetText()!.ToString().Replace("dropout(0.5)", "dropout(0.4)"));
        var run = driver.ReplaceAdditionalText(Vgg, editedVgg).RunGenerators(compilation).GetRunResult().Results.Single();

        var outputs = run.TrackedSteps[CnnModelGenerator.GenerationStep]
            .SelectMany(step => step.Outputs)
            .Select(o => (Generation: (Pipeline.FileGeneration)o.Value, o.Reason))
            .ToList();
        Assert.Equal(2, outputs.Count);
        var vgg = outputs.Single(o => o.Generation.Sources.Any(s => s.HintName.StartsWith("vgg.")));
        var lenet = outputs.Single(o => o.Generation.Sources.Any(s => s.HintName.StartsWith("lenet5.")));
        Assert.Equal(IncrementalStepRunReason.Modified, vgg.Reason);
        Assert.True(lenet.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, lenet.Reason.ToString());
        Assert.Contains("Dropout(p: 0.4)", vgg.Generation.Sources.First().Text);
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult run, string step) =>
        run.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
}
