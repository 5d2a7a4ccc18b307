using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary>One command a document shows: its text as written, where, and the output the
/// document shows under it (for a <c>$ command</c> line: the lines up to the next one; `...`
/// stands for lines left out).</summary>
public sealed record DocCommand(string Document, int Line, string Text, IReadOnlyList<string> ShownOutput);

/// <summary>Reads the commands of a Markdown document and runs the <c>cnn</c> ones in process, in
/// order, in a scratch copy of the repository's files, as a user at the repository root would
/// type them: <c>dotnet run --project Cli -- ARGS</c> and <c>cnn ARGS</c> alike, with the shell's
/// <c>#</c> comments, <c>*</c> globs and <c>&gt; file</c>. Shared by the tests of README.md and
/// docs/ (DocCommandTests) and usable for any other document.</summary>
public static class DocCommands
{
    private static readonly string[] CnnPrefixes = { "dotnet run --project Cli -- ", "cnn " };

    /// <summary>Every command line in the document's code fences: lines that start with
    /// <c>$ </c>, or with <c>dotnet</c>, <c>cnn</c>, <c>bash</c>, <c>dot</c> or <c>npm</c>. Synopses
    /// (<c>cnn summary FILE [--model NAME]</c>) are not commands and are left out.</summary>
    public static IReadOnlyList<DocCommand> Extract(string document, string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var commands = new List<DocCommand>();
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (!inFence) continue;
            var prompted = line.StartsWith("$ ", StringComparison.Ordinal);
            var command = prompted ? line[2..] : line;
            if (!prompted && !Regex.IsMatch(command, @"^(dotnet|cnn|bash|dot|npm) ")) continue;
            if (IsSynopsis(command)) continue;

            var shown = new List<string>();
            for (var j = i + 1; prompted && j < lines.Length && !lines[j].StartsWith("```", StringComparison.Ordinal) && !lines[j].StartsWith("$ ", StringComparison.Ordinal); j++)
            {
                shown.Add(lines[j]);
            }

            commands.Add(new DocCommand(document, i + 1, command.Trim(), shown));
        }

        return commands;
    }

    /// <summary>The arguments of a <c>cnn</c> command (the shell's comment removed), or null when the
    /// command runs something else.</summary>
    public static string? CnnArguments(string command)
    {
        var text = Regex.Replace(command, @"\s+#.*$", "").Trim();
        var prefix = CnnPrefixes.FirstOrDefault(p => text.StartsWith(p, StringComparison.Ordinal));
        return prefix is null ? null : text[prefix.Length..];
    }

    /// <summary>A scratch folder holding what the documents' commands read: the shipped
    /// architectures and the documentation's example files, at their paths in the repository.</summary>
    public static string Workspace()
    {
        var root = RepositoryRoot();
        var workspace = Path.Combine(Path.GetTempPath(), "cnn-doc-commands-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var folder in new[] { "architectures", Path.Combine("docs", "examples") })
        {
            Directory.CreateDirectory(Path.Combine(workspace, folder));
            foreach (var file in Directory.GetFiles(Path.Combine(root, folder), "*.cnn"))
            {
                File.Copy(file, Path.Combine(workspace, folder, Path.GetFileName(file)));
            }
        }

        return workspace;
    }

    /// <summary>Runs a <c>cnn</c> command in <paramref name="workspace"/> as the shell would: relative
    /// paths are the workspace's, a glob is expanded (sorted), <c>&gt; file</c> writes standard
    /// output there. The output comes back with the workspace's path taken out.</summary>
    public static CliRun Run(string arguments, string workspace)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        string? redirect = null;
        var redirectAt = words.IndexOf(">");
        if (redirectAt >= 0)
        {
            redirect = words[redirectAt + 1];
            words.RemoveRange(redirectAt, 2);
        }

        var args = new List<string>();
        foreach (var word in words)
        {
            if (word.Contains('*'))
            {
                var folder = Path.Combine(workspace, Path.GetDirectoryName(word)!);
                args.AddRange(Directory.GetFiles(folder, Path.GetFileName(word)).OrderBy(f => f, StringComparer.Ordinal));
            }
            else
            {
                args.Add(IsPath(word) ? Path.Combine(workspace, word) : word);
            }
        }

        var run = CliRunner.Run(args.ToArray());
        var prefix = workspace + Path.DirectorySeparatorChar;
        if (redirect is not null) File.WriteAllText(Path.Combine(workspace, redirect), run.Out);
        return new CliRun(run.ExitCode, run.Out.Replace(prefix, ""), run.Error.Replace(prefix, ""));
    }

    /// <summary>Asserts that the lines a document shows appear in the output, in order (`...`
    /// stands for any lines; trailing spaces do not count).</summary>
    public static void AssertShown(DocCommand command, string output)
    {
        var actual = output.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd()).ToList();
        var at = 0;
        foreach (var expected in command.ShownOutput.Select(l => l.TrimEnd()).Where(l => l.Length > 0 && l != "..."))
        {
            var found = actual.FindIndex(at, l => l == expected);
            Assert.True(found >= 0, $"{command.Document}:{command.Line}: `{command.Text}` shows\n  {expected}\nbut its output (from line {at + 1}) is:\n{string.Join("\n", actual.Skip(at))}");
            at = found + 1;
        }
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CnnDsl.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("CnnDsl.sln not found above " + AppContext.BaseDirectory);
    }

    private static bool IsSynopsis(string command) =>
        command.Contains(" FILE", StringComparison.Ordinal) || command.Contains('[') || command.Contains(" | ", StringComparison.Ordinal)
        || command.Contains("...", StringComparison.Ordinal) || command.Contains('<');

    private static bool IsPath(string word) =>
        !word.StartsWith('-') && !Path.IsPathRooted(word) && (word.Contains('/') || Regex.IsMatch(word, @"\.(cnn|png|svg|dot|ckpt|json|csv)$"));
}
