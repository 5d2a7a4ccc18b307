using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace CnnDsl.Package.Tests;

/// <summary>The exit code and the interleaved output of one <c>dotnet</c> command.</summary>
public sealed record DotnetResult(int ExitCode, string Output, string CommandLine)
{
    public override string ToString() => $"$ {CommandLine}\n(exit {ExitCode})\n{Output}";
}

/// <summary>Runs the <c>dotnet</c> that runs the tests, as a user runs it in a terminal, with
/// English messages and no MSBuild state inherited from the <c>dotnet test</c> that started us.</summary>
public static class DotnetProcess
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    public static DotnetResult Run(string workingDirectory, params string[] arguments) =>
        Run(workingDirectory, (IEnumerable<string>)arguments);

    public static DotnetResult Run(string workingDirectory, IEnumerable<string> arguments)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        // `dotnet test` runs inside MSBuild; its variables would point a child build at the wrong
        // SDK pieces or an in-process node.
        foreach (var name in new List<string>(EnvironmentNames(start)))
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)) start.Environment.Remove(name);
        }

        start.Environment["MSBUILDTERMINALLOGGER"] = "off";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(" ", arguments)} did not finish in {Limit.TotalMinutes} minutes:\n{output.Result}");
        }

        process.WaitForExit();
        return new DotnetResult(process.ExitCode, output.Result + error.Result, "dotnet " + string.Join(" ", arguments));
    }

    private static IEnumerable<string> EnvironmentNames(ProcessStartInfo start)
    {
        foreach (var name in start.Environment.Keys) yield return name;
    }
}
