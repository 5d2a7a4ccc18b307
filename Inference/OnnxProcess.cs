using System;
using System.Diagnostics;
using System.IO;

namespace CnnDsl.Inference;

/// <summary>The ONNX Runtime child process failed: its exit code and what it said.</summary>
public sealed class OnnxProcessException : Exception
{
    public OnnxProcessException(string message)
        : base(message)
    {
    }
}

/// <summary>Runs an ONNX model in a child process (this assembly's own program), for a process
/// that holds libtorch and so cannot load ONNX Runtime itself (<see cref="OnnxModel"/>).</summary>
public static class OnnxProcess
{
    /// <summary>The output of the model at <paramref name="model"/> on <paramref name="input"/> (N x C x H x W).</summary>
    /// <param name="threads">ONNX Runtime's intra-op threads; 0 for its default.</param>
    /// <exception cref="OnnxProcessException">The child could not start or failed; the message holds its error.</exception>
    public static TensorFile Run(string model, TensorFile input, int threads = 0)
    {
        var folder = Directory.CreateTempSubdirectory("cnndsl-onnx-");
        try
        {
            var inputPath = Path.Combine(folder.FullName, "input.cnnt");
            var outputPath = Path.Combine(folder.FullName, "output.cnnt");
            input.Write(inputPath);
            Start("run", Path.GetFullPath(model), inputPath, outputPath, "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return TensorFile.Read(outputPath);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Runs the child program with <paramref name="arguments"/> and returns what it printed.</summary>
    /// <exception cref="OnnxProcessException">It could not start or exited with an error.</exception>
    public static string Start(params string[] arguments)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "CnnDsl.Inference.dll");
        if (!File.Exists(program)) throw new OnnxProcessException($"the ONNX Runtime program is missing: {program}");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(program);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // libtorch's thread settings must not leak into ONNX Runtime's process.
        start.Environment.Remove("OMP_NUM_THREADS");
        using var process = Process.Start(start) ?? throw new OnnxProcessException($"cannot start {start.FileName}");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new OnnxProcessException($"ONNX Runtime's process exited with {process.ExitCode}: {errors.Result.Trim()}");
        }

        return output;
    }

    /// <summary>The <c>dotnet</c> that runs this process, else the one on PATH.</summary>
    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, "dotnet"))) return Path.Combine(root, "dotnet");
        return "dotnet";
    }
}
