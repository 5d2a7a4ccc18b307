using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;
using System.Linq;
using CnnDsl.Cli.Input;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Runtime;

namespace CnnDsl.Cli.Training;

/// <summary>What <c>train</c>, <c>test</c> and <c>transfer</c> share: picking one model of a file,
/// checking that libtorch loads, parsing numbers the same way everywhere, formatting figures.</summary>
public static class TrainingCli
{
    /// <summary>Reads and checks the file and picks one model: the one named, or the file's only
    /// model; with <paramref name="classes"/>, the model rebuilt for that many classes
    /// (<c>--classes</c>, see <see cref="CnnDsl.Dsl.Semantics.ClassifierResize"/>). Also returns
    /// the checked file, for a later <see cref="Resize"/>. Prints what is wrong and returns the
    /// exit code otherwise.</summary>
    public static (ModelInfo? Model, CompilationResult? File, int Exit) LoadModel(
        CliContext context, string path, string? name, long? classes, string option = "--model")
    {
        var (model, file, exit) = Load(context, path, name, option);
        if (model is null || classes is null) return (model, file, exit);
        var (resized, resizeExit) = Resize(context, file!, model, classes.Value, $"--classes {Count(classes.Value)}");
        return (resized, file, resizeExit);
    }

    /// <summary><paramref name="model"/> of the checked <paramref name="file"/> rebuilt for
    /// <paramref name="classes"/> classes (unchanged when it has that many outputs), from the text
    /// already read: the file is not read again. <paramref name="reason"/> begins a message with
    /// what asked for it. Prints what is wrong and returns the exit code otherwise.</summary>
    public static (ModelInfo? Model, int Exit) Resize(CliContext context, CompilationResult file, ModelInfo model, long classes, string reason)
    {
        var errors = context.ErrorPrinter;
        if (model.Output.Elements == classes) return (model, ExitCodes.Success);
        var (result, problem) = CnnDsl.Dsl.CnnCompiler.Compile(file.Source, null, file.Imports, model.Name, classes);
        if (problem is not null)
        {
            errors.ToolError($"{reason}: {problem}.");
            return (null, ExitCodes.Usage);
        }

        errors.Print(result!.Diagnostics);
        var resized = result.Models.FirstOrDefault(m => m.Name == model.Name);
        if (result.HasErrors || resized is null)
        {
            errors.ToolError($"{reason}: {model.Name} cannot be built for {Count(classes)} classes (see above).");
            return (null, ExitCodes.SourceErrors);
        }

        return (resized, ExitCodes.Success);
    }

    /// <summary>Reads and checks the file and picks one model: the one named, or the file's only
    /// model. Prints what is wrong and returns the exit code otherwise.</summary>
    public static (ModelInfo? Model, int Exit) LoadModel(CliContext context, string path, string? name, string option = "--model")
    {
        var (model, _, exit) = Load(context, path, name, option);
        return (model, exit);
    }

    private static (ModelInfo? Model, CompilationResult? File, int Exit) Load(CliContext context, string path, string? name, string option)
    {
        var errors = context.ErrorPrinter;
        var source = SourceLoader.Load(path);
        if (!source.Loaded)
        {
            errors.ToolError(source.Error!);
            return (null, null, ExitCodes.FileError);
        }

        var result = source.Result!;
        errors.Print(result.Diagnostics);
        if (result.HasErrors)
        {
            var count = result.Diagnostics.Count(d => d.IsError);
            errors.ToolError($"'{path}' has {count} error{(count == 1 ? "" : "s")}; fix {(count == 1 ? "it" : "them")} first.");
            return (null, result, ExitCodes.SourceErrors);
        }

        if (name is null && result.Models.Count > 1)
        {
            errors.ToolError($"'{path}' defines {result.Models.Count} models; say which with {option}: {string.Join(", ", result.Models.Select(m => m.Name))}");
            return (null, result, ExitCodes.Usage);
        }

        var (models, problem) = ModelSelector.Select(path, result.Models, name);
        if (problem is not null)
        {
            errors.ToolError(problem);
            return (null, result, ExitCodes.Usage);
        }

        return (models[0], result, ExitCodes.Success);
    }

    /// <summary>Whether the model fits in the memory available for <paramref name="purpose"/>,
    /// estimated from the analysis before anything is allocated; if not, says how much it needs
    /// (exit code 6 follows), instead of libtorch failing halfway or the machine swapping.</summary>
    public static bool Fits(CliContext context, ModelInfo model, long batch, bool training, string purpose)
    {
        var refusal = ModelMemory.Refusal(model, batch, training, purpose);
        if (refusal is null) return true;
        context.ErrorPrinter.ToolError(refusal + ".");
        return false;
    }

    /// <summary>Loads libtorch, or prints why it cannot be loaded.</summary>
    public static bool EnsureTorch(CliContext context)
    {
        try
        {
            TorchRuntime.EnsureAvailable();
            return true;
        }
        catch (TorchUnavailableException e)
        {
            context.ErrorPrinter.ToolError(e.Message);
            return false;
        }
    }

    /// <summary>A warning on standard error: the run goes on.</summary>
    public static void Warn(CliContext context, string message)
    {
        context.Error.WriteLine($"warning: {message}");
        context.Error.Flush();
    }

    /// <summary>Moves a classifier to the device <c>--device</c> names; prints why not and returns false otherwise.</summary>
    public static bool UseDevice(CliContext context, string device, CnnDsl.Runtime.Training.Classifier classifier)
    {
        if (device == "cpu") return true;
        if (!TorchSharp.torch.cuda.is_available())
        {
            context.ErrorPrinter.ToolError("--device cuda: no CUDA device can be used. This cnn runs libtorch's CPU build (the NuGet package libtorch-cpu-linux-x64); "
                + "CUDA needs TorchSharp-cuda-linux (libtorch-cuda-12.x-linux-x64) in its place, an NVIDIA GPU and its driver. Use --device cpu.");
            return false;
        }

        classifier.MoveTo(TorchSharp.torch.CUDA);
        return true;
    }

    /// <summary>A decimal option parsed with the invariant culture (a point, never a comma).</summary>
    public static Option<double?> Decimal(string name, string description, string helpName, double min, double max, bool minInclusive = true)
    {
        return new Option<double?>(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result =>
            {
                var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    && double.IsFinite(value) && (minInclusive ? value >= min : value > min) && value < max)
                {
                    return value;
                }

                var low = min.ToString(CultureInfo.InvariantCulture);
                var range = double.IsPositiveInfinity(max)
                    ? minInclusive ? $"at least {low}" : $"greater than {low}"
                    : $"{(minInclusive ? "at least" : "greater than")} {low} and less than {max.ToString(CultureInfo.InvariantCulture)}";
                result.AddError($"{name} takes a number {range}, not '{token}'.");
                return null;
            },
        };
    }

    /// <summary>The most threads <c>--threads</c> and <c>--workers</c> may ask for: more only
    /// risks the process's thread limit (where creating them fails or hangs) for no speed.</summary>
    public const int MaxThreads = 256;

    /// <summary>A whole-number option with a lower bound (and an upper one, where given).</summary>
    public static Option<int?> Whole(string name, string description, string helpName, int min, string? alias = null, int max = int.MaxValue)
    {
        var option = alias is null ? new Option<int?>(name) : new Option<int?>(name, alias);
        option.Description = description;
        option.HelpName = helpName;
        option.CustomParser = result =>
        {
            var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
            result.AddError(max == int.MaxValue
                ? $"{name} takes a whole number of {min} or more, not '{token}'."
                : $"{name} takes a whole number from {min} to {max}, not '{token}'.");
            return null;
        };
        return option;
    }

    /// <summary>"98.45%".</summary>
    public static string Percent(double fraction) => (100 * fraction).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    /// <summary>A loss with four decimals.</summary>
    public static string Loss(double loss) => loss.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>"1.3 s", "2 min 05 s".</summary>
    public static string Duration(TimeSpan time) =>
        time.TotalSeconds < 60
            ? time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : $"{(int)time.TotalMinutes} min {time.Seconds:00} s";

    /// <summary>"1,234".</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The last-epoch checkpoint beside the best one: <c>a.ckpt</c> gives <c>a.last.ckpt</c>.</summary>
    public static string LastPath(string bestPath)
    {
        var extension = Path.GetExtension(bestPath);
        return extension.Length == 0
            ? bestPath + ".last"
            : bestPath.Substring(0, bestPath.Length - extension.Length) + ".last" + extension;
    }
}
