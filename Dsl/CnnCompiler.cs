using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Semantics;
using CnnDsl.Dsl.Syntax;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl;

/// <summary>The result of checking one .cnn file: its models, fully analysed, and every diagnostic.</summary>
public sealed record CompilationResult(
    SourceFile Source, string? Namespace, IReadOnlyList<ModelInfo> Models, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>The front door of the language: text in, analysed models and diagnostics out.</summary>
public static class CnnCompiler
{
    public static CompilationResult Compile(string path, string text) => Compile(new SourceFile(path, text));

    public static CompilationResult Compile(SourceFile source)
    {
        var diagnostics = new DiagnosticBag(source);
        var syntax = CnnParser.Parse(source, diagnostics);
        var evaluator = new Evaluator(syntax, diagnostics);
        var analyzer = new ShapeAnalyzer(diagnostics);
        var models = evaluator.EvaluateModels()
            .Select(analyzer.Analyze)
            .Where(m => m is not null)
            .Select(m => m!)
            .ToList();
        var ordered = diagnostics.Items
            .OrderBy(d => d.Location.Range.Start)
            .ThenBy(d => d.Code, StringComparer.Ordinal)
            .ToList();
        return new CompilationResult(source, syntax.Namespace, models, ordered);
    }
}
