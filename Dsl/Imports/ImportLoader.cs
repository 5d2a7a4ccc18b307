using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Syntax;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Imports;

/// <summary>Reads the files a .cnn file imports, and the files those import, each once, into the
/// compilation's <see cref="SourceSet"/>. What goes wrong is reported at the checked file's own
/// <c>import</c> line: a file that is not found (CNN0043), imports that lead back to it (CNN0044),
/// an imported file with errors of its own (CNN0045, with the first of them). An imported file's
/// own mistakes are its own file's to report in full, where that file is checked; an importer
/// learns that it cannot use it whole.</summary>
public static class ImportLoader
{
    /// <summary>Files one compilation reads, the checked one included.</summary>
    public const int MaxFiles = 64;

    internal static ImportGraph Load(SourceFile root, SourceFileSyntax syntax, IImportResolver? resolver, DiagnosticBag diagnostics)
    {
        var loader = new Loader(resolver, diagnostics);
        var rootFile = new ImportedFile(root, syntax);
        loader.Files.Add(rootFile.Key, rootFile);
        loader.Order.Add(rootFile);
        loader.Visit(rootFile, null);
        loader.ReportBrokenImports(rootFile);
        return new ImportGraph(rootFile, loader.Order);
    }

    private sealed class Loader
    {
        private readonly IImportResolver? _resolver;
        private readonly DiagnosticBag _diagnostics;
        private readonly List<(ImportedFile File, ImportDirective? Via)> _path = new();
        private bool _limitReported;

        public Loader(IImportResolver? resolver, DiagnosticBag diagnostics)
        {
            _resolver = resolver;
            _diagnostics = diagnostics;
        }

        public Dictionary<string, ImportedFile> Files { get; } = new(StringComparer.Ordinal);

        public List<ImportedFile> Order { get; } = new();

        /// <summary>Loads the imports of <paramref name="file"/>, depth first; <paramref name="via"/>
        /// is the line that imported it.</summary>
        public void Visit(ImportedFile file, ImportDirective? via)
        {
            _path.Add((file, via));
            try
            {
                foreach (var directive in file.Syntax.Imports) Follow(file, directive);
            }
            finally
            {
                _path.RemoveAt(_path.Count - 1);
            }
        }

        private bool IsRoot(ImportedFile file) => ReferenceEquals(file, Order[0]);

        private void Follow(ImportedFile file, ImportDirective directive)
        {
            if (_resolver is null)
            {
                file.ImportFailed = true;
                _diagnostics.Report(DiagnosticCodes.ImportFailed, directive.PathRange,
                    $"cannot import `{directive.Path}`: this text was checked on its own, with no files around it",
                    "check the file where it is: `cnn` reads imports from the disk, and the generator from the project's .cnn files");
                return;
            }

            // A file already read (imported twice, or on the path being followed) is not read again.
            var expected = ImportPaths.Resolve(file.Source.Path, directive.Path);
            if (Link(file, directive, expected)) return;

            var found = _resolver.Resolve(file.Source.Path, directive.Path);
            if (!found.Found)
            {
                Problem(file, directive.PathRange, found.Problem ?? $"cannot import `{directive.Path}`", found.Help);
                return;
            }

            var key = ImportPaths.Normalize(found.Path!);
            if (Link(file, directive, key)) return;

            if (Order.Count >= MaxFiles)
            {
                file.ImportFailed = true;
                if (!_limitReported)
                {
                    _limitReported = true;
                    _diagnostics.Report(DiagnosticCodes.ImportFailed, RootLine(directive).PathRange,
                        $"the imports of this file reach more than {MaxFiles} files, more than CnnDsl reads for one file",
                        "import fewer files: a file's imports, and theirs, are all read to check it");
                }

                return;
            }

            if (found.Text!.Length > CnnCompiler.MaxFileLength)
            {
                Problem(file, directive.PathRange,
                    $"cannot import `{directive.Path}`: it is longer than {CnnCompiler.MaxFileLength.ToString("N0", CultureInfo.InvariantCulture)} characters, the most CnnDsl reads",
                    "split it into several .cnn files");
                return;
            }

            var source = new SourceFile(found.Path!, found.Text);
            var start = _diagnostics.Sources.Add(source);
            var own = new DiagnosticBag(_diagnostics.Sources);
            var syntax = CnnParser.Parse(source, own, null, start);
            var target = new ImportedFile(source, syntax);
            foreach (var error in own.Items.Where(d => d.IsError))
            {
                target.Problems.Add((new TextRange(start + error.Location.Range.Start, start + error.Location.Range.End), error.Message));
            }

            Files.Add(key, target);
            Order.Add(target);
            file.Imports.Add((directive, target));
            Visit(target, directive);
        }

        /// <summary>Links an import to the file at <paramref name="key"/> if it is read already (or
        /// reports the cycle, if it is on the path being followed); false if it is not.</summary>
        private bool Link(ImportedFile file, ImportDirective directive, string key)
        {
            var onPath = _path.FindIndex(p => p.File.Key == key);
            if (onPath >= 0)
            {
                Cycle(file, directive, onPath);
                return true;
            }

            if (!Files.TryGetValue(key, out var known)) return false;
            file.Imports.Add((directive, known));
            return true;
        }

        /// <summary>A file that cannot be imported: reported where the checked file imports it, or
        /// noted as a problem of the imported file that names it.</summary>
        private void Problem(ImportedFile file, TextRange at, string message, string? help)
        {
            file.ImportFailed = true;
            if (IsRoot(file)) _diagnostics.Report(DiagnosticCodes.ImportFailed, at, message, help);
            else file.Problems.Add((at, message));
        }

        /// <summary><paramref name="file"/>'s <paramref name="directive"/> names the file at
        /// <paramref name="onPath"/> on the path of imports being followed.</summary>
        private void Cycle(ImportedFile file, ImportDirective directive, int onPath)
        {
            file.ImportFailed = true;
            var chain = System.IO.Path.GetFileName(_path[onPath].File.Source.Path)
                + string.Concat(_path.Skip(onPath + 1).Select(p => $" imports \"{p.Via!.Path}\", which"))
                + $" imports \"{directive.Path}\"";
            if (onPath == 0)
            {
                // Back to the checked file: reported at its own import that starts the circle.
                var start = RootLine(directive);
                var related = ReferenceEquals(start, directive) ? null : new[] { (directive.PathRange, "the import that closes the circle") };
                _diagnostics.Report(DiagnosticCodes.ImportCycle, start.PathRange,
                    $"importing `{start.Path}` leads back to this file: {chain}",
                    "files cannot import each other in a circle: move the blocks both need into a third file that both import",
                    related);
                return;
            }

            file.Problems.Add((directive.PathRange, $"its imports go round in a circle: {chain}"));
        }

        /// <summary>The checked file's import line on the path being followed (or the given one, when
        /// the checked file is the one importing).</summary>
        private ImportDirective RootLine(ImportDirective directive) => _path.Count > 1 ? _path[1].Via! : directive;

        /// <summary>For each import of the checked file: the errors in the imported file, or in the
        /// files it imports, reported at that import with the first of them.</summary>
        public void ReportBrokenImports(ImportedFile root)
        {
            foreach (var (directive, target) in root.Imports)
            {
                var problems = new List<(TextRange Range, string Message)>();
                var seen = new HashSet<ImportedFile> { root };
                var pending = new Queue<ImportedFile>();
                pending.Enqueue(target);
                seen.Add(target);
                while (pending.Count > 0)
                {
                    var next = pending.Dequeue();
                    problems.AddRange(next.Problems);
                    foreach (var (_, further) in next.Imports)
                    {
                        if (seen.Add(further)) pending.Enqueue(further);
                    }
                }

                if (problems.Count == 0) continue;
                var first = problems[0];
                var location = _diagnostics.Sources.Locate(first.Range);
                var count = problems.Count == 1 ? "an error" : $"{problems.Count} errors";
                _diagnostics.Report(DiagnosticCodes.ImportedFileHasErrors, directive.PathRange,
                    $"`{directive.Path}` has {count} (in it or in the files it imports), so it cannot be used whole; the first: {first.Message} ({location.Path}:{location.StartLine + 1}:{location.StartColumn + 1})",
                    "fix the imported file; it is reported in full where it is checked itself",
                    new[] { (first.Range, "the first error") });
            }
        }
    }
}
