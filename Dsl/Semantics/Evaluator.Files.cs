using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Imports;
using CnnDsl.Dsl.Syntax;

namespace CnnDsl.Dsl.Semantics;

// Names across files: each file sees its own declarations and those of the files it imports
// (not theirs in turn); a declaration is evaluated among the names of the file it is written in.
public sealed partial class Evaluator
{
    /// <summary>The names one file sees.</summary>
    private sealed class FileScope
    {
        /// <summary>Its own declarations, then those it imports (its own win).</summary>
        public Dictionary<string, Declaration> Globals { get; } = new(StringComparer.Ordinal);

        /// <summary>Declarations that did not parse: uses of them stay quiet.</summary>
        public HashSet<string> Broken { get; } = new(StringComparer.Ordinal);

        /// <summary>True when an import of the file failed (reported there): a name it does not
        /// know may be one the missing file declares, so it is not reported.</summary>
        public bool ImportFailed { get; set; }

        /// <summary>Names that two imported files both declare, with where each does.</summary>
        public Dictionary<string, List<(Declaration Declaration, string File)>> Ambiguous { get; } = new(StringComparer.Ordinal);
    }

    private FileScope _file;
    private readonly Dictionary<Declaration, FileScope> _homes = new(ReferenceComparer<Declaration>.Instance);

    /// <summary>The names of the file whose declaration is being evaluated.</summary>
    private Dictionary<string, Declaration> Globals => _file.Globals;

    private HashSet<string> Broken => _file.Broken;

    /// <summary>The scope of each file; the checked file's is returned. Duplicate definitions are
    /// reported in the checked file only: an imported file's are its own to report.</summary>
    private FileScope FileScopes(SourceFileSyntax syntax, ImportGraph? imports)
    {
        var root = OwnDeclarations(syntax, report: true);
        if (imports is null) return root;

        var scopes = new Dictionary<ImportedFile, FileScope>(ReferenceComparer<ImportedFile>.Instance) { [imports.Root] = root };
        var own = new Dictionary<ImportedFile, Dictionary<string, Declaration>>(ReferenceComparer<ImportedFile>.Instance)
        {
            [imports.Root] = new Dictionary<string, Declaration>(root.Globals, StringComparer.Ordinal),
        };
        foreach (var file in imports.Files.Skip(1))
        {
            var scope = OwnDeclarations(file.Syntax, report: false);
            scopes[file] = scope;
            own[file] = new Dictionary<string, Declaration>(scope.Globals, StringComparer.Ordinal);
        }

        foreach (var file in imports.Files)
        {
            var scope = scopes[file];
            scope.ImportFailed = file.ImportFailed;
            foreach (var (_, target) in file.Imports)
            {
                foreach (var pair in own[target])
                {
                    // A model is a class of its own file, never a name for layers elsewhere.
                    if (pair.Value is ModelDeclaration || own[file].ContainsKey(pair.Key)) continue;
                    if (scope.Ambiguous.TryGetValue(pair.Key, out var clash))
                    {
                        if (!clash.Any(c => ReferenceEquals(c.Declaration, pair.Value))) clash.Add((pair.Value, target.Source.Path));
                    }
                    else if (scope.Globals.TryGetValue(pair.Key, out var other) && !ReferenceEquals(other, pair.Value))
                    {
                        scope.Globals.Remove(pair.Key);
                        scope.Ambiguous[pair.Key] = new List<(Declaration, string)> { (other, FileOf(other, scopes, own)), (pair.Value, target.Source.Path) };
                    }
                    else
                    {
                        scope.Globals[pair.Key] = pair.Value;
                    }
                }

                foreach (var broken in scopes[target].Broken)
                {
                    if (!scope.Globals.ContainsKey(broken)) scope.Broken.Add(broken);
                }
            }

            foreach (var declaration in own[file].Values) _homes[declaration] = scope;
        }

        return root;
    }

    private static string FileOf(Declaration declaration, Dictionary<ImportedFile, FileScope> scopes, Dictionary<ImportedFile, Dictionary<string, Declaration>> own) =>
        own.First(o => o.Value.Values.Any(d => ReferenceEquals(d, declaration))).Key.Source.Path;

    private FileScope OwnDeclarations(SourceFileSyntax syntax, bool report)
    {
        var scope = new FileScope();
        foreach (var declaration in syntax.Declarations)
        {
            var name = declaration.Name.Name;
            if (scope.Globals.TryGetValue(name, out var first))
            {
                if (report)
                {
                    _diagnostics.Report(DiagnosticCodes.DuplicateDefinition, declaration.Name.Range, $"`{name}` is defined twice",
                        "rename one of them", new[] { (first.Name.Range, $"`{name}` is first defined here") });
                }

                continue;
            }

            if (LayerCatalog.Layers.ContainsKey(name) || Builtins.IsFunction(name) || IsStructure(name))
            {
                if (report)
                {
                    Report(DiagnosticCodes.DuplicateDefinition, declaration.Name.Range,
                        $"`{name}` is already the name of a builtin layer or function", "rename one of them");
                }

                continue;
            }

            scope.Globals.Add(name, declaration);
        }

        foreach (var broken in syntax.BrokenDeclarations)
        {
            if (!scope.Globals.ContainsKey(broken.Name)) scope.Broken.Add(broken.Name);
        }

        return scope;
    }

    /// <summary>The scope of the file a declaration is written in.</summary>
    private FileScope HomeOf(Declaration declaration) => _homes.TryGetValue(declaration, out var home) ? home : _file;

    /// <summary>True for an unknown name the imports explain: one may declare it but failed (reported
    /// at the import), or two declare it (reported here). False for any other name.</summary>
    private bool ExplainedByImports(Identifier name)
    {
        if (_file.ImportFailed) return true; // the import is reported; the name may be in it
        if (!_file.Ambiguous.TryGetValue(name.Name, out var clash)) return false;
        _diagnostics.Report(DiagnosticCodes.DuplicateDefinition, name.Range,
            $"`{name.Name}` is declared by {string.Join(" and ", clash.Select(c => System.IO.Path.GetFileName(c.File)))}, which this file both imports",
            $"declare `{name.Name}` in this file (its own declaration wins), or import only one of them",
            clash.Select(c => (c.Declaration.Name.Range, $"`{name.Name}` in {System.IO.Path.GetFileName(c.File)}")));
        return true;
    }
}
