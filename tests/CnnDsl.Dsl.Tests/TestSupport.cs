using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Diagnostics;
using Xunit;

namespace CnnDsl.Dsl.Tests;

internal static class TestSupport
{
    /// <summary>The repository root: the first parent of the test binaries holding Dsl/CnnDsl.Dsl.csproj.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dsl", "CnnDsl.Dsl.csproj"))) return dir.FullName;
        }

        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    public static CompilationResult CompileArchitecture(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "architectures", file);
        return CnnCompiler.Compile("architectures/" + file, File.ReadAllText(path));
    }

    /// <summary>Compiles an architecture file, insisting it is free of diagnostics.</summary>
    public static ModelInfo ArchitectureModel(string file, string model)
    {
        var result = CompileArchitecture(file);
        Assert.Empty(result.Diagnostics);
        return Assert.Single(result.Models, m => m.Name == model);
    }

    public static CompilationResult Compile(string text, string path = "test.cnn") => CnnCompiler.Compile(path, text);

    /// <summary>Compiles source that must be free of diagnostics.</summary>
    public static CompilationResult CompileClean(string text)
    {
        var result = Compile(text);
        Assert.True(result.Diagnostics.Count == 0, "unexpected diagnostics:\n" + Render(result.Diagnostics));
        return result;
    }

    public static ModelInfo Model(string text, string name = "M") =>
        Assert.Single(CompileClean(text).Models, m => m.Name == name);

    /// <summary>The layer or group at a path. An unlabeled concat, residual, dense or aux adds no
    /// name segment, so it shares its path with its container (a block's group); it is skipped.</summary>
    public static LayerInfo Layer(this ModelInfo model, string path) =>
        Assert.Single(model.Root.DescendantsAndSelf(), l => l.Path == path && !l.Transparent);

    /// <summary>The unlabeled branch point or merge directly under a path (see <see cref="Layer"/>).</summary>
    public static LayerInfo Merge(this ModelInfo model, string path) =>
        Assert.Single(model.Root.DescendantsAndSelf(), l => l.Path == path && l.Transparent);

    /// <summary><c>path(line,col): error CNNxxxx: message</c>, then an indented line for each
    /// related place (<c>note: (line,col): label</c>) and for the help, when there is one.</summary>
    public static string Render(IEnumerable<Diagnostic> diagnostics)
    {
        var text = new StringBuilder();
        foreach (var d in diagnostics)
        {
            text.Append(d.ToString()).Append('\n');
            foreach (var related in d.Related)
            {
                text.Append("    note: (").Append(related.Location.StartLine + 1).Append(',').Append(related.Location.StartColumn + 1)
                    .Append("): ").Append(related.Label).Append('\n');
            }

            if (d.Help is not null) text.Append("    help: ").Append(d.Help).Append('\n');
        }

        return text.ToString();
    }

    public static string[] Keys(this ModelInfo model) => model.StateDict().Select(e => e.Key).ToArray();
}
