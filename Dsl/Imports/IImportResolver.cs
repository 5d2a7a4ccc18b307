namespace CnnDsl.Dsl.Imports;

/// <summary>Finds the file an <c>import "path"</c> names. The <c>cnn</c> command reads the disk
/// (<see cref="FileImportResolver"/>); the generator looks among the project's additional files
/// only (<see cref="ImportTable"/>), as Roslyn requires.</summary>
public interface IImportResolver
{
    /// <summary>The file that <paramref name="importPath"/>, written in the file at
    /// <paramref name="importingPath"/>, names: its path and text, or why there is none.</summary>
    ImportResolution Resolve(string importingPath, string importPath);
}

/// <summary>A found file (<see cref="Path"/> and <see cref="Text"/>), or the <see cref="Problem"/>
/// that kept it from being found, with a <see cref="Help"/> line.</summary>
public sealed record ImportResolution(string? Path, string? Text, string? Problem, string? Help)
{
    public bool Found => Path is not null && Text is not null;

    public static ImportResolution Of(string path, string text) => new(path, text, null, null);

    public static ImportResolution Missing(string problem, string help) => new(null, null, problem, help);
}
