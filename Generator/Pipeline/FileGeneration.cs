using System;
using System.Linq;
using System.Threading;
using CnnDsl.Dsl;
using CnnDsl.Generator.Emit;

namespace CnnDsl.Generator.Pipeline;

/// <summary>Everything one .cnn file yields: the classes of its models and its diagnostics.</summary>
public sealed record FileGeneration(EquatableArray<GeneratedSource> Sources, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public const string DefaultNamespace = "CnnDsl.Models";

    /// <summary>Checks one file and emits its models. Never throws: an internal failure becomes a
    /// single diagnostic, because an exception here would take the whole compilation down.</summary>
    public static FileGeneration Run(CnnFile file, string? configuredNamespace, CancellationToken cancellationToken) =>
        Run(new CnnUnit(file, default), configuredNamespace, cancellationToken);

    /// <summary>Checks a file, its imports read from the unit's files, and emits its models.</summary>
    public static FileGeneration Run(CnnUnit unit, string? configuredNamespace, CancellationToken cancellationToken)
    {
        var file = unit.Root;
        try
        {
            var result = CnnCompiler.Compile(file.Path, file.Text, unit.Table());
            cancellationToken.ThrowIfCancellationRequested();
            var diagnostics = result.Diagnostics.Select(d => DiagnosticInfo.From(d, d.Location.Path));

            // A file with errors generates nothing: half a model would only add C# errors on top.
            if (result.HasErrors)
            {
                return new FileGeneration(new EquatableArray<GeneratedSource>(Array.Empty<GeneratedSource>()), new EquatableArray<DiagnosticInfo>(diagnostics));
            }

            var ns = result.Namespace ?? configuredNamespace ?? DefaultNamespace;
            var fileName = System.IO.Path.GetFileNameWithoutExtension(file.Path);
            var names = result.Models.Select(m => m.Name).ToList();
            var sources = result.Models.Select(model => new GeneratedSource(
                $"{Identifiers.HintSafe(fileName)}.{model.Name}.g.cs",
                ModelEmitter.Emit(model, ns, System.IO.Path.GetFileName(file.Path), names)));
            var folder = System.IO.Path.GetDirectoryName(file.Path) ?? "";
            var embedded = new[] { (System.IO.Path.GetFileName(file.Path), file.Text) }
                .Concat(unit.Imports.Select(i => (ExportEmitter.Relative(folder, i.Path), i.Text))).ToList();
            if (result.Models.Count > 0) sources = sources.Concat(new[] { new GeneratedSource(
                $"{Identifiers.HintSafe(fileName)}.export.g.cs", ExportEmitter.Emit(result.Models, ns, System.IO.Path.GetFileName(file.Path), embedded)) });
            return new FileGeneration(new EquatableArray<GeneratedSource>(sources), new EquatableArray<DiagnosticInfo>(diagnostics));
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception exception)
        {
            var internalError = new DiagnosticInfo("CNN9000", true, "Internal generator error",
                $"CnnDsl could not process this file: {exception.GetType().Name}: {exception.Message}. Please report it with the file attached.",
                file.Path, 0, 0, 0, 0, 0, 0);
            return new FileGeneration(new EquatableArray<GeneratedSource>(Array.Empty<GeneratedSource>()),
                new EquatableArray<DiagnosticInfo>(new[] { internalError }));
        }
    }
}
