using System;
using System.Collections.Generic;
using System.IO;
using CnnDsl.Runtime.Training;
using Spectre.Console;

namespace CnnDsl.Cli.Training;

/// <summary>The text of one epoch's line, shared by both displays.</summary>
public static class EpochText
{
    /// <summary>The width of a running line of a run under 100 epochs at under a million images/s.</summary>
    public static readonly int RunningWidth = Running(99, 99, 9.9999, 1, 999_999).Length;

    public static string Running(int epoch, int epochs, double loss, double accuracy, double samplesPerSecond) =>
        $"{Epoch(epoch, epochs)}  loss {TrainingCli.Loss(loss)}  acc {TrainingCli.Percent(accuracy),7}  {TrainingCli.Count((long)samplesPerSecond),6} images/s";

    public static string Done(EpochMetrics m, int epochs, bool best)
    {
        var validation = m.Validation is null
            ? ""
            : $"  val loss {TrainingCli.Loss(m.Validation.Loss)}  acc {TrainingCli.Percent(m.Validation.Accuracy),7}";
        return $"{Epoch(m.Epoch, epochs)}  loss {TrainingCli.Loss(m.TrainLoss)}  acc {TrainingCli.Percent(m.TrainAccuracy),7}{validation}"
            + $"  {TrainingCli.Count((long)m.SamplesPerSecond),6} images/s  {TrainingCli.Duration(m.Duration),7}  data wait {100 * m.DataWaitFraction,3:0}%{(best ? "  best" : "")}";
    }

    /// <summary>"Estimate: about 2 min 10 s per epoch (1,234 images/s); epochs 1-10: about 21 min 40 s."</summary>
    public static string Estimate(long samples, double samplesPerSecond, int firstEpoch, int epochs)
    {
        var perEpoch = System.TimeSpan.FromSeconds(samples / System.Math.Max(samplesPerSecond, 1e-9));
        var count = epochs - firstEpoch + 1;
        return $"Estimate: about {TrainingCli.Duration(perEpoch)} per epoch of training ({TrainingCli.Count((long)samplesPerSecond)} images/s)"
            + (count > 1 ? $"; epochs {firstEpoch}-{epochs}: about {TrainingCli.Duration(perEpoch * count)}, plus validation." : ", plus validation.");
    }

    private static string Epoch(int epoch, int epochs)
    {
        var width = epochs.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        return $"epoch {epoch.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width)}/{epochs}";
    }
}

/// <summary>One line per finished epoch: for files, pipes and tests.</summary>
public sealed class EpochLines : ITrainingMonitor
{
    /// <summary>An estimate is printed when an epoch looks like taking at least this long.</summary>
    public static readonly System.TimeSpan EstimateThreshold = System.TimeSpan.FromSeconds(20);

    private readonly TextWriter output;
    private readonly System.Diagnostics.Stopwatch clock = new();
    private int epochs;
    private int firstEpoch;
    private long samples;
    private bool estimated;
    private double? markTime;
    private long markSamples;

    public EpochLines(TextWriter output) => this.output = output;

    public void EpochStarted(int epoch, int epochs, long batches, long samples)
    {
        this.epochs = epochs;
        this.samples = samples;
        if (firstEpoch == 0)
        {
            firstEpoch = epoch;
            clock.Restart();
        }
    }

    public void BatchCompleted(int epoch, long batch, long batches, long samplesSoFar, double runningLoss, double runningAccuracy, double samplesPerSecond)
    {
        // The rate between the first and the fourth second of the first epoch: past the start-up
        // (JIT, first allocations), early enough to stop a run that would take too long.
        if (estimated || epoch != firstEpoch || batch == batches) return;
        var now = clock.Elapsed.TotalSeconds;
        if (markTime is null)
        {
            if (now >= 1) (markTime, markSamples) = (now, samplesSoFar);
            return;
        }

        if (now - markTime.Value < 3) return;
        estimated = true;
        var rate = (samplesSoFar - markSamples) / (now - markTime.Value);
        if (samples / Math.Max(rate, 1e-9) < EstimateThreshold.TotalSeconds) return;
        output.WriteLine(EpochText.Estimate(samples, rate, firstEpoch, epochs));
        output.Flush();
    }

    public void EpochCompleted(EpochMetrics metrics, bool best)
    {
        output.WriteLine(EpochText.Done(metrics, epochs, best));
        output.Flush();
    }
}

/// <summary>A live progress bar for the running epoch (Spectre.Console) with its running loss,
/// accuracy and throughput. A finished epoch's bar gives way to its full line, printed above the
/// live area, so the history reads like <see cref="EpochLines"/> and no line is wider than the terminal.</summary>
public sealed class EpochProgressBars : ITrainingMonitor
{
    /// <summary>Columns beside the description and the bar: percentage (4), remaining time (8) and
    /// the separators Spectre puts between four columns (3).</summary>
    private const int OtherColumnsWidth = 4 + 8 + 3;

    private readonly IAnsiConsole console;
    private readonly ProgressContext context;
    private readonly Dictionary<int, ProgressTask> tasks = new();
    private DateTime lastUpdate = DateTime.MinValue;
    private int epochs;

    private EpochProgressBars(IAnsiConsole console, ProgressContext context)
    {
        this.console = console;
        this.context = context;
    }

    /// <summary>Runs <paramref name="work"/> with a progress bar drawn live on <paramref name="console"/>.</summary>
    public static T Run<T>(IAnsiConsole console, Func<ITrainingMonitor, T> work) =>
        console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .AutoRefresh(true)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn { Width = BarWidth(console.Profile.Width) },
                new PercentageColumn(),
                new RemainingTimeColumn())
            .Start(progress => work(new EpochProgressBars(console, progress)));

    /// <summary>The bar takes what the running description leaves, between 8 and 30 cells.</summary>
    public static int BarWidth(int consoleWidth) =>
        Math.Clamp(consoleWidth - EpochText.RunningWidth - OtherColumnsWidth, 8, 30);

    public void EpochStarted(int epoch, int epochs, long batches, long samples)
    {
        this.epochs = epochs;
        tasks[epoch] = context.AddTask(Markup.Escape(EpochText.Running(epoch, epochs, 0, 0, 0)), autoStart: true, maxValue: batches);
    }

    public void BatchCompleted(int epoch, long batch, long batches, long samplesSoFar, double runningLoss, double runningAccuracy, double samplesPerSecond)
    {
        var task = tasks[epoch];
        task.Value = batch;
        var now = DateTime.UtcNow;
        if (batch == batches || (now - lastUpdate).TotalMilliseconds >= 100)
        {
            lastUpdate = now;
            task.Description = Markup.Escape(EpochText.Running(epoch, epochs, runningLoss, runningAccuracy, samplesPerSecond));
            // Drawn now, not at the next tick: an epoch shorter than the refresh interval still
            // shows its bar (at 100%) before the bar gives way to the epoch's line.
            context.Refresh();
        }
    }

    public void EpochCompleted(EpochMetrics metrics, bool best)
    {
        var task = tasks[metrics.Epoch];
        task.Value = task.MaxValue;
        task.StopTask();
        console.WriteLine(EpochText.Done(metrics, epochs, best));
    }
}

/// <summary>The console the live display draws on: interactive and ANSI-capable, coloured unless NO_COLOR.</summary>
public static class LiveConsole
{
    public static IAnsiConsole Create(CliContext context)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = context.OutSettings.UseColor ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(context.Out),
        });
        console.Profile.Width = context.OutSettings.Width;
        return console;
    }
}
