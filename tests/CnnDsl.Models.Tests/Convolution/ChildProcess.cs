using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace CnnDsl.Models.Tests.Convolution;

/// <summary>Runs this test assembly's <see cref="ChildProcessEntry"/> in a fresh process
/// (<c>dotnet exec</c>) with the given environment changes.</summary>
public static class ChildProcess
{
    public sealed record Result(int ExitCode, string Out, string Error);

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static Result Run(string scenario, IReadOnlyDictionary<string, string?> environment)
    {
        string assembly = typeof(ChildProcessEntry).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add(scenario);
        foreach (var (name, value) in environment)
        {
            if (value == null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{scenario} ran over {Limit.TotalMinutes} minutes");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    // The test host runs under the dotnet host that ran the tests (dotnet test sets
    // DOTNET_HOST_PATH for its children); fall back to the one on PATH.
    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        string? current = Environment.ProcessPath;
        if (current != null && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        return "dotnet";
    }
}
