using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace CnnDsl.Generator.Tests;

/// <summary>Runs the generator through Roslyn's driver, as the compiler would, over in-memory
/// .cnn files and C# sources.</summary>
public static class GeneratorHarness
{
    public static string ArchitecturePath(string file) => Path.Combine(AppContext.BaseDirectory, "architectures", file);

    public static (string Path, string Text) Architecture(string file)
    {
        var path = ArchitecturePath(file);
        return (path, File.ReadAllText(path));
    }

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Consumer",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest), path: $"Source{i}.cs")),
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999));

    public static GeneratorDriver Driver(IEnumerable<AdditionalText> files, IReadOnlyDictionary<string, string>? properties = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new CnnModelGenerator().AsSourceGenerator() },
            files,
            CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest),
            new Options(properties ?? new Dictionary<string, string>()),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorDriverRunResult Run(params (string Path, string Text)[] files)
    {
        var driver = Driver(files.Select(f => (AdditionalText)new InMemoryText(f.Path, f.Text)));
        return driver.RunGenerators(Compilation("class Placeholder {}")).GetRunResult();
    }

    private static IEnumerable<MetadataReference> References()
    {
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var local = new[] { typeof(TorchSharp.torch).Assembly.Location, typeof(CnnDsl.Runtime.ModuleGroup).Assembly.Location,
            typeof(CnnDsl.Dsl.Analysis.ModelInfo).Assembly.Location, typeof(CnnDsl.Export.ExportException).Assembly.Location };
        return trusted.Concat(local).Distinct().Select(p => MetadataReference.CreateFromFile(p));
    }

    public sealed class InMemoryText : AdditionalText
    {
        private readonly SourceText _text;

        public InMemoryText(string path, string text)
        {
            Path = path;
            _text = SourceText.From(text);
        }

        public override string Path { get; }
        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class Options : AnalyzerConfigOptionsProvider
    {
        public Options(IReadOnlyDictionary<string, string> properties) => GlobalOptions = new Values(properties);

        public override AnalyzerConfigOptions GlobalOptions { get; }
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Values.Empty;
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Values.Empty;

        private sealed class Values : AnalyzerConfigOptions
        {
            public static readonly Values Empty = new(new Dictionary<string, string>());
            private readonly IReadOnlyDictionary<string, string> _values;

            public Values(IReadOnlyDictionary<string, string> values) => _values = values;

            public override bool TryGetValue(string key, out string value)
            {
                var found = _values.TryGetValue(key, out var v);
                value = v ?? string.Empty;
                return found;
            }
        }
    }
}
