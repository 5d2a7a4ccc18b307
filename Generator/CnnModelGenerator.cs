using System;
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

        context.RegisterSourceOutput(generations, static (output, generation) =>
        {
            foreach (var diagnostic in generation.Diagnostics) output.ReportDiagnostic(ToRoslyn(diagnostic));
            foreach (var source in generation.Sources) output.AddSource(source.HintName, SourceText.From(source.Text, System.Text.Encoding.UTF8));
        });
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
