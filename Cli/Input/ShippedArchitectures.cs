using System;
using System.IO;

namespace CnnDsl.Cli.Input;

/// <summary>
/// The architectures that ship inside the tool (the repository's <c>architectures/</c> folder,
/// copied beside <c>cnn.dll</c>), so that <c>cnn list</c> and <c>cnn summary resnet.cnn</c> work
/// from any folder. A file or folder that exists where the user points always wins; only a
/// relative path that names nothing there falls back to the tool's copy.
/// </summary>
public static class ShippedArchitectures
{
    /// <summary>The name of the folder, in the repository and beside the tool.</summary>
    public const string FolderName = "architectures";

    /// <summary>Where the tool's copy of the architectures is (it may be missing in a build
    /// that did not copy them).</summary>
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, FolderName);

    /// <summary>
    /// <paramref name="argument"/> itself when it exists or is absolute; otherwise the shipped
    /// file or folder it names, when there is one: <c>resnet.cnn</c> or <c>resnet</c> (a shipped
    /// file by name), <c>architectures</c> (the whole folder), <c>architectures/resnet.cnn</c>
    /// (the repository's path of a shipped file). Anything else is returned as given, so that
    /// the caller reports it as not found.
    /// </summary>
    public static string Resolve(string argument)
    {
        if (string.IsNullOrEmpty(argument) || File.Exists(argument) || Directory.Exists(argument) || Path.IsPathRooted(argument))
        {
            return argument;
        }

        var relative = argument.Replace('\\', '/').TrimEnd('/');
        if (relative.StartsWith("./", StringComparison.Ordinal)) relative = relative[2..];
        if (relative == FolderName) return Directory.Exists(Folder) ? Folder : argument;
        if (relative.StartsWith(FolderName + "/", StringComparison.Ordinal)) relative = relative[(FolderName.Length + 1)..];
        if (relative.Length == 0 || relative.Contains('/', StringComparison.Ordinal)) return argument;

        var shipped = Path.Combine(Folder, relative.EndsWith(".cnn", StringComparison.Ordinal) ? relative : relative + ".cnn");
        return File.Exists(shipped) ? shipped : argument;
    }
}
