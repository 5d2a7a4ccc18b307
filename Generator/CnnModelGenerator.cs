using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CnnDsl.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace CnnDsl.Generator;

/// <summary>Turns every .cnn additional file into TorchSharp model classes. Each file is its own
/// pipeline branch: editing C# does not re-read .cnn files, and editing one .cnn file regenerates
/// that file and the files that import it, directly or not, never the others. Imports are found
/// among the additional files only, never on the disk.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class CnnModelGenerator : IIncrementalGenerator
{
    public const string FilesStep = "CnnFiles";
    public const string UnitsStep = "CnnUnits";
    public const string GenerationStep = "CnnGeneration";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Where(text => text.Path.EndsWith(".cnn", StringComparison.OrdinalIgnoreCase))
            .Select((text, cancellationToken) => CnnFileOf(text.Path, text.GetText(cancellationToken)?.ToString() ?? string.Empty))
            .WithTrackingName(FilesStep);

        // Each file with the files it imports. Every edit of a .cnn file runs this for every file
        // (it only looks paths up); an unchanged unit stops there, so its generation stays cached.
        var units = files
            .Combine(files.Collect())
            .Select((pair, _) => CnnUnit.Of(pair.Left, pair.Right))
            .WithTrackingName(UnitsStep);

        var configuredNamespace = context.AnalyzerConfigOptionsProvider.Select((options, _) =>
        {
            if (options.GlobalOptions.TryGetValue("build_property.CnnDslNamespace", out var ns) && !string.IsNullOrWhiteSpace(ns)) return ns.Trim();
            if (options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var root) && !string.IsNullOrWhiteSpace(root)) return root.Trim();
            return null;
        });

        var generations = units
            .Combine(configuredNamespace)
            .Select((pair, cancellationToken) => FileGeneration.Run(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(GenerationStep);

        // A bool, so that editing C# reruns nothing downstream while the answer stays the same.
        var runtimeReferenced = context.CompilationProvider
            .Select((compilation, _) => compilation.GetTypeByMetadataName(FileGeneration.RuntimeMarkerType) is not null);

        // Each file's diagnostics as soon as it is checked; its classes once the whole
        // compilation's are known, since their file names and class names must not meet.
        context.RegisterSourceOutput(generations, static (output, generation) =>
        {
            foreach (var diagnostic in generation.Diagnostics) output.ReportDiagnostic(ToRoslyn(diagnostic));
        });
        context.RegisterSourceOutput(generations.Collect().Combine(runtimeReferenced), static (output, pair) =>
        {
            var diagnostics = pair.Right ? AddSources(output, pair.Left) : RuntimeMissing(pair.Left);
            foreach (var diagnostic in diagnostics) output.ReportDiagnostic(ToRoslyn(diagnostic));
        });
    }

    /// <summary>One error, at the first model, instead of a class per model that cannot compile.</summary>
    private static IEnumerable<DiagnosticInfo> RuntimeMissing(ImmutableArray<FileGeneration> all)
    {
        var first = all.SelectMany(g => g.Sources).Select(s => s.ModelName).FirstOrDefault(name => name is not null);
        if (first is null) yield break;
        yield return new DiagnosticInfo(FileGeneration.RuntimeMissingCode, true, "CnnDsl.Runtime is not referenced",
            "the classes generated from .cnn files need CnnDsl.Runtime, which this project does not reference; "
            + "add it beside CnnDsl.Generator (`dotnet add package CnnDsl.Runtime`, and a libtorch backend such as "
            + "`dotnet add package libtorch-cpu-linux-x64 --version 2.10.0`, the version its TorchSharp 0.107 is built for); no model class was generated",
            first.Path, first.Start, first.Length, first.StartLine, first.StartColumn, first.EndLine, first.EndColumn);
    }

    /// <summary>Adds every class under a hint name of its own, leaving out (with an error at the
    /// model's name) a class another file already makes. Never throws: an exception here would
    /// drop every generated class of the compilation, each file's included, with only a warning
    /// (CS8785) to say so; it becomes an error instead.</summary>
    private static IEnumerable<DiagnosticInfo> AddSources(SourceProductionContext output, ImmutableArray<FileGeneration> all)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var sources = all.SelectMany(g => g.Sources).ToList();
        try
        {
            var hints = HintNames.Assign(sources.Select(s => (s.ModelName?.Path ?? "", s.HintName)).ToList());
            var classes = new Dictionary<(string Class, string Part), GeneratedSource>();
            var order = Enumerable.Range(0, sources.Count).OrderBy(i => sources[i].ModelName?.Path ?? "", StringComparer.Ordinal).ThenBy(i => i);
            foreach (var i in order)
            {
                var source = sources[i];
                if (classes.TryGetValue((source.FullClassName, source.Part), out var first))
                {
                    // One error per class, at its model; its other parts go with it.
                    if (source.Part.Length > 0) continue;
                    var at = source.ModelName!;
                    diagnostics.Add(new DiagnosticInfo(FileGeneration.DuplicateClassCode, true, "Class generated twice",
                        $"this model would be the class `{source.FullClassName}`, which `{first.ModelName?.Path}` also makes; "
                        + "rename one of the models, or give the files different namespaces (a `namespace` line)",
                        at.Path, at.Start, at.Length, at.StartLine, at.StartColumn, at.EndLine, at.EndColumn));
                    continue;
                }

                classes[(source.FullClassName, source.Part)] = source;
                output.AddSource(hints[i], SourceText.From(source.Text, System.Text.Encoding.UTF8));
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            diagnostics.Add(FileGeneration.InternalError(sources.FirstOrDefault()?.ModelName?.Path ?? "", exception));
        }

        return diagnostics;
    }

    private static CnnFile CnnFileOf(string path, string text) =>
        new(path, text) { Imports = new EquatableArray<string>(CnnDsl.Dsl.CnnCompiler.ImportsOf(path, text)) };

    private static Diagnostic ToRoslyn(DiagnosticInfo info)
    {
        // Warnings stay warnings: the package's props lists every warning code in
        // WarningsNotAsErrors, so TreatWarningsAsErrors never turns one into a failed build.
        var descriptor = new DiagnosticDescriptor(
            info.Code, info.Title, "{0}", "CnnDsl",
            info.IsError ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
            isEnabledByDefault: true);
        var location = Location.Create(
            info.Path,
            new TextSpan(info.Start, info.Length),
            new LinePositionSpan(new LinePosition(info.StartLine, info.StartColumn), new LinePosition(info.EndLine, info.EndColumn)));
        // The other side of a mismatch: an IDE can show and jump to it.
        var related = info.Related.Select(r => Location.Create(
            r.Path,
            new TextSpan(r.Start, r.Length),
            new LinePositionSpan(new LinePosition(r.StartLine, r.StartColumn), new LinePosition(r.EndLine, r.EndColumn))));
        return Diagnostic.Create(descriptor, location, related, info.Message);
    }
}
