using System.Collections.Generic;
using CnnDsl.Dsl.Syntax;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Dsl.Imports;

/// <summary>One file of a compilation, the one checked or one it imports, with the files its
/// <c>import</c> lines name.</summary>
internal sealed class ImportedFile
{
    public ImportedFile(SourceFile source, SourceFileSyntax syntax)
    {
        Source = source;
        Syntax = syntax;
        Key = ImportPaths.Normalize(source.Path);
    }

    /// <summary>The normalised path: two imports of one file find one <see cref="ImportedFile"/>.</summary>
    public string Key { get; }

    public SourceFile Source { get; }

    public SourceFileSyntax Syntax { get; }

    /// <summary>The files this one imports, each with the line that imports it.</summary>
    public List<(ImportDirective Directive, ImportedFile Target)> Imports { get; } = new();

    /// <summary>True when one of this file's imports could not be read (not found, a cycle, past
    /// the limit): its names are not all known, so unknown names are not reported in it.</summary>
    public bool ImportFailed { get; set; }

    /// <summary>Errors in this file (an imported one) or in its own imports, as ranges of the
    /// compilation's offset space: an importer cannot use it whole.</summary>
    public List<(TextRange Range, string Message)> Problems { get; } = new();
}

/// <summary>The files of a compilation: the one checked first, then every file it imports,
/// directly or not, each once.</summary>
internal sealed class ImportGraph
{
    public ImportGraph(ImportedFile root, IReadOnlyList<ImportedFile> files)
    {
        Root = root;
        Files = files;
    }

    public ImportedFile Root { get; }

    public IReadOnlyList<ImportedFile> Files { get; }
}
