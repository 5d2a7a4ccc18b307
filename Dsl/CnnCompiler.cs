using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Imports;
using CnnDsl.Dsl.Layers;
using CnnDsl.Dsl.Semantics;
using CnnDsl.Dsl.Syntax;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl;

/// <summary>The result of checking one .cnn file: its models, fully analysed, and every diagnostic.</summary>
public sealed record CompilationResult(
    SourceFile Source, string? Namespace, IReadOnlyList<ModelInfo> Models, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>The <c>model</c> declarations the file has, analysed or not: a model with an error
    /// is not in <see cref="Models"/> but is still one of the file's.</summary>
    public int DeclaredModels { get; init; }

    /// <summary>How the file's imports were found, so that it can be compiled again (at another
    /// input) the same way; null where imports were not resolved.</summary>
    public IImportResolver? Imports { get; init; }

    /// <summary>The file and the files it imports: the ranges of the models' layers lie in them.</summary>
    public SourceSet? Sources { get; init; }
}

/// <summary>The front door of the language: text in, analysed models and diagnostics out.
/// Nothing that reads input throws: every problem is a located diagnostic.</summary>
public static class CnnCompiler
{
    /// <summary>The longest file CnnDsl reads, in characters (256 KiB). The largest shipped
    /// architecture file has a few kilobytes; the limit bounds the time and memory one file can
    /// cost the compiler, the IDE and the build that host it (about a second at worst).</summary>
    public const int MaxFileLength = 1 << 18;

    public static CompilationResult Compile(string path, string text) => Compile(new SourceFile(path, text));

    /// <summary>Compiles a text whose <c>import</c> lines <paramref name="imports"/> resolves.</summary>
    public static CompilationResult Compile(string path, string text, IImportResolver? imports) =>
        Compile(new SourceFile(path, text), null, imports);

    public static CompilationResult Compile(SourceFile source) => Compile(source, new DiagnosticBag(source), null);

    /// <summary>The paths the <c>import</c> lines of a text name, as written: the generator finds
    /// each file's imports among the project's files before it compiles any of them.</summary>
    public static IReadOnlyList<string> ImportsOf(string path, string text)
    {
        if (text.Length > MaxFileLength) return Array.Empty<string>();
        var source = new SourceFile(path, text);
        return CnnParser.Parse(source, new DiagnosticBag(source)).Imports.Select(i => i.Path).ToList();
    }

    /// <summary>Checks a file with some models analysed at another input than the one they
    /// declare (a tool's <c>--input</c>): <paramref name="inputs"/> maps a model's name to the
    /// shape of one sample to use instead. The shape analysis runs at that input, so an input
    /// too small for the architecture is a diagnostic located at the layer that cannot take it.
    /// Models not named keep their declared input.</summary>
    public static CompilationResult Compile(SourceFile source, IReadOnlyDictionary<string, Shape>? inputs) =>
        Compile(source, new DiagnosticBag(source), null, inputs);

    /// <summary>As <see cref="Compile(SourceFile, IReadOnlyDictionary{string, Shape})"/>, with the
    /// file's imports found by <paramref name="imports"/> (without one, an import is an error).</summary>
    public static CompilationResult Compile(SourceFile source, IReadOnlyDictionary<string, Shape>? inputs, IImportResolver? imports) =>
        Compile(source, new DiagnosticBag(source), null, inputs, imports);

    /// <summary>Checks a file with <paramref name="model"/> built for <paramref name="classes"/>
    /// classes (a tool's <c>--classes</c>): its call of a network gets <c>classes: N</c>, see
    /// <see cref="ClassifierResize"/>. Returns why not, instead of a result, when the model's
    /// class count is not a parameter of its network. <paramref name="inputs"/> as in
    /// <see cref="Compile(SourceFile, IReadOnlyDictionary{string, Shape})"/>.</summary>
    public static (CompilationResult? Result, string? Problem) Compile(
        SourceFile source, IReadOnlyDictionary<string, Shape>? inputs, IImportResolver? imports, string model, long classes)
    {
        string? problem = null;
        var result = Compile(source, new DiagnosticBag(source), null, inputs, imports, syntax =>
        {
            var (resized, why) = ClassifierResize.Apply(syntax, model, classes);
            problem = why;
            return resized ?? syntax;
        });
        return problem is null ? (result, null) : (null, problem);
    }

    /// <summary>Compiles a file as read from disk (see <see cref="Compile(string, byte[])"/>), its
    /// imports found by <paramref name="imports"/>.</summary>
    public static CompilationResult Compile(string path, byte[] bytes, IImportResolver? imports) => CompileBytes(path, bytes, imports);

    /// <summary>Compiles a file as read from disk. The bytes must be UTF-8 (a byte order mark is
    /// allowed): each run of bytes that is not is reported where it is (CNN0006) and stands for
    /// U+FFFD in the text, instead of being replaced silently.</summary>
    public static CompilationResult Compile(string path, byte[] bytes) => CompileBytes(path, bytes, null);

    private static CompilationResult CompileBytes(string path, byte[] bytes, IImportResolver? imports)
    {
        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            var empty = new SourceFile(path, string.Empty);
            var bag = new DiagnosticBag(empty);
            bag.Report(DiagnosticCodes.InvalidUtf8, new TextRange(0, 0),
                $"this file is UTF-16 (it starts with the byte order mark {bytes[0]:X2} {bytes[1]:X2}), not UTF-8",
                "save it as UTF-8");
            return new CompilationResult(empty, null, Array.Empty<ModelInfo>(), bag.Items);
        }

        // A file that cannot fit the limit is decoded only as far as the limit: it is reported
        // there, and nothing more of it is needed.
        if (bytes.Length > 4L * MaxFileLength)
        {
            var prefix = new byte[4 * MaxFileLength];
            Array.Copy(bytes, prefix, prefix.Length);
            bytes = prefix;
        }

        var (text, invalid) = Utf8Text.Decode(bytes);
        var source = new SourceFile(path, text);
        var diagnostics = new DiagnosticBag(source);
        var quiet = new HashSet<int>();
        foreach (var run in invalid)
        {
            for (var i = run.Range.Start; i < run.Range.End; i++) quiet.Add(i);
            var shown = string.Join(" ", run.Bytes.Select(b => "0x" + b.ToString("X2", CultureInfo.InvariantCulture)))
                + (run.Range.Length > run.Bytes.Length ? " ..." : "");
            diagnostics.Report(DiagnosticCodes.InvalidUtf8, run.Range,
                run.Range.Length == 1
                    ? $"byte {shown} (at byte offset {run.ByteOffset}) is not valid UTF-8"
                    : $"{run.Range.Length} bytes {shown} (from byte offset {run.ByteOffset}) are not valid UTF-8",
                "save the file as UTF-8; text in Latin-1 or Windows-1252 (é as the single byte 0xE9) is not");
        }

        return Compile(source, diagnostics, quiet.Count == 0 ? null : quiet.Contains, null, imports);
    }

    private static CompilationResult Compile(
        SourceFile source, DiagnosticBag diagnostics, Func<int, bool>? quiet, IReadOnlyDictionary<string, Shape>? inputs = null,
        IImportResolver? imports = null, Func<SourceFileSyntax, SourceFileSyntax>? rewrite = null)
    {
        if (source.Text.Length > MaxFileLength)
        {
            var tooLarge = new DiagnosticBag(source);
            tooLarge.Report(DiagnosticCodes.FileTooLarge, new TextRange(MaxFileLength, MaxFileLength),
                $"this file is longer than {MaxFileLength.ToString("N0", CultureInfo.InvariantCulture)} characters, the most CnnDsl reads; nothing in it is checked",
                "split it into several .cnn files");
            return new CompilationResult(source, null, Array.Empty<ModelInfo>(), tooLarge.Items);
        }

        var syntax = CnnParser.Parse(source, diagnostics, quiet);
        if (rewrite is not null) syntax = rewrite(syntax);
        var graph = syntax.Imports.Count == 0 ? null : ImportLoader.Load(source, syntax, imports, diagnostics);
        var evaluator = new Evaluator(syntax, diagnostics, graph);
        var analyzer = new ShapeAnalyzer(diagnostics, evaluator);
        var models = new List<ModelInfo>();
        // Each model is evaluated, its deferred calls expanded and the whole analysed before the
        // next is evaluated: the expansions are charged to that model's evaluation budget.
        foreach (var evaluated in evaluator.EvaluateModels())
        {
            var model = inputs is not null && inputs.TryGetValue(evaluated.Name, out var input) ? evaluated with { Input = input } : evaluated;
            var resolved = DeferredResolution.Resolve(model, evaluator, diagnostics);
            var analysed = resolved is null ? null : analyzer.Analyze(resolved);
            if (analysed is not null) models.Add(analysed);
        }

        // Only in a file without errors: a declaration that did not parse may be what uses
        // another, and a file with errors has more pressing news.
        if (!diagnostics.HasErrors)
        {
            foreach (var unused in Usage.Unused(syntax))
            {
                var kind = unused switch { LetDeclaration => "constant", NetworkDeclaration => "network", _ => "block" };
                diagnostics.Report(DiagnosticCodes.UnusedDeclaration, unused.Name.Range,
                    $"{kind} `{unused.Name.Name}` is never used by a model of this file",
                    "remove it, or use it in a model (a file without models, a library of blocks, gets no such warning)");
            }
        }

        if (syntax.Declarations.Count == 0 && !syntax.HasParseErrors && diagnostics.Items.Count == 0)
        {
            diagnostics.Report(DiagnosticCodes.EmptyFile, new TextRange(0, 0),
                syntax.Namespace is null ? "this file declares nothing" : "this file declares nothing but its namespace",
                "a .cnn file holds declarations: `let`, `block`, `network` and `model`, such as `model M input 1x28x28 = conv(6, 5)`");
        }

        // In the order of the offset space: the checked file first, then each imported file.
        var ordered = diagnostics.Items
            .OrderBy(d => diagnostics.Sources.StartOf(d.Source) + d.Location.Range.Start)
            .ThenBy(d => d.Code, StringComparer.Ordinal)
            .ToList();
        var dropped = diagnostics.DroppedNote();
        if (dropped is not null) ordered.Add(dropped);
        return new CompilationResult(source, syntax.Namespace, models, ordered)
        {
            DeclaredModels = syntax.Declarations.Count(d => d is ModelDeclaration),
            Imports = imports,
            Sources = diagnostics.Sources,
        };
    }
}
