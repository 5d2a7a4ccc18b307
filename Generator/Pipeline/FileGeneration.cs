using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CnnDsl.Dsl;
using CnnDsl.Generator.Emit;

namespace CnnDsl.Generator.Pipeline;

/// <summary>Everything one .cnn file yields: the classes of its models and its diagnostics.</summary>
public sealed record FileGeneration(EquatableArray<GeneratedSource> Sources, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public const string DefaultNamespace = "CnnDsl.Models";

    /// <summary>The namespace given by an MSBuild property is not a C# namespace.</summary>
    public const string InvalidNamespaceCode = "CNN9001";

    /// <summary>Two models of the compilation make the same class.</summary>
    public const string DuplicateClassCode = "CNN9002";

    /// <summary>A model has the name of a member every generated class has (<c>forward</c>, <c>Summary</c>, ...).</summary>
    public const string ReservedModelNameCode = "CNN9004";

    /// <summary>The compilation does not reference CnnDsl.Runtime, which every generated class calls.</summary>
    public const string RuntimeMissingCode = "CNN9003";

    /// <summary>A type of CnnDsl.Runtime every generated class uses: when the compilation cannot
    /// see it, the classes would only add hundreds of CS0246 errors.</summary>
    public const string RuntimeMarkerType = "CnnDsl.Runtime.TorchRuntime";

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
            var diagnostics = result.Diagnostics.Select(d => DiagnosticInfo.From(d, d.Location.Path)).ToList();

            // A file with errors generates nothing: half a model would only add C# errors on top.
            if (result.HasErrors) return Nothing(diagnostics);

            // A file's own `namespace` line is made of identifiers; a property may hold anything.
            var given = result.Namespace ?? configuredNamespace ?? DefaultNamespace;
            var ns = Identifiers.Namespace(given);
            if (ns is null)
            {
                diagnostics.Add(new DiagnosticInfo(InvalidNamespaceCode, true, "Invalid namespace",
                    $"the namespace `{given}` (from the CnnDslNamespace or RootNamespace property) is not a C# namespace, so the models of this file cannot be generated; "
                    + "set CnnDslNamespace to names of letters, digits and '_' joined by dots, or give the file a `namespace` line",
                    file.Path, 0, 0, 0, 0, 0, 0));
                return Nothing(diagnostics);
            }

            // A class may not have a member of its own name (CS0542), and every generated class
            // declares the reserved members: such a model is an error at its name, and the file,
            // whose classes list each other (ModelsInFile), generates nothing, as with any error.
            var clashing = result.Models.Where(m => ClassMemberNames.Reserved.Contains(m.Name)).ToList();
            foreach (var model in clashing)
            {
                var at = Location(file.Path, result.Source, model.NameRange);
                diagnostics.Add(new DiagnosticInfo(ReservedModelNameCode, true, "Model named like a member of its class",
                    $"a model cannot be named `{model.Name}`: its C# class would have a member of that name, which every generated class declares or inherits; rename the model",
                    at.Path, at.Start, at.Length, at.StartLine, at.StartColumn, at.EndLine, at.EndColumn));
            }

            if (clashing.Count > 0) return Nothing(diagnostics);

            var fileName = System.IO.Path.GetFileNameWithoutExtension(file.Path);
            var names = result.Models.Select(m => m.Name).ToList();
            var folder = System.IO.Path.GetDirectoryName(file.Path) ?? "";
            var embedded = new[] { (System.IO.Path.GetFileName(file.Path), file.Text) }
                .Concat(unit.Imports.Select(i => (ExportEmitter.Relative(folder, i.Path), i.Text))).ToList();

            // Each model's class in two parts: the model, and its export to ONNX and PyTorch (a
            // partial class of its own file, named apart so that the duplicate-class check keeps
            // or drops both parts together).
            var parts = result.Models.SelectMany(model => new[]
            {
                (Model: model, Hint: $"{Identifiers.HintSafe(fileName)}.{model.Name}.g.cs", Export: false),
                (Model: model, Hint: $"{Identifiers.HintSafe(fileName)}.{model.Name}.export.g.cs", Export: true),
            }).ToList();
            var hints = HintNames.Assign(parts.Select(p => (file.Path, p.Hint)).ToList());
            var sources = parts.Select((part, i) => new GeneratedSource(
                hints[i],
                part.Export
                    ? ExportEmitter.Emit(new[] { part.Model }, ns, System.IO.Path.GetFileName(file.Path), embedded)
                    : ModelEmitter.Emit(part.Model, ns, System.IO.Path.GetFileName(file.Path), names))
            {
                Model = part.Model.Name,
                FullClassName = ns + "." + Identifiers.TypeName(part.Model.Name),
                Part = part.Export ? "export" : "",
                ModelName = Location(file.Path, result.Source, part.Model.NameRange),
            });
            return new FileGeneration(new EquatableArray<GeneratedSource>(sources), new EquatableArray<DiagnosticInfo>(diagnostics));
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception exception)
        {
            return new FileGeneration(new EquatableArray<GeneratedSource>(Array.Empty<GeneratedSource>()),
                new EquatableArray<DiagnosticInfo>(new[] { InternalError(file.Path, exception) }));
        }
    }

    /// <summary>The one diagnostic of a generator failure, at the start of the file it concerns:
    /// an error, so that a build never says "succeeded" without the file's classes.</summary>
    public static DiagnosticInfo InternalError(string path, Exception exception) =>
        new("CNN9000", true, "Internal generator error",
            $"CnnDsl could not process this file: {exception.GetType().Name}: {exception.Message}. Please report it with the file attached.",
            path, 0, 0, 0, 0, 0, 0);

    private static FileGeneration Nothing(IEnumerable<DiagnosticInfo> diagnostics) =>
        new(new EquatableArray<GeneratedSource>(Array.Empty<GeneratedSource>()), new EquatableArray<DiagnosticInfo>(diagnostics));

    private static LocationInfo Location(string path, Dsl.Text.SourceFile source, Dsl.Text.TextRange range)
    {
        var start = source.Locate(range);
        return new LocationInfo(path, range.Start, range.Length, start.StartLine, start.StartColumn, start.EndLine, start.EndColumn);
    }
}
