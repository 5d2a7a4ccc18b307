using System.Globalization;
using CnnDsl.Cli.Input;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Text;

namespace CnnDsl.Cli.Analysis;

/// <summary>Why a model's report could not be made: an option that asks for figures beyond 64
/// bits (a usage error naming it), or the model itself (a located CNN0037 diagnostic).</summary>
public sealed record ReportFailure(string? OptionError, Diagnostic? ModelError);

/// <summary>Makes a model's <see cref="ModelReport"/> at the options asked for. The Dsl keeps
/// every count of a model at most 2^53, so its figures at batch 1 fit in 64 bits with room for
/// FLOPs and bytes; a batch or a counting convention can still take one past 64 bits. Then the
/// option to blame is found by trying without it, and the message says how far it can go.</summary>
public static class ReportFactory
{
    public static ModelReport? Create(SelectedModel selected, ReportOptions options, SourceFile source, out ReportFailure? failure)
    {
        failure = null;
        var problem = Try(selected, options, out var report);
        if (problem is null) return report;

        var name = selected.Model.Name;
        if (options.Batch > 1 && Try(selected, options with { Batch = 1 }, out _) is null)
        {
            var largest = LargestBatch(selected, options);
            failure = new ReportFailure(
                $"--batch {Numbers(options.Batch)}: at this batch the {problem.Figure} of model '{name}' would not fit in 64 bits; "
                + $"the largest batch at which every figure fits is {Numbers(largest)}.",
                null);
            return null;
        }

        var single = options with { Batch = 1 };
        if (options.Counting != Counting.Torchvision && Try(selected, single with { Counting = Counting.Torchvision }, out _) is null)
        {
            failure = new ReportFailure(
                $"--count {options.Counting.Name}: counted this way, the {problem.Figure} of model '{name}' would not fit in 64 bits, even for one sample; "
                + "count fewer kinds of work (the default counts conv and linear).",
                null);
            return null;
        }

        var bag = new DiagnosticBag(source);
        bag.Report(DiagnosticCodes.CountOverflow, selected.Model.NameRange,
            $"the {problem.Figure} of model `{name}` would not fit in 64 bits",
            "check the input shape and the channel counts");
        failure = new ReportFailure(null, bag.Items[0]);
        return null;
    }

    private static FigureOverflowException? Try(SelectedModel selected, ReportOptions options, out ModelReport? report)
    {
        try
        {
            report = new ModelReport(selected.Model, options, selected.DeclaredInput);
            return null;
        }
        catch (FigureOverflowException e)
        {
            report = null;
            return e;
        }
    }

    /// <summary>The largest batch below the one asked for at which every figure fits (a batch of
    /// 1 does). Figures grow with the batch, so the answer is found by bisection.</summary>
    private static long LargestBatch(SelectedModel selected, ReportOptions options)
    {
        long fits = 1, fails = options.Batch;
        while (fails - fits > 1)
        {
            var middle = fits + (fails - fits) / 2;
            if (Try(selected, options with { Batch = middle }, out _) is null) fits = middle;
            else fails = middle;
        }

        return fits;
    }

    private static string Numbers(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
